import { Migration } from '@mikro-orm/migrations';

/** Frozen editions of the consolidated report: figures used, who, when, hash, and the files as issued. */
export class Migration20261124203000 extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const create = knex.schema.createTable('report_edition', (t) => {
      t.increments('id');
      t.string('root_code', 40).notNullable();
      t.integer('number').notNullable();
      t.datetime('created_at').notNullable();
      t.string('actor', 100).notNullable();
      t.string('content_hash', 64).notNullable();
      t.integer('figure_count').notNullable();
      t.integer('pending_total').notNullable();
      t.integer('previous_id').nullable();
      t.integer('change_count').notNullable();
      t.text('report_json').notNullable();
      t.text('figures_json').notNullable();
      t.text('changes_json').notNullable();
      t.binary('xlsx').notNullable();
      t.binary('docx').notNullable();
      t.unique(['root_code', 'number'], { indexName: 'report_edition_root_number_unique' });
    });
    for (const q of create.toSQL()) this.addSql(q.sql);
  }

  override async down(): Promise<void> {
    for (const q of this.getKnex().schema.dropTable('report_edition').toSQL()) this.addSql(q.sql);
  }
}
