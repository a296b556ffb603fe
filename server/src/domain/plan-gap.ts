/**
 * The plan's gap view (issue 16): for a union and its children in one plan year, the forecast
 * (stored, plan-forecasts.ts), the allocation last applied, the proposed and the approved target,
 * the yearly growth the target needs from the base year against the union's own 2013–2017 growth,
 * and the flags of PLAN_GAP_FLAGS — for the target in force, and for each of the allocated, proposed and
 * approved columns on its own (an allocation may need twice the past growth while the union's own
 * proposal is below the forecast). Proposals show only where the caller reads unapproved data.
 */
import { ALLOCATION_YEARS, FORECAST_HORIZON, PLAN_GAP_COLUMNS, type PlanGapColumnCode, type PlanGapFlagCode } from '@unionhub/schema';
import type { Access } from './access.js';
import type { Db } from './db.js';
import { DomainError, said } from './errors.js';
import { approvedSeries } from './plan-data.js';
import { overridesOf, withOverrides } from './plan-override.js';
import { unionByCode, unionQuery, type UnionRow } from './unions.js';

export interface GapRow {
  union: UnionRow;
  today: number | null;
  forecast: number | null;
  allocated: number | null;
  proposed: number | null;
  approved: number | null;
  /** Compound growth per year from the base year to the target (approved, else proposed, else allocated), in %. */
  neededRate: number | null;
  /** The union's compound growth per year over its approved 2013–2017 actuals, in %. */
  historicalRate: number | null;
  flags: PlanGapFlagCode[];
  /** Each target column judged on its own, in PLAN_GAP_COLUMNS order. */
  columns: GapColumn[];
}

export interface GapColumn {
  column: PlanGapColumnCode;
  value: number | null;
  /** Compound growth per year from the base year to this column's value, in %. */
  neededRate: number | null;
  flags: PlanGapFlagCode[];
}

const rate = (from: number | null, to: number | null, years: number): number | null =>
  from === null || to === null || from <= 0 || years <= 0 ? null : ((to / from) ** (1 / years) - 1) * 100;

export function gapFlags(target: number | null, forecast: number | null, needed: number | null, historical: number | null): PlanGapFlagCode[] {
  const flags: PlanGapFlagCode[] = [];
  if (needed !== null && historical !== null && needed > 0 && needed > 2 * Math.max(historical, 0)) flags.push('overTwiceHistorical');
  if (target !== null && forecast !== null && target < forecast) flags.push('belowForecast');
  return flags;
}

export async function planGap(db: Db, access: Access, rootCode: string, year: number, indicator: string): Promise<GapRow[]> {
  if (!Number.isInteger(year) || year < ALLOCATION_YEARS.from || year > ALLOCATION_YEARS.to) {
    throw new DomainError('VALIDATION', `The plan's years are ${ALLOCATION_YEARS.from}–${ALLOCATION_YEARS.to}`, said('plan.badYear', { from: ALLOCATION_YEARS.from, to: ALLOCATION_YEARS.to }));
  }
  const root = await unionByCode(db, rootCode);
  if (!access.reads(root.path)) throw new DomainError('FORBIDDEN', 'Your roles do not allow reading figures here', said('plan.readForbidden', { unionName: root.name }));
  const unions: UnionRow[] = await unionQuery(db).where((w) => w.where('u.id', root.id).orWhere('u.parent_id', root.id)).orderBy('u.path');
  const ids = unions.map((u) => u.id);
  const indicatorId = (await db('indicator').select('id').where('code', indicator).first())?.id;
  if (indicatorId === undefined) throw new DomainError('NOT_FOUND', `Unknown indicator "${indicator}"`, said('cell.unknownIndicator', { indicator }));
  const figures: { unionId: number; year: number; scenario: string; status: string; value: number | null; proposed: number | null }[] = await db('figure')
    .select('union_id as unionId', 'year', 'scenario', 'status', 'value', 'proposed_value as proposed')
    .whereIn('union_id', ids).where('indicator_id', indicatorId)
    .where((w) => w.where({ scenario: 'target', year }).orWhere((a) => a.where({ scenario: 'actual', status: 'approved' }).whereIn('year', [FORECAST_HORIZON.actualFrom, ALLOCATION_YEARS.base])));
  const cell = (unionId: number, scenario: string, y: number) => figures.find((f) => Number(f.unionId) === unionId && f.scenario === scenario && Number(f.year) === y);
  const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  // The stored forecast, with a reviewer's override in force in place of the computed value.
  const overrides = await overridesOf(db, ids, indicator, await approvedSeries(db, root, [indicator]));
  const forecasts = new Map<number, { year: number; value: number }[]>(
    (await db('forecast').select('union_id', 'vals').whereIn('union_id', ids).where('indicator_code', indicator))
      .map((r: { union_id: number; vals: string }) => [Number(r.union_id), withOverrides(JSON.parse(r.vals), overrides.get(Number(r.union_id)))]),
  );
  // The allocation applied last for this indicator that reached each union.
  const previews: { cells: string }[] = await db('allocation_preview').select('cells').where('indicator_code', indicator).whereNotNull('applied_at').orderBy('applied_at', 'desc').limit(20);
  const allocated = new Map<string, number>();
  for (const p of previews) {
    for (const c of JSON.parse(p.cells) as { unionCode: string; year: number; value: number }[]) {
      if (c.year === year && !allocated.has(c.unionCode)) allocated.set(c.unionCode, c.value);
    }
  }
  return unions.map((u) => {
    const target = cell(u.id, 'target', year);
    const unapproved = access.readsUnapproved(u.path);
    const approved = target?.status === 'approved' ? num(target.value) : null;
    const proposed = !unapproved || !target ? null : target.status === 'approved' ? num(target.proposed) : num(target.value);
    const today = num(cell(u.id, 'actual', ALLOCATION_YEARS.base)?.value);
    const first = num(cell(u.id, 'actual', FORECAST_HORIZON.actualFrom)?.value);
    const forecast = forecasts.get(u.id)?.find((p) => p.year === year)?.value ?? null;
    const alloc = allocated.get(u.code) ?? null;
    const goal = approved ?? proposed ?? alloc;
    const neededRate = rate(today, goal, year - ALLOCATION_YEARS.base);
    const historicalRate = rate(first, today, ALLOCATION_YEARS.base - FORECAST_HORIZON.actualFrom);
    const values: Record<PlanGapColumnCode, number | null> = { allocated: alloc, proposed, approved };
    const columns = PLAN_GAP_COLUMNS.map((column): GapColumn => {
      const needed = rate(today, values[column], year - ALLOCATION_YEARS.base);
      return { column, value: values[column], neededRate: needed, flags: gapFlags(values[column], forecast, needed, historicalRate) };
    });
    return { union: u, today, forecast, allocated: alloc, proposed, approved, neededRate, historicalRate, flags: gapFlags(goal, forecast, neededRate, historicalRate), columns };
  });
}
