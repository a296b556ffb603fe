/**
 * The plan (issue 16): forecasting every union's series with every method and its backtests ÷ reading
 * the same approved actuals in SQL (goal ≤ 5×); the national allocation preview — 10,000,000 members
 * from TLĐ down the whole tree by each key (reading every union's stored forecasts, run once in the
 * set-up as the department would) — ÷ reading the approved actuals in SQL (goal < 1 s).
 */
import type { Knex } from '@mikro-orm/knex';
import { previewAllocation } from '../server/src/domain/plan.js';
import { approvedSeries } from '../server/src/domain/plan-data.js';
import { FORECAST_INDICATORS, runForecasts } from '../server/src/domain/plan-forecasts.js';
import { forecastSeries } from '../server/src/domain/forecast.js';
import { unionByCode } from '../server/src/domain/unions.js';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { report, time } from './lib.js';

export async function benchPlan(db: Knex): Promise<string[]> {
  // Set-up, not measured: the actuals the keys and forecasts read approved (the seed leaves them submitted).
  await db('figure').where({ scenario: 'actual', status: 'submitted' }).whereIn('indicator_id', db('indicator').select('id').whereIn('code', ['members', 'workers']))
    .update({ status: 'approved', approved_by: 'bench' });
  const ACTUALS = `select f.union_id, f.indicator_id, f.year, f.value from figure f where f.scenario = 'actual' and f.status = 'approved'
    and f.indicator_id in (select id from indicator where code in ('members', 'workers')) and f.year between 2013 and 2017`;
  const baseline = await time(() => db.raw(ACTUALS), 10, 2);
  const out: string[] = [await benchForecasting(db)];
  // Set-up, not measured: the preview reads stored forecasts (a union without one is forecast then, and noted).
  await runForecasts(db, SYSTEM_ACCESS, 'TLD');
  for (const key of ['members', 'forecastWorkers'] as const) {
    let rows = 0;
    const preview = await time(async () => (rows = (await previewAllocation(db, SYSTEM_ACCESS, { indicator: 'members', value: 10_000_000 }, key, 'TLD')).rows.length), 5, 1);
    out.push(report(`allocation preview, national, key ${key} (allocate + forecasts + target versions + token ÷ SQL read of the approved actuals)`, preview, baseline, '< 1 s absolute',
      `${preview.median < 1000 ? 'within' : 'OVER'} the 1 s goal; ${rows} unions`));
  }
  await db('allocation_preview').delete();
  await db('forecast').delete();
  return out;
}

/** Every union's every forecast series (FORECAST_INDICATORS) read and forecast by every method with its backtests, ÷ the SQL read alone. */
async function benchForecasting(db: Knex): Promise<string> {
  await db('figure').where({ scenario: 'actual', status: 'submitted' }).whereIn('indicator_id', db('indicator').select('id').whereIn('code', FORECAST_INDICATORS))
    .update({ status: 'approved', approved_by: 'bench' });
  const READ = `select f.union_id, f.indicator_id, f.year, f.value, f.version from figure f where f.scenario = 'actual' and f.status = 'approved'
    and f.indicator_id in (select id from indicator where code in (${FORECAST_INDICATORS.map(() => '?').join(', ')})) and f.year between 2013 and 2017`;
  const baseline = await time(() => db.raw(READ, [...FORECAST_INDICATORS]), 10, 2);
  const root = await unionByCode(db, 'TLD');
  let series = 0;
  const subject = await time(async () => {
    const all = await approvedSeries(db, root, FORECAST_INDICATORS);
    series = 0;
    for (const entry of all.values()) {
      forecastSeries(entry.series);
      series++;
    }
  }, 5, 1);
  return report('forecasting every union\'s series with every method and backtest (read + fit + 2 backtests × 3 methods) ÷ reading the same approved actuals in SQL', subject, baseline, '≤ 5×',
    `${subject.median / baseline.median <= 5 ? 'within' : 'OVER'} the goal; ${series} series`);
}
