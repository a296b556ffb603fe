import { Migration } from '@mikro-orm/migrations';
import { columnTypes, queue } from './columns.js';

/**
 * Forecast overrides (issue 16): a reviewer's value for one union, indicator and plan year, with a
 * reason. Append-only — the table is the audit trail; the latest row of a year is the one in force
 * while the approved actuals it was made against (their versions, kept here) are unchanged.
 */
export class Migration20261202130000 extends Migration {
  override async up(): Promise<void> {
    const types = columnTypes(this.getKnex());
    queue(this, this.getKnex().schema.createTable('forecast_override', (t) => {
      t.increments('id');
      t.integer('union_id').notNullable().references('id').inTable('trade_union');
      t.string('indicator_code', 100).notNullable();
      t.integer('year').notNullable();
      t.specificType('value', types.double).notNullable();
      /** The computed forecast the override replaced (null: none could be computed). */
      t.specificType('computed_value', types.double).nullable();
      t.text('reason').notNullable();
      t.string('actor', 100).notNullable();
      t.datetime('at').notNullable();
      /** JSON: the versions of the approved actuals by year when the override was made. */
      t.text('actual_versions').notNullable();
      t.index(['union_id', 'indicator_code'], 'forecast_override_union_indicator');
    }));
  }

  override async down(): Promise<void> {
    queue(this, this.getKnex().schema.dropTable('forecast_override'));
  }
}
