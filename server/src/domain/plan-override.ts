/**
 * A reviewer's override of one forecast value (issue 16): a union, indicator and plan year given a
 * value with a reason by a reviewer of the union or above. Kept append-only in forecast_override:
 * the latest row of a year is in force while the approved actuals it was made against are unchanged;
 * when they change the override lapses (the computed value applies, and the forecast says so) —
 * a forecast run neither deletes nor revives one.
 */
import { FORECAST_HORIZON, type ForecastOverrideState } from '@unionhub/schema';
import type { Access } from './access.js';
import { isoTime, pathRange, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import { valueProblem } from './figures.js';
import { approvedSeries, type ApprovedSeries, type Versions } from './plan-data.js';
import { FORECAST_INDICATORS } from './plan-forecasts.js';
import { unionByCode } from './unions.js';

export interface ForecastOverride {
  year: number;
  value: number;
  /** The computed forecast beside it when it was made (null: none could be computed). */
  computedValue: number | null;
  reason: string;
  by: string;
  at: string;
  state: ForecastOverrideState;
}

export const sameVersions = (a: Versions, b: Versions) => {
  const ka = Object.keys(a).sort();
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

export interface OverrideInput {
  unionCode: string;
  indicator: string;
  year: number;
  value: number;
  reason: string;
}

export const REASON_MAX = 2000;

export async function overrideForecast(db: Db, access: Access, input: OverrideInput): Promise<ForecastOverride> {
  const union = await unionByCode(db, input.unionCode);
  if (!access.can('approve', union.path)) {
    throw new DomainError('FORBIDDEN', `Only a reviewer of ${union.name} or above overrides its forecasts`, said('forecast.overrideForbidden', { unionName: union.name }));
  }
  if (!FORECAST_INDICATORS.includes(input.indicator)) {
    throw new DomainError('VALIDATION', `"${input.indicator}" is not forecast`, said('forecast.notForecast', { indicator: input.indicator }));
  }
  if (!Number.isInteger(input.year) || input.year < FORECAST_HORIZON.from || input.year > FORECAST_HORIZON.to) {
    throw new DomainError('VALIDATION', `The forecast years are ${FORECAST_HORIZON.from}–${FORECAST_HORIZON.to}`, said('plan.badYear', { from: FORECAST_HORIZON.from, to: FORECAST_HORIZON.to }));
  }
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('VALIDATION', 'An override needs a reason', said('forecast.overrideReason'));
  if (reason.length > REASON_MAX) throw new DomainError('VALIDATION', `A reason has at most ${REASON_MAX} characters`, said('comment.tooLong', { limit: REASON_MAX }));
  const problem = valueProblem(input.indicator, input.value);
  if (problem) throw new DomainError('VALIDATION', problem.text, said(problem.key, problem.params));
  return db.transaction(async (trx) => {
    const stored: { vals: string } | undefined = await trx('forecast').select('vals').where({ union_id: union.id, indicator_code: input.indicator }).first();
    if (!stored) throw new DomainError('NOT_FOUND', `${union.name} has no stored forecast of "${input.indicator}": run the forecasts first`, said('forecast.notRun', { unionName: union.name, indicator: input.indicator }));
    const computedValue = (JSON.parse(stored.vals) as { year: number; value: number }[]).find((v) => v.year === input.year)?.value ?? null;
    const versions = (await approvedSeries(trx, union, [input.indicator])).get(`${union.id}|${input.indicator}`)?.versions ?? {};
    const at = new Date();
    const by = access.caller!.username;
    await trx('forecast_override').insert({
      union_id: union.id, indicator_code: input.indicator, year: input.year, value: input.value, computed_value: computedValue,
      reason, actor: by, at, actual_versions: JSON.stringify(versions),
    });
    return { year: input.year, value: input.value, computedValue, reason, by, at: at.toISOString(), state: 'inForce' };
  });
}

type OverrideRow = Record<string, unknown>;

/** Each row with its state: superseded unless the latest of its year; then in force while its actuals' versions are `current`'s. */
function withStates(rows: readonly OverrideRow[], current: (unionId: number, indicator: string) => Versions): { unionId: number; override: ForecastOverride }[] {
  const latest = new Map<string, number>();
  for (const r of rows) latest.set(`${Number(r.union_id)}|${String(r.indicator_code)}|${Number(r.year)}`, Number(r.id));
  return rows.map((r) => {
    const unionId = Number(r.union_id);
    const state: ForecastOverrideState = latest.get(`${unionId}|${String(r.indicator_code)}|${Number(r.year)}`) !== Number(r.id) ? 'superseded'
      : sameVersions(JSON.parse(String(r.actual_versions)), current(unionId, String(r.indicator_code))) ? 'inForce' : 'lapsed';
    return {
      unionId,
      override: {
        year: Number(r.year), value: Number(r.value), computedValue: r.computed_value === null ? null : Number(r.computed_value),
        reason: String(r.reason), by: String(r.actor), at: isoTime(r.at), state,
      },
    };
  });
}

/** Every override of the indicator for these unions, by union id, oldest first, each with its state against the approved actuals now. */
export async function overridesOf(db: Db, unionIds: readonly number[], indicator: string, current: Map<string, ApprovedSeries>): Promise<Map<number, ForecastOverride[]>> {
  const rows: OverrideRow[] = await db('forecast_override').whereIn('union_id', unionIds).where('indicator_code', indicator).orderBy('id');
  const out = new Map<number, ForecastOverride[]>();
  for (const { unionId, override } of withStates(rows, (id, i) => current.get(`${id}|${i}`)?.versions ?? {})) {
    (out.get(unionId) ?? out.set(unionId, []).get(unionId)!).push(override);
  }
  return out;
}

/** Every override of the indicators in the subtree under `rootPath` (one query), by "unionId|indicator", each with its state against `current`. */
export async function overridesUnder(db: Db, rootPath: string, indicators: readonly string[], current: Map<string, ApprovedSeries>): Promise<Map<string, ForecastOverride[]>> {
  const [lo, hi] = pathRange(rootPath);
  const rows: OverrideRow[] = await db('forecast_override as o').join('trade_union as u', 'u.id', 'o.union_id').select('o.*')
    .where('u.path', '>=', lo).andWhere('u.path', '<', hi).whereIn('o.indicator_code', [...indicators]).orderBy('o.id');
  const out = new Map<string, ForecastOverride[]>();
  // withStates keeps the rows' order: the i-th state is the i-th row's.
  withStates(rows, (id, i) => current.get(`${id}|${i}`)?.versions ?? {}).forEach(({ unionId, override }, i) => {
    const k = `${unionId}|${String(rows[i]!.indicator_code)}`;
    (out.get(k) ?? out.set(k, []).get(k)!).push(override);
  });
  return out;
}

/** The values with the overrides in force put in place of the computed ones. */
export function withOverrides(values: { year: number; value: number }[], overrides: readonly ForecastOverride[] | undefined): { year: number; value: number }[] {
  const inForce = new Map((overrides ?? []).filter((o) => o.state === 'inForce').map((o) => [o.year, o.value]));
  if (inForce.size === 0) return values;
  const years = new Set([...values.map((v) => v.year), ...inForce.keys()]);
  return [...years].sort((a, b) => a - b).map((year) => ({ year, value: inForce.get(year) ?? values.find((v) => v.year === year)!.value }));
}

/** The overrides of these unions still in force and lapsed against `series` (a forecast run reports them). */
export async function overrideCounts(db: Db, unionIds: readonly number[], series: Map<string, ApprovedSeries>): Promise<{ kept: number; lapsed: number }> {
  const rows: OverrideRow[] = await db('forecast_override').whereIn('union_id', unionIds).orderBy('id');
  const states = withStates(rows, (id, i) => series.get(`${id}|${i}`)?.versions ?? {}).map((s) => s.override.state);
  return { kept: states.filter((s) => s === 'inForce').length, lapsed: states.filter((s) => s === 'lapsed').length };
}
