import { Migration } from '@mikro-orm/migrations';
import { queue } from './columns.js';

/**
 * The reporting round (issue 14): rounds, the level-1 unions' own deadlines for their children,
 * extensions, and the append-only trail of submissions, returns and extensions. Users get an e-mail.
 */
export class Migration20261202041000 extends Migration {
  override async up(): Promise<void> {
    // A fresh builder per statement: one builder accumulates every statement queued on it.
    const schema = () => this.getKnex().schema;
    queue(this, schema().createTable('reporting_round', (t) => {
      t.increments('id');
      t.string('name', 300).notNullable();
      t.smallint('period_from').notNullable();
      t.smallint('period_to').notNullable();
      /** The tree year: expected unions come from this year's hierarchy. */
      t.smallint('year').notNullable();
      /** The last instant of the deadline day in Asia/Ho_Chi_Minh. */
      t.datetime('deadline').notNullable();
      /** JSON arrays: levels that report, indicators × years × scenarios each must send, reminder steps. */
      t.text('levels').notNullable();
      t.text('indicators').notNullable();
      t.text('years').notNullable();
      t.text('scenarios').notNullable();
      t.text('reminder_steps').notNullable();
      t.string('created_by', 100).notNullable();
      t.datetime('created_at').notNullable();
    }));
    queue(this, schema().createTable('round_part', (t) => {
      t.increments('id');
      t.integer('round_id').notNullable().references('id').inTable('reporting_round');
      t.integer('union_id').notNullable().references('id').inTable('trade_union');
      t.datetime('deadline').notNullable();
      t.string('set_by', 100).notNullable();
      t.datetime('set_at').notNullable();
      t.unique(['round_id', 'union_id'], { indexName: 'round_part_round_union_unique' });
    }));
    queue(this, schema().createTable('round_extension', (t) => {
      t.increments('id');
      t.integer('round_id').notNullable().references('id').inTable('reporting_round');
      t.integer('union_id').notNullable().references('id').inTable('trade_union');
      t.datetime('deadline').notNullable();
      t.text('reason').notNullable();
      t.string('granted_by', 100).notNullable();
      t.datetime('granted_at').notNullable();
      t.index(['round_id', 'union_id'], 'round_extension_round_union_idx');
    }));
    queue(this, schema().createTable('unit_submission_event', (t) => {
      t.increments('id');
      t.integer('round_id').notNullable().references('id').inTable('reporting_round');
      t.integer('union_id').notNullable().references('id').inTable('trade_union');
      /** SUBMITTED | RETURNED | EXTENDED */
      t.string('kind', 12).notNullable();
      t.datetime('at').notNullable();
      t.string('by', 100).notNullable();
      t.text('reason').nullable();
      t.index(['round_id', 'union_id'], 'unit_submission_event_round_union_idx');
    }));
    queue(this, schema().alterTable('app_user', (t) => {
      t.string('email', 200).nullable();
    }));
  }

  override async down(): Promise<void> {
    const schema = () => this.getKnex().schema;
    queue(this, schema().alterTable('app_user', (t) => {
      t.dropColumn('email');
    }));
    for (const table of ['unit_submission_event', 'round_extension', 'round_part', 'reporting_round']) queue(this, schema().dropTable(table));
  }
}
