/**
 * The forecasts an allocation reads (issue 16): the stored ones (runForecasts) of a whole subtree in
 * one query, with the reviewers' overrides in force in place of the computed values — what the
 * forecast view and the gap view show. Where a union has no stored forecast of a series, or only a
 * stale one (its approved actuals changed since the run), it is forecast then from the approved
 * actuals as a run would, and said (`source`): the preview notes it per union, so a value is never
 * silently missing nor silently outdated. Computing it then keeps the preview usable before the
 * first run, at the old cost for those unions only.
 */
import type { ForecastSkipReason } from '@unionhub/schema';
import { pathRange, type Db } from './db.js';
import { chosenForecast, forecastSeries } from './forecast.js';
import type { ApprovedSeries, Versions } from './plan-data.js';
import { FORECAST_INDICATORS } from './plan-forecasts.js';
import { overridesUnder, sameVersions, withOverrides } from './plan-override.js';
import type { UnionRow } from './unions.js';

export type ForecastSource = 'stored' | 'notRun' | 'stale';

export interface ForecastInForce {
  /** The forecast of the year asked for, overrides in force; null when none could be made. */
  value: number | null;
  source: ForecastSource;
  /** Why there is no forecast (no value), as the forecast says it. */
  skipped: ForecastSkipReason | null;
}

/**
 * The forecasts of `indicators` (those that are forecast) for `year`, for every union of `unions`
 * (all under `root`), by "unionId|indicator". `actuals` are the subtree's approved actuals of those
 * indicators (plan-data.ts approvedSeries): staleness and overrides are judged against them.
 */
export async function forecastsInForce(
  db: Db, root: UnionRow, unions: readonly UnionRow[], indicators: readonly string[], year: number, actuals: Map<string, ApprovedSeries>,
): Promise<Map<string, ForecastInForce>> {
  const forecast = indicators.filter((i) => FORECAST_INDICATORS.includes(i));
  const out = new Map<string, ForecastInForce>();
  if (forecast.length === 0) return out;
  const [lo, hi] = pathRange(root.path);
  const rows: { unionId: number; indicator: string; vals: string; versions: string; skipped: ForecastSkipReason | null }[] = await db('forecast as f')
    .join('trade_union as u', 'u.id', 'f.union_id')
    .select('f.union_id as unionId', 'f.indicator_code as indicator', 'f.vals', 'f.actual_versions as versions', 'f.skipped')
    .where('u.path', '>=', lo).andWhere('u.path', '<', hi).whereIn('f.indicator_code', forecast);
  const stored = new Map(rows.map((r) => [`${Number(r.unionId)}|${r.indicator}`, r]));
  const overrides = await overridesUnder(db, root.path, forecast, actuals);
  for (const u of unions) {
    for (const indicator of forecast) {
      const k = `${u.id}|${indicator}`;
      const current = actuals.get(k) ?? { series: [], versions: {} };
      const row = stored.get(k);
      const fresh = row !== undefined && sameVersions(JSON.parse(row.versions) as Versions, current.versions);
      let values: { year: number; value: number }[];
      let skipped: ForecastSkipReason | null;
      if (fresh) {
        values = JSON.parse(row.vals);
        skipped = row.skipped ?? null;
      } else {
        const computed = forecastSeries(current.series);
        values = chosenForecast(computed);
        skipped = computed.skipped;
      }
      const value = withOverrides(values, overrides.get(k)).find((p) => p.year === year)?.value ?? null;
      out.set(k, { value, source: fresh ? 'stored' : row ? 'stale' : 'notRun', skipped: value === null ? (skipped ?? 'tooShort') : null });
    }
  }
  return out;
}
