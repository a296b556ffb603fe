/**
 * Stored forecasts (issue 16): `runForecasts` forecasts every series of FORECAST_SERIES for every
 * union of a subtree from its APPROVED actuals (forecast.ts) and keeps, per union and indicator,
 * the chosen method, its parameters, every method's backtest, the explanation and the versions of
 * the approved actual cells it read. A forecast is stale when those versions no longer match the
 * approved actuals (a cell re-opened, corrected or newly approved): `forecasts` says so and a new
 * run recomputes it. Kept in a table of their own, not as a FORECAST scenario of the figure table:
 * a forecast carries a method, parameters and provenance that no figure cell has, and the figure
 * scenarios are read by the grid, rules and report, which would all need to learn a third one.
 */
import { FORECAST_SERIES, INDICATORS, type ForecastMethodCode, type ForecastSkipReason } from '@unionhub/schema';
import type { Access } from './access.js';
import { insertChunked, isoTime, pathRange, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import { forecastSeries, type MethodForecast } from './forecast.js';
import { allocates, approvedSeries, approvedSeriesOf, type Versions } from './plan-data.js';
import { overrideCounts, overridesOf, sameVersions, withOverrides, type ForecastOverride } from './plan-override.js';
import { unionByCode, unionQuery, type UnionRow } from './unions.js';

/** Every indicator forecast: each series, and its sector splits where the series asks for them. */
export const FORECAST_INDICATORS: readonly string[] = FORECAST_SERIES.flatMap((s) =>
  s.bySector ? [s.indicator, ...INDICATORS.filter((i) => i.code.startsWith(`${s.indicator}.sector.`)).map((i) => i.code)] : [s.indicator]);

export interface StoredForecast {
  union: UnionRow;
  indicator: string;
  method: ForecastMethodCode | null;
  skipped: ForecastSkipReason | null;
  parameters: Record<string, number> | null;
  methods: Pick<MethodForecast, 'method' | 'skipped' | 'mape' | 'backtest' | 'parameters'>[];
  /** The chosen method's values, with the reviewers' overrides in force in their place. */
  values: { year: number; value: number }[];
  /** The chosen method's values as computed. */
  computedValues: { year: number; value: number }[];
  /** Every override of this forecast, oldest first (the audit trail), each with its state. */
  overrides: ForecastOverride[];
  explanation: { vi: string; en: string };
  computedAt: string;
  computedBy: string;
  /** The approved actuals it was computed from changed since. */
  stale: boolean;
}

async function subtreeUnions(db: Db, root: UnionRow): Promise<UnionRow[]> {
  const [lo, hi] = pathRange(root.path);
  return unionQuery(db).where('u.path', '>=', lo).andWhere('u.path', '<', hi).orderBy('u.path');
}

export interface ForecastRun {
  forecasts: number;
  skipped: number;
  /** Reviewers' overrides kept in force, and lapsed because the approved actuals they were made against changed. */
  overridesKept: number;
  overridesLapsed: number;
}

/** Forecast every series of every union under `root` and store it (replacing what was stored); the department only. */
export async function runForecasts(db: Db, access: Access, rootCode: string): Promise<ForecastRun> {
  if (!allocates(access)) throw new DomainError('FORBIDDEN', 'Only the department (an administrator or reviewer at TLĐ) runs the forecasts', said('forecast.runForbidden'));
  const root = await unionByCode(db, rootCode);
  const actor = access.caller!.username;
  return db.transaction(async (trx) => {
    const unions = await subtreeUnions(trx, root);
    const series = await approvedSeries(trx, root, FORECAST_INDICATORS);
    const at = new Date();
    const rows: Record<string, unknown>[] = [];
    let skipped = 0;
    for (const u of unions) {
      for (const indicator of FORECAST_INDICATORS) {
        const entry = series.get(`${u.id}|${indicator}`) ?? { series: [], versions: {} };
        const r = forecastSeries(entry.series);
        const chosen = r.methods.find((m) => m.method === r.chosen);
        if (!chosen) skipped++;
        rows.push({
          union_id: u.id, indicator_code: indicator, method: r.chosen, skipped: r.skipped,
          parameters: JSON.stringify(chosen?.parameters ?? null),
          methods: JSON.stringify(r.methods.map((m) => ({ method: m.method, skipped: m.skipped, mape: m.mape, backtest: m.backtest, parameters: m.parameters }))),
          vals: JSON.stringify(chosen?.forecast ?? []), actual_versions: JSON.stringify(entry.versions),
          explanation_vi: r.explanation.vi, explanation_en: r.explanation.en, computed_by: actor, computed_at: at,
        });
      }
    }
    await trx('forecast').whereIn('union_id', unions.map((u) => u.id)).delete();
    await insertChunked(trx, 'forecast', rows);
    // Overrides live beside the forecasts, untouched by a run: it only says which still hold.
    const overrides = await overrideCounts(trx, unions.map((u) => u.id), series);
    return { forecasts: rows.length, skipped, overridesKept: overrides.kept, overridesLapsed: overrides.lapsed };
  });
}

/** The stored forecasts of one indicator for `root` and its children, each marked stale or not; only where the caller reads figures. */
export async function storedForecasts(db: Db, access: Access, rootCode: string, indicator: string): Promise<StoredForecast[]> {
  const root = await readableRoot(db, access, rootCode, [indicator]);
  const unions: UnionRow[] = await unionQuery(db).where((w) => w.where('u.id', root.id).orWhere('u.parent_id', root.id)).orderBy('u.path');
  return forecastsOf(db, unions, [indicator]);
}

/** The stored forecasts of one union alone (the report's plan section), for several indicators in one read. */
export async function ownForecasts(db: Db, access: Access, unionCode: string, indicators: readonly string[]): Promise<StoredForecast[]> {
  const union = await readableRoot(db, access, unionCode, indicators);
  return forecastsOf(db, [union], indicators);
}

async function readableRoot(db: Db, access: Access, rootCode: string, indicators: readonly string[]): Promise<UnionRow> {
  for (const indicator of indicators) {
    if (!FORECAST_INDICATORS.includes(indicator)) throw new DomainError('VALIDATION', `"${indicator}" is not forecast (${FORECAST_INDICATORS.join(', ')})`, said('forecast.notForecast', { indicator }));
  }
  const root = await unionByCode(db, rootCode);
  if (!access.reads(root.path)) throw new DomainError('FORBIDDEN', 'Your roles do not allow reading figures here', said('plan.readForbidden', { unionName: root.name }));
  return root;
}

/** Unions named in one query of forecastsOf (well under every driver's parameter limit). */
const UNIONS_PER_QUERY = 1_000;

/**
 * The stored forecasts of these unions and indicators (in the unions' order, then the indicators'),
 * with the overrides in force and staleness against the approved actuals now. No access check: the
 * callers (storedForecasts, forecast-cells.ts) decide which unions the caller may read.
 */
export async function forecastsOf(db: Db, unions: readonly UnionRow[], indicators: readonly string[]): Promise<StoredForecast[]> {
  const ids = unions.map((u) => u.id);
  const rows: Record<string, string | number | null>[] = [];
  for (let at = 0; at < ids.length; at += UNIONS_PER_QUERY) {
    rows.push(...(await db('forecast').whereIn('union_id', ids.slice(at, at + UNIONS_PER_QUERY)).whereIn('indicator_code', [...indicators])));
  }
  if (rows.length === 0) return [];
  const stored = new Map(rows.map((r) => [`${Number(r.union_id)}|${String(r.indicator_code)}`, r]));
  const withForecast = [...new Set(rows.map((r) => Number(r.union_id)))];
  const current = await approvedSeriesOf(db, withForecast, indicators);
  const overrides = new Map<string, Map<number, ForecastOverride[]>>();
  for (const indicator of indicators) overrides.set(indicator, await overridesOf(db, withForecast, indicator, current));
  return unions.flatMap((u) => indicators.flatMap((indicator) => {
    const r = stored.get(`${u.id}|${indicator}`);
    if (!r) return [];
    const versions = JSON.parse(String(r.actual_versions)) as Versions;
    const computedValues: { year: number; value: number }[] = JSON.parse(String(r.vals));
    const own = overrides.get(indicator)!.get(u.id);
    return [{
      union: u, indicator, method: (r.method as ForecastMethodCode | null) ?? null, skipped: (r.skipped as ForecastSkipReason | null) ?? null,
      parameters: JSON.parse(String(r.parameters)), methods: JSON.parse(String(r.methods)), computedValues,
      values: withOverrides(computedValues, own), overrides: own ?? [],
      explanation: { vi: String(r.explanation_vi), en: String(r.explanation_en) },
      computedAt: isoTime(r.computed_at), computedBy: String(r.computed_by),
      stale: !sameVersions(versions, current.get(`${u.id}|${indicator}`)?.versions ?? {}),
    }];
  }));
}
