import { Migration } from '@mikro-orm/migrations';
import { columnTypes, queue } from './columns.js';

/** Written with knex's schema builder so it runs on SQLite and PostgreSQL alike (see columns.ts). */
export class Migration20261124170850 extends Migration {

  override async up(): Promise<void> {
    const knex = this.getKnex();
    const type = columnTypes(knex);

    queue(this, knex.schema.createTable('discrepancy', (t) => {
      t.increments('id');
      t.text('instance_key').notNullable();
      t.text('rule_id').notNullable();
      t.text('severity').notNullable();
      t.integer('union_id').notNullable();
      t.text('indicator_code').notNullable();
      t.smallint('year').notNullable();
      t.text('scenario').notNullable();
      t.text('state').notNullable();
      t.specificType('left_value', type.double).nullable();
      t.specificType('right_value', type.double).nullable();
      t.specificType('difference', type.double).nullable();
      t.text('message').notNullable();
      t.text('explanation').nullable();
      t.text('decided_by').nullable();
      t.datetime('decided_at').nullable();
      t.text('decision_reason').nullable();
      t.datetime('first_seen_at').notNullable();
      t.datetime('updated_at').notNullable();
      t.foreign('union_id', 'discrepancy_union_id_foreign').references('id').inTable('trade_union').onUpdate('cascade');
      t.unique(['instance_key'], { indexName: 'discrepancy_instance_key_unique', useConstraint: false });
      t.index(['union_id'], 'discrepancy_union_id_index');
      t.index(['state'], 'discrepancy_state_index');
      t.index(['union_id', 'year'], 'discrepancy_union_year_idx');
    }));

    queue(this, knex.schema.createTable('discrepancy_revision', (t) => {
      t.increments('id');
      t.integer('discrepancy_id').notNullable();
      t.text('change').notNullable();
      t.text('before_state').nullable();
      t.text('after_state').notNullable();
      t.specificType('difference', type.double).nullable();
      t.text('actor').notNullable();
      t.datetime('at').notNullable();
      t.text('reason').nullable();
      t.foreign('discrepancy_id', 'discrepancy_revision_discrepancy_id_foreign').references('id').inTable('discrepancy').onUpdate('cascade');
      t.index(['discrepancy_id'], 'discrepancy_revision_discrepancy_id_index');
    }));

    queue(this, knex.schema.alterTable('figure', (t) => {
      t.specificType('proposed_value', type.double).nullable();
      t.text('proposed_by').nullable();
      t.datetime('proposed_at').nullable();
      t.text('approved_by').nullable();
      t.datetime('approved_at').nullable();
    }));
  }

}
