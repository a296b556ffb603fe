import { Migration } from '@mikro-orm/migrations';
import { queue } from './columns.js';

/**
 * Allocation previews (issue 16): what a preview computed and the versions of the target cells it
 * read, kept under its token so that applying it writes exactly what was shown, or nothing.
 */
export class Migration20261202080000 extends Migration {
  override async up(): Promise<void> {
    const schema = () => this.getKnex().schema;
    queue(this, schema().createTable('allocation_preview', (t) => {
      t.string('token', 64).primary();
      t.string('root_code', 40).notNullable();
      t.string('indicator_code', 100).notNullable();
      t.string('allocation_key', 40).notNullable();
      t.string('path', 20).notNullable();
      t.bigInteger('goal').notNullable();
      /** JSON: the cells to write, each with the version it had when previewed (0: absent). */
      t.text('cells').notNullable();
      t.string('created_by', 100).notNullable();
      t.datetime('created_at').notNullable();
      t.datetime('applied_at').nullable();
    }));
  }

  override async down(): Promise<void> {
    queue(this, this.getKnex().schema.dropTable('allocation_preview'));
  }
}
