import { Migration } from '@mikro-orm/migrations';
import { columnTypes, queue } from './columns.js';

/** Written with knex's schema builder so it runs on SQLite and PostgreSQL alike (see columns.ts). */
export class Migration20261124162435 extends Migration {

  override async up(): Promise<void> {
    const knex = this.getKnex();
    const type = columnTypes(knex);
    const zero = knex.raw('0');

    queue(this, knex.schema.createTable('indicator', (t) => {
      t.increments('id');
      t.text('code').notNullable();
      t.text('category').notNullable();
      t.text('unit').notNullable();
      t.text('kind').notNullable();
      t.text('total_code').nullable();
      t.text('label_vi').notNullable();
      t.text('label_en').notNullable();
      t.integer('sort_order').notNullable();
      t.unique(['code'], { indexName: 'indicator_code_unique', useConstraint: false });
    }));

    queue(this, knex.schema.createTable('trade_union', (t) => {
      t.increments('id');
      t.text('code').notNullable();
      t.text('name').notNullable();
      t.text('search_name').notNullable();
      t.text('kind').notNullable();
      t.smallint('level').notNullable();
      t.integer('parent_id').nullable();
      t.specificType('path', type.bytewiseText).notNullable();
      t.smallint('valid_from').notNullable();
      t.smallint('valid_to').nullable();
      t.text('region').nullable();
      t.text('gso_code').nullable();
      t.integer('sort_order').notNullable().defaultTo(zero);
      t.foreign('parent_id', 'trade_union_parent_id_foreign').references('id').inTable('trade_union').onDelete('set null').onUpdate('cascade');
      t.unique(['code'], { indexName: 'trade_union_code_unique', useConstraint: false });
      t.index(['search_name'], 'trade_union_search_name_index');
      t.index(['level'], 'trade_union_level_index');
      t.index(['parent_id'], 'trade_union_parent_id_index');
      t.unique(['path'], { indexName: 'trade_union_path_unique', useConstraint: false });
    }));

    queue(this, knex.schema.createTable('figure', (t) => {
      t.increments('id');
      t.integer('union_id').notNullable();
      t.integer('indicator_id').notNullable();
      t.smallint('year').notNullable();
      t.text('scenario').notNullable();
      t.specificType('value', type.double).nullable();
      t.text('status').notNullable().defaultTo('draft');
      t.integer('version').notNullable().defaultTo(knex.raw('1'));
      t.text('updated_by').notNullable();
      t.datetime('updated_at').notNullable();
      t.foreign('union_id', 'figure_union_id_foreign').references('id').inTable('trade_union').onUpdate('cascade');
      t.foreign('indicator_id', 'figure_indicator_id_foreign').references('id').inTable('indicator').onUpdate('cascade');
      t.index(['union_id'], 'figure_union_id_index');
      t.index(['indicator_id'], 'figure_indicator_id_index');
      t.index(['scenario', 'year', 'indicator_id'], 'figure_scenario_year_indicator_idx');
      t.unique(['union_id', 'scenario', 'year', 'indicator_id'], { indexName: 'figure_cell_unique', useConstraint: false });
    }));

    queue(this, knex.schema.createTable('figure_revision', (t) => {
      t.increments('id');
      t.integer('figure_id').notNullable();
      t.text('change').notNullable();
      t.specificType('before_value', type.double).nullable();
      t.specificType('after_value', type.double).nullable();
      t.text('before_status').nullable();
      t.text('after_status').nullable();
      t.integer('version').notNullable();
      t.text('actor').notNullable();
      t.datetime('at').notNullable();
      t.text('reason').nullable();
      t.foreign('figure_id', 'figure_revision_figure_id_foreign').references('id').inTable('figure').onUpdate('cascade');
      t.index(['figure_id'], 'figure_revision_figure_id_index');
    }));

    queue(this, knex.schema.createTable('comment', (t) => {
      t.increments('id');
      t.integer('figure_id').notNullable();
      t.text('author').notNullable();
      t.datetime('at').notNullable();
      t.text('text').notNullable();
      t.foreign('figure_id', 'comment_figure_id_foreign').references('id').inTable('figure').onUpdate('cascade');
      t.index(['figure_id'], 'comment_figure_id_index');
    }));

    queue(this, knex.schema.createTable('union_succession', (t) => {
      t.increments('id');
      t.integer('predecessor_id').notNullable();
      t.integer('successor_id').notNullable();
      t.smallint('year').notNullable();
      t.text('kind').notNullable();
      t.foreign('predecessor_id', 'union_succession_predecessor_id_foreign').references('id').inTable('trade_union').onUpdate('cascade');
      t.foreign('successor_id', 'union_succession_successor_id_foreign').references('id').inTable('trade_union').onUpdate('cascade');
      t.index(['predecessor_id'], 'union_succession_predecessor_id_index');
      t.index(['successor_id'], 'union_succession_successor_id_index');
    }));
  }

}
