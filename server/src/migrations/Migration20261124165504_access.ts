import { Migration } from '@mikro-orm/migrations';
import { columnTypes, queue } from './columns.js';

/** Written with knex's schema builder so it runs on SQLite and PostgreSQL alike (see columns.ts). */
export class Migration20261124165504 extends Migration {

  override async up(): Promise<void> {
    const knex = this.getKnex();
    const type = columnTypes(knex);

    queue(this, knex.schema.createTable('app_user', (t) => {
      t.increments('id');
      t.text('username').notNullable();
      t.text('display_name').notNullable();
      t.text('password_hash').notNullable();
      t.specificType('disabled', type.boolean).notNullable().defaultTo(knex.raw('false'));
      t.datetime('created_at').notNullable();
      t.unique(['username'], { indexName: 'app_user_username_unique', useConstraint: false });
    }));

    queue(this, knex.schema.createTable('api_token', (t) => {
      t.increments('id');
      t.integer('user_id').notNullable();
      t.text('name').notNullable();
      t.text('token_hash').notNullable();
      t.text('prefix').notNullable();
      t.datetime('created_at').notNullable();
      t.datetime('expires_at').notNullable();
      t.datetime('revoked_at').nullable();
      t.datetime('last_used_at').nullable();
      t.foreign('user_id', 'api_token_user_id_foreign').references('id').inTable('app_user').onUpdate('cascade');
      t.index(['user_id'], 'api_token_user_id_index');
      t.unique(['token_hash'], { indexName: 'api_token_token_hash_unique', useConstraint: false });
    }));

    queue(this, knex.schema.createTable('role_grant', (t) => {
      t.increments('id');
      t.integer('user_id').notNullable();
      t.text('role').notNullable();
      t.integer('union_id').notNullable();
      t.text('granted_by').notNullable();
      t.datetime('granted_at').notNullable();
      t.datetime('revoked_at').nullable();
      t.foreign('user_id', 'role_grant_user_id_foreign').references('id').inTable('app_user').onUpdate('cascade');
      t.foreign('union_id', 'role_grant_union_id_foreign').references('id').inTable('trade_union').onUpdate('cascade');
      t.index(['user_id'], 'role_grant_user_id_index');
      t.index(['union_id'], 'role_grant_union_id_index');
    }));

    queue(this, knex.schema.createTable('user_session', (t) => {
      t.increments('id');
      t.integer('user_id').notNullable();
      t.text('token_hash').notNullable();
      t.text('csrf_token').notNullable();
      t.datetime('created_at').notNullable();
      t.datetime('expires_at').notNullable();
      t.foreign('user_id', 'user_session_user_id_foreign').references('id').inTable('app_user').onUpdate('cascade');
      t.index(['user_id'], 'user_session_user_id_index');
      t.unique(['token_hash'], { indexName: 'user_session_token_hash_unique', useConstraint: false });
    }));
  }

}
