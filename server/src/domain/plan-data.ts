/** What the plan's modules share (issue 16): who the department is, and the approved actuals they read. */
import { ALLOCATION_ROLES, FORECAST_HORIZON } from '@unionhub/schema';
import type { Access } from './access.js';
import { pathRange, type Db } from './db.js';
import type { UnionRow } from './unions.js';

/** The department: a grant of an allocating role over the whole hierarchy. */
export function allocates(access: Access): boolean {
  return !!access.caller?.grants.some((g) => (ALLOCATION_ROLES as readonly string[]).includes(g.role) && g.path.split('/').filter(Boolean).length <= 1);
}

export type Versions = Record<string, number>;
export interface ApprovedSeries {
  series: { year: number; value: number | null }[];
  /** The approved cells' versions by year: a forecast is stale when they change. */
  versions: Versions;
}

/** Approved actuals 2013–2017 of the subtree's unions for the indicators, by "unionId|indicator". */
export async function approvedSeries(db: Db, root: UnionRow, indicators: readonly string[]): Promise<Map<string, ApprovedSeries>> {
  const [lo, hi] = pathRange(root.path);
  return bySeries(await approvedActuals(db, indicators).where('u.path', '>=', lo).andWhere('u.path', '<', hi));
}

/** Unions named in one query of approvedSeriesOf: well under every driver's parameter limit. */
const UNIONS_PER_QUERY = 1_000;

/** The same for the named unions only (a grid's rows, a union and its children). */
export async function approvedSeriesOf(db: Db, unionIds: readonly number[], indicators: readonly string[]): Promise<Map<string, ApprovedSeries>> {
  const rows: ActualRow[] = [];
  for (let at = 0; at < unionIds.length; at += UNIONS_PER_QUERY) {
    rows.push(...(await approvedActuals(db, indicators).whereIn('f.union_id', unionIds.slice(at, at + UNIONS_PER_QUERY))));
  }
  return bySeries(rows);
}

type ActualRow = { unionId: number; code: string; year: number; value: number | null; version: number };

function approvedActuals(db: Db, indicators: readonly string[]) {
  return db('figure as f')
    .join('trade_union as u', 'u.id', 'f.union_id')
    .join('indicator as i', 'i.id', 'f.indicator_id')
    .select('f.union_id as unionId', 'i.code', 'f.year', 'f.value', 'f.version')
    .whereIn('i.code', [...new Set(indicators)])
    .andWhere({ 'f.scenario': 'actual', 'f.status': 'approved' })
    .andWhere('f.year', '>=', FORECAST_HORIZON.actualFrom).andWhere('f.year', '<=', FORECAST_HORIZON.actualTo);
}

function bySeries(rows: readonly ActualRow[]): Map<string, ApprovedSeries> {
  const out = new Map<string, ApprovedSeries>();
  for (const r of rows) {
    const k = `${Number(r.unionId)}|${r.code}`;
    const entry = out.get(k) ?? out.set(k, { series: [], versions: {} }).get(k)!;
    entry.series.push({ year: Number(r.year), value: r.value === null ? null : Number(r.value) });
    entry.versions[String(r.year)] = Number(r.version);
  }
  return out;
}
