import { Migration } from '@mikro-orm/migrations';
import { queue } from './columns.js';

/**
 * Notifications in the app, the mail outbox and the record of deliveries (issue 14). A delivery's
 * key is UNIQUE: inserting it inside the transaction that writes its notifications and mails is
 * what makes a delivery happen once ever, across restarts and instances.
 */
export class Migration20261202040000 extends Migration {
  // A fresh `knex.schema` per statement: one builder accumulates everything queued on it.
  override async up(): Promise<void> {
    const knex = this.getKnex();
    queue(this, knex.schema.createTable('delivery', (t) => {
      t.increments('id');
      t.string('dedupe_key', 300).notNullable().unique({ indexName: 'delivery_dedupe_key_unique' });
      t.string('kind', 40).notNullable();
      t.integer('recipients').notNullable();
      t.datetime('created_at').notNullable();
    }));
    queue(this, knex.schema.createTable('notification', (t) => {
      t.increments('id');
      t.integer('user_id').notNullable().references('id').inTable('app_user');
      t.integer('delivery_id').nullable().references('id').inTable('delivery');
      t.string('kind', 40).notNullable();
      t.text('title').notNullable();
      t.text('body').notNullable();
      t.text('link').nullable();
      t.datetime('created_at').notNullable();
      t.datetime('read_at').nullable();
      t.index(['user_id', 'read_at'], 'notification_user_read_index');
    }));
    queue(this, knex.schema.createTable('mail_outbox', (t) => {
      t.increments('id');
      t.text('recipient').notNullable();
      t.text('subject').notNullable();
      t.text('text_body').notNullable();
      t.text('html_body').nullable();
      t.string('dedupe_key', 320).notNullable().unique({ indexName: 'mail_outbox_dedupe_key_unique' });
      t.string('status', 10).notNullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.datetime('next_attempt_at').nullable();
      t.text('last_error').nullable();
      t.string('claimed_by', 100).nullable();
      t.datetime('claimed_until').nullable();
      t.datetime('created_at').notNullable();
      t.datetime('sent_at').nullable();
      t.index(['status', 'next_attempt_at'], 'mail_outbox_status_next_index');
    }));
  }

  override async down(): Promise<void> {
    const knex = this.getKnex();
    queue(this, knex.schema.dropTable('mail_outbox'));
    queue(this, knex.schema.dropTable('notification'));
    queue(this, knex.schema.dropTable('delivery'));
  }
}
