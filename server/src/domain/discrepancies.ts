/**
 * Reading and deciding discrepancies: filter by subtree, year, rule, state; the drill-down of a
 * hierarchy discrepancy to its children's values; explain (a comment), accept or waive (a
 * reviewer's decision, with a reason). Every decision is a revision.
 */
import { RULES, type Scenario } from '@unionhub/schema';
import type { Access } from './access.js';
import { indicatorIds, isoTime, pathRange, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import { discrepancyQuery, toDiscrepancy, type DiscrepancyRow } from './reconcile.js';
import { loadTree } from './rule-sources.js';
import type { WithEvents } from './events.js';
import { involvedIndicators } from './rules.js';

export const DISCREPANCY_STATES = ['open', 'explained', 'accepted', 'waived', 'resolved'] as const;
export type DiscrepancyState = (typeof DISCREPANCY_STATES)[number];

export interface DiscrepancyFilter {
  root: string;
  year?: number | null;
  scenario?: Scenario | null;
  ruleId?: string | null;
  states?: DiscrepancyState[] | null;
  /** Only those whose rule reads this indicator's cells (a balance on members involves its flows too). */
  involving?: string | null;
  limit: number;
  offset: number;
}

/** Only where the caller reads unapproved figures: a discrepancy shows the values behind it. */
export async function listDiscrepancies(db: Db, f: DiscrepancyFilter, access: Access): Promise<DiscrepancyRow[]> {
  const root = await db('trade_union').select('path').where('code', f.root).first();
  if (!root) throw new DomainError('NOT_FOUND', `Unknown union "${f.root}"`, said('union.unknown', { union: f.root }));
  if (f.ruleId && !RULES.some((r) => r.id === f.ruleId)) throw new DomainError('VALIDATION', `Unknown rule "${f.ruleId}"`);
  const [lo, hi] = pathRange(root.path);
  let q = discrepancyQuery(db).where('u.path', '>=', lo).andWhere('u.path', '<', hi);
  if (f.year !== undefined && f.year !== null) q = q.where('d.year', f.year);
  if (f.scenario) q = q.where('d.scenario', f.scenario);
  if (f.ruleId) q = q.where('d.rule_id', f.ruleId);
  if (f.states?.length) q = q.whereIn('d.state', f.states);
  const rows = (await q.orderBy(['u.path', 'd.year', 'd.rule_id', 'd.indicator_code'])).map(toDiscrepancy);
  const involves = (d: DiscrepancyRow) => !f.involving || involvedIndicators(d.ruleId, d.indicatorCode).includes(f.involving);
  return rows.filter((d) => access.readsUnapproved(d.unionPath) && involves(d)).slice(f.offset, f.offset + f.limit);
}

export async function discrepancyById(db: Db, id: number, access: Access): Promise<DiscrepancyRow> {
  const r = await discrepancyQuery(db).where('d.id', id).first();
  if (!r) throw new DomainError('NOT_FOUND', `No discrepancy ${id}`, said('discrepancy.notFound', { id }));
  const d = toDiscrepancy(r);
  access.requireUnapproved(d.unionPath, 'this discrepancy');
  return d;
}

export interface DrillDownRow {
  unionId: number;
  value: number | null;
  status: string | null;
}

/** A hierarchy discrepancy's children with their values, largest first, so the gap can be traced. */
export async function drillDown(db: Db, d: DiscrepancyRow): Promise<DrillDownRow[]> {
  if (RULES.find((r) => r.id === d.ruleId)?.kind !== 'hierarchy') return [];
  const tree = await loadTree(db);
  const kids = tree.children(d.unionId, d.year);
  const indicatorId = (await indicatorIds(db)).get(d.indicatorCode);
  const rows: { unionId: number; value: number | null; status: string }[] = await db('figure')
    .select('union_id as unionId', 'value', 'status')
    .whereIn('union_id', kids.map((k) => k.id))
    .where({ indicator_id: indicatorId, year: d.year, scenario: d.scenario });
  const byId = new Map(rows.map((r) => [r.unionId, r]));
  return kids
    .map((k) => ({ unionId: k.id, value: byId.get(k.id)?.value ?? null, status: byId.get(k.id)?.status ?? null }))
    .sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
}

export interface DiscrepancyRevisionRow {
  change: string;
  beforeState: string | null;
  afterState: string;
  difference: number | null;
  actor: string;
  at: string;
  reason: string | null;
}

export async function discrepancyHistory(db: Db, id: number): Promise<DiscrepancyRevisionRow[]> {
  const rows = await db('discrepancy_revision')
    .select('change', 'before_state as beforeState', 'after_state as afterState', 'difference', 'actor', 'at', 'reason')
    .where('discrepancy_id', id)
    .orderBy('id');
  return rows.map((r: DiscrepancyRevisionRow) => ({ ...r, at: isoTime(r.at) }));
}

export type Decision = 'explain' | 'accept' | 'waive';

const DECISIONS: Record<Decision, { from: DiscrepancyState[]; to: DiscrepancyState; op: 'comment' | 'approve' }> = {
  explain: { from: ['open', 'explained'], to: 'explained', op: 'comment' },
  accept: { from: ['open', 'explained'], to: 'accepted', op: 'approve' },
  waive: { from: ['open', 'explained'], to: 'waived', op: 'approve' },
};

export interface DecisionResult extends WithEvents {
  discrepancy: DiscrepancyRow;
}

export async function decide(db: Db, id: number, decision: Decision, text: string, access: Access): Promise<DecisionResult> {
  const body = text.trim();
  if (!body) throw new DomainError('VALIDATION', decision === 'explain' ? 'An explanation needs text' : 'A reason is required', said(decision === 'explain' ? 'discrepancy.explanationRequired' : 'discrepancy.reasonRequired'));
  const def = DECISIONS[decision];
  const actor = access.caller?.username ?? 'anonymous';
  return db.transaction(async (trx) => {
    const d = await discrepancyById(trx, id, access);
    if (!access.can(def.op, d.unionPath)) throw new DomainError('FORBIDDEN', `Your roles do not allow you to ${decision} discrepancies here`, said('discrepancy.forbidden', { decision }));
    if (!def.from.includes(d.state as DiscrepancyState)) throw new DomainError('FORBIDDEN_TRANSITION', `Cannot ${decision} a discrepancy that is ${d.state}`, said('discrepancy.cannot', { decision, state: d.state }));
    const at = new Date();
    await trx('discrepancy')
      .where('id', id)
      .update(decision === 'explain' ? { state: def.to, explanation: body, updated_at: at } : { state: def.to, decided_by: actor, decided_at: at, decision_reason: body, updated_at: at });
    await trx('discrepancy_revision').insert({ discrepancy_id: id, change: decision === 'explain' ? 'explained' : def.to, before_state: d.state, after_state: def.to, difference: d.difference, actor, at, reason: body });
    return { discrepancy: await discrepancyById(trx, id, access), events: [{ kind: 'discrepanciesChanged', ids: [id] }] };
  });
}

export async function discrepanciesByIds(db: Db, ids: number[]): Promise<DiscrepancyRow[]> {
  if (ids.length === 0) return [];
  return (await discrepancyQuery(db).whereIn('d.id', ids)).map(toDiscrepancy);
}
