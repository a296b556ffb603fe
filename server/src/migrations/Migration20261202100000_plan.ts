import { Migration } from '@mikro-orm/migrations';
import { queue } from './columns.js';

/**
 * Allocation previews (issue 16): what a preview computed and the versions of the target cells it
 * read, kept under its token so that applying it writes exactly what was shown, or nothing; and the
 * stored forecasts, each with the versions of the approved actuals it was computed from.
 */
export class Migration20261202100000 extends Migration {
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
    // One forecast per union and indicator, replaced by each run: its method, parameters, every
    // method's backtest, and the versions of the approved actuals it read (stale when they differ).
    queue(this, schema().createTable('forecast', (t) => {
      t.increments('id');
      t.integer('union_id').notNullable().references('id').inTable('trade_union');
      t.string('indicator_code', 100).notNullable();
      t.string('method', 20).nullable();
      t.string('skipped', 20).nullable();
      /** JSON: the chosen method's parameters; every method's MAPE and backtest; the forecast values; the actuals' versions by year. */
      t.text('parameters').notNullable();
      t.text('methods').notNullable();
      t.text('vals').notNullable();
      t.text('actual_versions').notNullable();
      t.text('explanation_vi').notNullable();
      t.text('explanation_en').notNullable();
      t.string('computed_by', 100).notNullable();
      t.datetime('computed_at').notNullable();
      t.unique(['union_id', 'indicator_code'], { indexName: 'forecast_union_indicator_unique' });
    }));
  }

  override async down(): Promise<void> {
    queue(this, this.getKnex().schema.dropTable('forecast'));
    queue(this, this.getKnex().schema.dropTable('allocation_preview'));
  }
}
