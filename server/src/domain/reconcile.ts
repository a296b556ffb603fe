/**
 * Reconciliation runs: a full run over every cell, and the incremental re-check of the rule
 * instances a write touched, inside the write's transaction. Found discrepancies are synced
 * with the stored ones: new → open; gone → resolved; back after being resolved (or changed
 * after being accepted/waived) → re-opened. Every state change leaves a revision.
 */
import { RULES, type Scenario } from '@unionhub/schema';
import { indicatorIds, insertChunked, isoTime, together, type Db } from './db.js';
import { packedCellsByUnion } from './packed.js';
import { discrepanciesChanged, type WithEvents } from './events.js';
import { allChecks, checksAfterWrite, covers, evaluate, instanceKey, type Check, type Found } from './rules.js';
import { DenseCells, loadTree, MapCells, type UnionTree } from './rule-sources.js';

// ---------- syncing found discrepancies with stored ones ----------

export interface SyncReport {
  checked: number;
  found: number;
  opened: number;
  reopened: number;
  resolved: number;
  /** Discrepancies whose state changed, for listeners. */
  changedIds: number[];
  /** Where a full run spent its time. */
  ms?: { load: number; evaluate: number; sync: number };
}

interface StoredDiscrepancy {
  id: number;
  instanceKey: string;
  ruleId: string;
  unionId: number;
  indicatorCode: string;
  year: number;
  scenario: string;
  state: string;
  difference: number | null;
}

/**
 * Sync found discrepancies with the stored ones. Several writes re-checked together (a group
 * commit) each own the checks they were the last to touch: a change is reported to, and its
 * revision made by, the owner of the check that found or covers it — one report per owner.
 */
async function sync(
  db: Db, tree: UnionTree, found: (Found & { owner?: number })[], stored: StoredDiscrepancy[],
  coveredBy: (d: StoredDiscrepancy) => number, actors: string[], checked: number[],
): Promise<SyncReport[]> {
  const now = new Date();
  const reports: SyncReport[] = actors.map((_, i) => ({ checked: checked[i]!, found: 0, opened: 0, reopened: 0, resolved: 0, changedIds: [] }));
  const byKey = new Map(stored.map((d) => [d.instanceKey, d]));
  const keyOf = (f: Found) => instanceKey(f.ruleId, tree.unit(f.unionId)!.code, f.indicatorCode, f.year, f.scenario);
  const ownerOf = new Map<string, number>();
  for (const f of found) {
    const key = keyOf(f);
    ownerOf.set(key, Math.max(ownerOf.get(key) ?? 0, f.owner ?? 0));
    reports[f.owner ?? 0]!.found++;
  }
  const foundKeys = new Set<string>();
  const revisions: Record<string, unknown>[] = [];
  const revise = (owner: number, id: number, change: string, before: string | null, after: string, difference: number | null, reason: string | null = null) => {
    revisions.push({ discrepancy_id: id, change, before_state: before, after_state: after, difference, actor: actors[owner], at: now, reason });
    reports[owner]!.changedIds.push(id);
  };
  const fresh: Record<string, unknown>[] = [];
  // Changed stored rows are written in bulk: an insert that always meets its row (instance_key is
  // unique) and so updates the listed columns — one statement instead of one per row.
  const touched: Record<string, unknown>[] = [];
  const reopened: Record<string, unknown>[] = [];
  const VALUE_COLUMNS = ['left_value', 'right_value', 'difference', 'message', 'updated_at'];
  for (const f of found) {
    const key = keyOf(f);
    if (foundKeys.has(key)) continue;
    foundKeys.add(key);
    const owner = ownerOf.get(key)!;
    const row = {
      instance_key: key, rule_id: f.ruleId, severity: f.severity, union_id: f.unionId, indicator_code: f.indicatorCode, year: f.year,
      scenario: f.scenario, state: 'open', first_seen_at: now, left_value: f.left, right_value: f.right, difference: f.difference, message: f.message, updated_at: now,
    };
    const s = byKey.get(key);
    if (!s) {
      fresh.push(row);
    } else if (s.state === 'resolved' || ((s.state === 'accepted' || s.state === 'waived') && s.difference !== f.difference)) {
      reopened.push({ ...row, decided_by: null, decided_at: null, decision_reason: null });
      revise(owner, s.id, 'reopened', s.state, 'open', f.difference);
      reports[owner]!.reopened++;
    } else if (s.difference !== f.difference) {
      touched.push(row);
    }
  }
  const resolved: { s: StoredDiscrepancy; owner: number }[] = [];
  for (const s of stored) {
    if (foundKeys.has(s.instanceKey) || s.state === 'resolved') continue;
    const owner = coveredBy(s);
    if (owner >= 0) resolved.push({ s, owner });
  }
  // Changed, re-opened, new and resolved discrepancies are different rows: their statements go together.
  const resolveAll: Promise<unknown>[] = [];
  for (let i = 0; i < resolved.length; i += 400) {
    resolveAll.push(db('discrepancy').whereIn('id', resolved.slice(i, i + 400).map((r) => r.s.id)).update({ state: 'resolved', updated_at: now }));
  }
  await together(
    insertChunked(db, 'discrepancy', touched, { onConflict: { target: ['instance_key'], merge: VALUE_COLUMNS } }),
    insertChunked(db, 'discrepancy', reopened, {
      onConflict: { target: ['instance_key'], merge: [...VALUE_COLUMNS, 'state', 'decided_by', 'decided_at', 'decision_reason'] },
    }),
    // New ones in bulk (a first run at stress scale finds hundreds of thousands), with their ids.
    insertChunked(db, 'discrepancy', fresh, {
      returning: ['id', 'instance_key', 'difference'],
      after: (_, made) => {
        for (const r of made) {
          const owner = ownerOf.get(r.instance_key as string)!;
          revise(owner, Number(r.id), 'opened', null, 'open', r.difference === null ? null : Number(r.difference));
          reports[owner]!.opened++;
        }
      },
    }),
    ...resolveAll,
  );
  // Revisions in the order they always had: re-opened, opened, resolved.
  for (const { s, owner } of resolved) {
    revise(owner, s.id, 'resolved', s.state, 'resolved', s.difference);
    reports[owner]!.resolved++;
  }
  await insertChunked(db, 'discrepancy_revision', revisions);
  return reports;
}

const STORED_COLUMNS = ['id', 'instance_key as instanceKey', 'rule_id as ruleId', 'union_id as unionId', 'indicator_code as indicatorCode', 'year', 'scenario', 'state', 'difference'];

/** Evaluate every rule on every cell and sync the stored discrepancies with the result. */
export async function reconcileAll(db: Db, actor: string): Promise<SyncReport & WithEvents> {
  const started = Date.now();
  const tree = await loadTree(db);
  const units = tree.units;
  const cells = new DenseCells(units.map((u) => u.id));
  const codeOf = new Map([...(await indicatorIds(db))].map(([code, id]) => [id, code]));
  // Packed one string per union (400 k cells at national scale).
  const packed = await packedCellsByUnion(db, db('figure as f').whereNotNull('f.value'), { fields: ['indicatorId', 'year', 'scenario', 'value'] });
  for (const [u, p] of packed) p.each((c) => cells.set(u, codeOf.get(c.indicatorId)!, c.year, c.scenario, c.value!));
  const loaded = Date.now();
  const found: Found[] = [];
  let checked = 0;
  for (const check of allChecks(units, tree, cells.combos())) {
    checked++;
    for (const f of evaluate(check, cells, tree)) found.push(f);
  }
  const evaluated = Date.now();
  const [report] = await db.transaction(async (trx) => sync(trx, tree, found, await trx('discrepancy').select(STORED_COLUMNS), () => 0, [actor], [checked]));
  return { ...report!, ms: { load: loaded - started, evaluate: evaluated - loaded, sync: Date.now() - evaluated }, events: discrepanciesChanged(report) };
}

export interface ChangedCell {
  unionId: number;
  indicatorCode: string;
  year: number;
  scenario: Scenario;
}

/** Re-check only what the changed cells touch: their group, the sums they are part of, balances and plausibility around them. */
export async function recheck(db: Db, changed: ChangedCell[], actor: string): Promise<SyncReport> {
  return (await recheckGroup(db, [changed], [actor]))[0]!;
}

/** A cell as a write left it, for a re-check whose reads may run before that write (figure-writes sends both together). */
export type WrittenCell = ChangedCell & { value: number | null };

/**
 * The re-check of several writes applied one after another (a group commit), done once on the
 * result: one report per write, each change reported to the last write whose cells touch it.
 * `written` (in write order) lies over what the reads find: every written cell is inside what they
 * read (its union's cell group in its year and scenario).
 */
export async function recheckGroup(db: Db, changedBy: ChangedCell[][], actors: string[], written: readonly WrittenCell[] = []): Promise<SyncReport[]> {
  const tree = await loadTree(db);
  const checks = new Map<string, { check: Check; owner: number }>();
  const checkedBy = changedBy.map((changed, owner) => {
    const mine = new Set<string>();
    for (const c of changed) {
      for (const ch of checksAfterWrite({ unionId: c.unionId, code: c.indicatorCode, year: c.year, scenario: c.scenario }, tree)) {
        const key = `${ch.kind}|${ch.unionId}|${'code' in ch ? ch.code : ''}|${'year' in ch ? ch.year : ''}|${'scenario' in ch ? ch.scenario : ''}`;
        mine.add(key);
        checks.set(key, { check: ch, owner });
      }
    }
    return mine.size;
  });
  const owned = [...checks.values()];
  const list = owned.map((o) => o.check);
  const changed = changedBy.flat();

  // Load what those checks read: every cell of the unions whose own rules run, and for sums the
  // changed indicators' cells of parents and children.
  const own = new Set<number>();
  const summed = new Set<number>();
  for (const ch of list) {
    if (ch.kind === 'hierarchy') {
      summed.add(ch.unionId);
      for (const k of tree.allChildren(ch.unionId)) summed.add(k.id);
    } else {
      own.add(ch.unionId);
      if (ch.kind === 'balance') for (const p of tree.predecessors(ch.unionId, ch.year)) own.add(p);
      if (ch.kind === 'balance') for (const p of tree.predecessors(ch.unionId, ch.year)) for (const s of tree.successors(p, ch.year)) own.add(s);
    }
  }
  const ids = await indicatorIds(db);
  const codeOf = new Map([...ids].map(([code, id]) => [id, code]));
  const cells = new MapCells();
  // A union's own rules read its cell group in the written year-scenario, the written indicators'
  // actual history (history, year over year) and the balance indicators in the years a balance
  // check of the written years reads (the year before to the year after); sums read one indicator
  // of parents and children. Two narrow selects (one OR-ed select plans worse in SQLite), packed one
  // string per union (node-sqlite3 building an object per row was most of a group's time).
  const groups = [...new Set(changed.map((c) => `${c.year}|${c.scenario}`))].map((k) => k.split('|'));
  const actual = changed.filter((c) => c.scenario === 'actual');
  const history = [...new Set(actual.map((c) => ids.get(c.indicatorCode)))].filter((x) => x !== undefined);
  const balanceYears = [...new Set(actual.flatMap((c) => [c.year - 1, c.year, c.year + 1]))];
  const sumCodes = [...new Set(list.filter((c) => c.kind === 'hierarchy').map((c) => (c as { code: string }).code))];
  const sums = list.filter((c) => c.kind === 'hierarchy');
  const sumYears = [...new Set(sums.map((c) => c.year))];
  const sumScenarios = [...new Set(sums.map((c) => c.scenario))];
  const onlySummed = [...summed].filter((id) => !own.has(id));
  const unions = [...new Set(list.map((c) => c.unionId))];
  // Own and summed unions are disjoint: both selects go as one statement.
  const cellReads = [
    ...(own.size
      ? [
          db('figure as f')
            .whereNotNull('f.value')
            .whereIn('f.union_id', [...own])
            .andWhere((x) => {
              for (const [y, sc] of groups) x.orWhere({ 'f.year': Number(y), 'f.scenario': sc });
              if (history.length) x.orWhere((h) => h.where('f.scenario', 'actual').whereIn('f.indicator_id', history));
              if (balanceYears.length) x.orWhere((b) => b.where('f.scenario', 'actual').whereIn('f.year', balanceYears).whereIn('f.indicator_id', balanceIds(ids)));
            }),
        ]
      : []),
    // Naming the scenario lets SQLite seek the (union, scenario, year, indicator) index per union.
    ...(onlySummed.length && sumCodes.length
      ? [
          db('figure as f')
            .whereNotNull('f.value')
            .whereIn('f.union_id', onlySummed)
            .whereIn('f.scenario', sumScenarios)
            .whereIn('f.year', sumYears)
            .whereIn('f.indicator_id', sumCodes.map((c) => ids.get(c)!)),
        ]
      : []),
  ];
  const [packed, stored] = await together(
    packedCellsByUnion(db, cellReads, { fields: ['indicatorId', 'year', 'scenario', 'value'] }),
    db('discrepancy').select(STORED_COLUMNS).whereIn('union_id', unions) as Promise<StoredDiscrepancy[]>,
  );
  for (const [u, p] of packed) p.each((c) => cells.set(u, codeOf.get(c.indicatorId)!, c.year, c.scenario, c.value));
  for (const w of written) cells.put(w.unionId, w.indicatorCode, w.year, w.scenario, w.value);

  const found = owned.flatMap(({ check, owner }) => evaluate(check, cells, tree).map((f) => ({ ...f, owner })));
  // Every check names its union: a stored discrepancy is asked only of the checks of its own.
  const ownedBy = new Map<number, typeof owned>();
  for (const o of owned) (ownedBy.get(o.check.unionId) ?? ownedBy.set(o.check.unionId, []).get(o.check.unionId)!).push(o);
  const coveredBy = (d: StoredDiscrepancy) => {
    let owner = -1;
    for (const o of ownedBy.get(d.unionId) ?? []) if (o.owner > owner && covers(o.check, d)) owner = o.owner;
    return owner;
  };
  return sync(db, tree, found, stored, coveredBy, actors, checkedBy);
}

const BALANCE_CODES = RULES.flatMap((r) => (r.kind === 'balance' ? [r.stock, ...r.inflows, ...r.outflows] : []));
const balanceIds = (ids: Map<string, number>) => [...new Set(BALANCE_CODES)].map((c) => ids.get(c)).filter((x) => x !== undefined);

// ---------- reading discrepancies ----------

export interface DiscrepancyRow {
  id: number;
  ruleId: string;
  severity: string;
  unionId: number;
  unionCode: string;
  unionPath: string;
  indicatorCode: string;
  year: number;
  scenario: Scenario;
  state: string;
  leftValue: number | null;
  rightValue: number | null;
  difference: number | null;
  message: string;
  explanation: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  firstSeenAt: string;
  updatedAt: string;
  /** Who wrote the current explanation, and when (its latest "explained" revision). */
  explainedBy: string | null;
  explainedAt: string | null;
}

const COLUMNS = [
  'd.id', 'd.rule_id as ruleId', 'd.severity', 'd.union_id as unionId', 'u.code as unionCode', 'u.path as unionPath', 'd.indicator_code as indicatorCode',
  'd.year', 'd.scenario', 'd.state', 'd.left_value as leftValue', 'd.right_value as rightValue', 'd.difference', 'd.message', 'd.explanation',
  'd.decided_by as decidedBy', 'd.decided_at as decidedAt', 'd.decision_reason as decisionReason', 'd.first_seen_at as firstSeenAt', 'd.updated_at as updatedAt',
];

export function toDiscrepancy(r: Record<string, unknown>): DiscrepancyRow {
  return {
    ...(r as unknown as DiscrepancyRow),
    decidedAt: r.decidedAt === null ? null : isoTime(r.decidedAt),
    explainedBy: (r.explainedBy as string | null | undefined) ?? null,
    explainedAt: r.explainedAt === null || r.explainedAt === undefined ? null : isoTime(r.explainedAt),
    firstSeenAt: isoTime(r.firstSeenAt),
    updatedAt: isoTime(r.updatedAt),
  };
}

/** The latest "explained" revision's column; looked up only where there is an explanation (few rows). */
const explained = (db: Db, column: 'actor' | 'at', as: string) =>
  db.raw(
    `case when d.explanation is null then null else (select r.${column} from discrepancy_revision r where r.discrepancy_id = d.id and r.change = 'explained' order by r.id desc limit 1) end as "${as}"`,
  );

export function discrepancyQuery(db: Db) {
  return db('discrepancy as d').join('trade_union as u', 'u.id', 'd.union_id').select(COLUMNS).select(explained(db, 'actor', 'explainedBy'), explained(db, 'at', 'explainedAt'));
}
