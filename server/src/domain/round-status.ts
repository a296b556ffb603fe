/**
 * Where every expected union stands in a round at the clock's instant, read set-based: one query
 * each for the expected unions, their trail (aggregated), extensions, level-1 deadlines and cells
 * (grouped), then joined in memory — never a query per union (~1,500 of them).
 */
import { daysAfter, type SubmissionStatus } from '@unionhub/schema';
import { indicatorIds, isoTime, pathRange, rawRows, validIn, type Db } from './db.js';
import { unionQuery, type UnionRow } from './unions.js';
import { cellsPerYear, expectedCellCount, requiredCells, requiredCellsSql, type RoundRow } from './round-data.js';

export interface ExtensionRow {
  deadline: Date;
  reason: string;
  grantedBy: string;
  grantedAt: string;
}

export interface UnitState {
  union: UnionRow;
  status: SubmissionStatus;
  /** The deadline that counts: the latest extension's, else the level-1 union's own, else the round's. */
  deadline: Date;
  /** Before any extension: the level-1 union's own deadline for its children, else the round's. */
  originalDeadline: Date;
  extension: ExtensionRow | null;
  firstSubmittedAt: Date | null;
  lastSubmittedAt: Date | null;
  daysLate: number | null;
  cellsExpected: number;
  cellsFilled: number;
  cellsApproved: number;
}

export interface Scope {
  /** The subtree's root; its own row counts when its level reports. */
  root: UnionRow;
  /** Only these levels (absolute), within the round's. */
  minLevel?: number;
  maxLevel?: number;
  /** Only this union. */
  unionId?: number;
  /** Only these unions (a caller that needs a few does not read the whole subtree). */
  unionIds?: readonly number[];
  /**
   * Count the filled and approved required cells (default true). The count reads every figure row of
   * the subtree (~422k nationally): who reads only statuses and deadlines passes false (cells fields 0).
   */
  cells?: boolean;
}

/** The Scope option for callers that read only statuses and deadlines (the chase list, reminders, the cover). */
export const NO_CELLS = { cells: false } as const satisfies Partial<Scope>;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(isoTime(v)));

/** The expected unions of the scope: in the round's year's tree, on a level that reports. */
async function expectedUnions(db: Db, round: RoundRow, scope: Scope): Promise<UnionRow[]> {
  const [lo, hi] = pathRange(scope.root.path);
  let q = unionQuery(db).where('u.path', '>=', lo).andWhere('u.path', '<', hi).whereIn('u.level', round.levels);
  if (scope.minLevel !== undefined) q = q.where('u.level', '>=', scope.minLevel);
  if (scope.maxLevel !== undefined) q = q.where('u.level', '<=', scope.maxLevel);
  if (scope.unionId !== undefined) q = q.where('u.id', scope.unionId);
  if (scope.unionIds !== undefined) q = q.whereIn('u.id', [...scope.unionIds]);
  return validIn(q, { from: round.year, to: round.year }).orderBy('u.path');
}

/** The states of the scope's expected unions, in path order. */
export async function unitStates(db: Db, round: RoundRow, scope: Scope, now: Date): Promise<UnitState[]> {
  const unions = await expectedUnions(db, round, scope);
  if (unions.length === 0) return [];
  const [lo, hi] = pathRange(scope.root.path);
  // Named unions: their trail and extensions only, not the subtree's.
  const named = scope.unionId !== undefined || scope.unionIds !== undefined ? unions.map((u) => u.id) : null;
  const inScope = (alias: string) => `${alias}.path >= ? and ${alias}.path < ?${named ? ` and ${alias}.id in (${named.map(() => '?').join(',')})` : ''}`;
  const scoped = [lo, hi, ...(named ?? [])];
  const [trail, extensions, parts, cells] = await Promise.all([
    rawRows<{ id: number; first: unknown; last: unknown; returned: unknown }>(db,
      `select e.union_id as id,
         min(case when e.kind = 'SUBMITTED' then e.at end) as first,
         max(case when e.kind = 'SUBMITTED' then e.at end) as last,
         max(case when e.kind = 'RETURNED' then e.at end) as returned
       from unit_submission_event e join trade_union u on u.id = e.union_id
       where e.round_id = ? and e.at <= ? and ${inScope('u')}
       group by e.union_id`, [round.id, now, ...scoped]),
    rawRows<{ id: number; deadline: unknown; reason: string; grantedBy: string; grantedAt: unknown }>(db,
      `select x.union_id as id, x.deadline, x.reason, x.granted_by as "grantedBy", x.granted_at as "grantedAt"
       from round_extension x join trade_union u on u.id = x.union_id
       where x.round_id = ? and x.granted_at <= ? and ${inScope('u')}
         and x.id = (select max(y.id) from round_extension y where y.round_id = x.round_id and y.union_id = x.union_id and y.granted_at <= ?)`,
      [round.id, now, ...scoped, now]),
    rawRows<{ id: number; deadline: unknown }>(db, 'select union_id as id, deadline from round_part where round_id = ?', [round.id]),
    scope.cells === false ? Promise.resolve([]) : filledCells(db, round, scope),
  ]);
  const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((r) => [Number(r.id), r]));
  const trailOf = byId(trail);
  const extensionOf = byId(extensions);
  const partOf = new Map(parts.map((p) => [Number(p.id), date(p.deadline)!]));
  const cellsOf = byId(cells);
  const perYear = cellsPerYear(requiredCells(round));
  return unions.map((u) => {
    const t = trailOf.get(u.id);
    const x = extensionOf.get(u.id);
    // A level-2 union answers to its level-1 union's own deadline when it set one.
    const originalDeadline = (u.level === 2 && u.parentId !== null ? partOf.get(u.parentId) : undefined) ?? round.deadline;
    const extension: ExtensionRow | null = x ? { deadline: date(x.deadline)!, reason: x.reason, grantedBy: x.grantedBy, grantedAt: isoTime(x.grantedAt) } : null;
    const deadline = extension?.deadline ?? originalDeadline;
    const first = date(t?.first);
    const last = date(t?.last);
    const returned = date(t?.returned);
    let status: SubmissionStatus;
    if (returned && (!last || returned.getTime() >= last.getTime())) status = 'RETURNED';
    else if (!first) status = 'MISSING';
    else status = first.getTime() <= deadline.getTime() ? 'ON_TIME' : 'LATE';
    let daysLate: number | null = null;
    if (status === 'LATE') daysLate = daysAfter(deadline, first!);
    else if (status !== 'ON_TIME' && now.getTime() > deadline.getTime()) daysLate = daysAfter(deadline, now);
    const c = cellsOf.get(u.id);
    return {
      union: u, status, deadline, originalDeadline, extension, firstSubmittedAt: first, lastSubmittedAt: last, daysLate,
      cellsExpected: expectedCellCount(perYear, u), cellsFilled: Number(c?.filled ?? 0), cellsApproved: Number(c?.approved ?? 0),
    };
  });
}

/** Filled and approved required cells per expected union of the scope: one grouped query. */
async function filledCells(db: Db, round: RoundRow, scope: Scope): Promise<{ id: number; filled: number; approved: number }[]> {
  const cells = requiredCells(round);
  const cond = requiredCellsSql(cells, await indicatorIds(db));
  const [lo, hi] = pathRange(scope.root.path);
  const levels = round.levels.filter((l) => (scope.minLevel === undefined || l >= scope.minLevel) && (scope.maxLevel === undefined || l <= scope.maxLevel));
  if (levels.length === 0 || scope.unionIds?.length === 0) return [];
  let q = db('figure as f').join('trade_union as u', 'u.id', 'f.union_id')
    .select('u.id as id', db.raw('count(*) as filled'), db.raw("sum(case when f.status = 'approved' then 1 else 0 end) as approved"))
    .where('u.path', '>=', lo).andWhere('u.path', '<', hi).whereIn('u.level', levels);
  if (scope.unionId !== undefined) q = q.where('u.id', scope.unionId);
  if (scope.unionIds !== undefined) q = q.whereIn('u.id', [...scope.unionIds]);
  // The union in the round's tree, and each figure of a year the union exists in.
  q = validIn(validIn(q, { from: round.year, to: round.year }), { from: db.ref('f.year'), to: db.ref('f.year') });
  // Grouped by the union's id (scanned in id order): no temporary b-tree for the grouping.
  return q.whereNotNull('f.value').whereRaw(cond.sql, cond.bindings).groupBy('u.id') as Promise<{ id: number; filled: number; approved: number }[]>;
}

export interface CompletenessRow {
  root: UnionRow;
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  missing: number;
  returned: number;
  cellsExpected: number;
  cellsFilled: number;
  cellsApproved: number;
}

/** Counts over states; submitted = on time + late (a returned report is not counted as submitted). */
export function summarise(root: UnionRow, states: readonly UnitState[]): CompletenessRow {
  const row: CompletenessRow = { root, expected: states.length, submitted: 0, onTime: 0, late: 0, missing: 0, returned: 0, cellsExpected: 0, cellsFilled: 0, cellsApproved: 0 };
  for (const s of states) {
    if (s.status === 'ON_TIME') row.onTime++;
    else if (s.status === 'LATE') row.late++;
    else if (s.status === 'MISSING') row.missing++;
    else row.returned++;
    row.cellsExpected += s.cellsExpected;
    row.cellsFilled += s.cellsFilled;
    row.cellsApproved += s.cellsApproved;
  }
  row.submitted = row.onTime + row.late;
  return row;
}
