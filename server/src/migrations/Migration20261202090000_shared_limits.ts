import { Migration } from '@mikro-orm/migrations';
import { columnTypes, queue } from './columns.js';

/**
 * Sign-in throttles and rate limits kept in the database (issue 17), so several instances on one
 * PostgreSQL count together. SQLite (one instance) keeps them in memory and leaves these empty.
 */
export class Migration20261202090000 extends Migration {
  override async up(): Promise<void> {
    const types = columnTypes(this.getKnex());
    queue(this, this.getKnex().schema
      .createTable('signin_failure', (t) => {
        t.string('key', 400).primary();
        t.integer('count').notNullable();
        t.bigInteger('last_ms').notNullable();
        t.integer('free').notNullable();
      })
      .createTable('signin_known', (t) => {
        t.string('key', 400).primary();
        t.bigInteger('until_ms').notNullable();
      })
      .createTable('rate_bucket', (t) => {
        t.string('key', 200).primary();
        t.specificType('tokens', types.double).notNullable();
        t.bigInteger('at_ms').notNullable();
        // Whether the last take was allowed (PostgreSQL's RETURNING sees only the new row).
        t.specificType('allowed', types.boolean).notNullable();
      }));
  }

  override async down(): Promise<void> {
    queue(this, this.getKnex().schema.dropTable('rate_bucket').dropTable('signin_known').dropTable('signin_failure'));
  }
}
