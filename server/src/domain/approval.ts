/**
 * The approval state machine, cell by cell: draft → submitted → approved, sent back with a
 * reason, re-opened with a reason; a correction to an approved cell is a proposal kept beside
 * the approved value until it is approved itself. Transitions run on a list of cells (strict:
 * one wrong cell refuses the batch, unless the list asks to be lenient), a unit-year or a subtree
 * query (lenient: what qualifies moves, the rest is counted with its reason), always in one
 * transaction, each leaving a revision.
 */
import type { FigureStatus, Operation, Scenario, SkipReason } from '@unionhub/schema';
import type { Access } from './access.js';
import { insertChunked, isoTime, pathRange, type Db } from './db.js';
import { CellBatchError, DomainError, said, type Said } from './errors.js';
import { unionByCode } from './unions.js';
import { cellId, figuresByKeys, valueProblem, type CellKey, type FigureRow } from './figures.js';
import { involvedIndicators } from './rules.js';
import { recheck, type SyncReport } from './reconcile.js';
import { discrepanciesChanged, figuresChanged, type WithEvents } from './events.js';

export type Transition = 'submit' | 'approve' | 'sendBack' | 'reopen';

interface TransitionDef {
  op: Operation;
  needsReason: boolean;
  /** The new status, or null when the transition does not apply to the cell as it is. */
  next(f: FigureRow): 'draft' | 'submitted' | 'approved' | 'proposal-approved' | 'proposal-rejected' | null;
}

export const TRANSITIONS: Record<Transition, TransitionDef> = {
  submit: { op: 'submit', needsReason: false, next: (f) => (f.status === 'draft' && f.value !== null ? 'submitted' : null) },
  approve: {
    op: 'approve',
    needsReason: false,
    next: (f) => (f.status === 'submitted' ? 'approved' : f.status === 'approved' && f.proposedValue !== null ? 'proposal-approved' : null),
  },
  sendBack: {
    op: 'approve',
    needsReason: true,
    next: (f) => (f.status === 'submitted' ? 'draft' : f.status === 'approved' && f.proposedValue !== null ? 'proposal-rejected' : null),
  },
  reopen: { op: 'approve', needsReason: true, next: (f) => (f.status === 'approved' && f.proposedValue === null ? 'draft' : null) },
};

export type Selection =
  | { cells: CellKey[]; /** Move what can move and count the rest, as a unit-year or subtree does (default: all or nothing). */ lenient?: boolean }
  | { unitYear: { unionCode: string; year: number; scenario: Scenario } }
  | { subtree: { root: string; year: number; scenario: Scenario; onlyPassing: boolean } };

export interface TransitionResult extends WithEvents {
  moved: FigureRow[];
  /** Cells the selection named that did not move, with why (lenient selections only). */
  skipped: Skip[];
  reconciliation: SyncReport | null;
}

/**
 * Why a cell did not move: a stable code and its parameters for the client to word, and the English
 * `reason` API callers have read so far. The parameters carry the cell's status only where the caller
 * may read it (`NOT_ALLOWED` and `NO_SUCH_CELL` carry none).
 */
export interface Skip {
  cell: CellKey;
  code: SkipReason;
  params: { status: FigureStatus | null; withProposal: boolean | null };
  reason: string;
  /** The reason as a message key of schema/src/messages.ts and its params. */
  said: Said;
}

const NO_PARAMS: Skip['params'] = { status: null, withProposal: null };

/** A cell's status for a reason: given once the caller is known to hold the transition's role there (each such role reads unapproved data). */
const paramsOf = (f: FigureRow): Skip['params'] => ({ status: f.status, withProposal: f.proposedValue !== null });

function why(t: Transition, f: FigureRow): Pick<Skip, 'code' | 'params' | 'reason'> {
  const params = paramsOf(f);
  if (f.status === 'approved' && t !== 'reopen' && f.proposedValue === null) return { code: 'ALREADY_APPROVED', params, reason: 'already approved' };
  const reason = `cannot ${t} a ${f.status}${f.proposedValue !== null ? ' cell with a proposal' : ' cell'}${f.value === null ? ' without a value' : ''}`;
  return { code: f.status === 'draft' && f.value === null ? 'NO_VALUE' : 'WRONG_STATUS', params, reason };
}

/** `why` as a message key and its params. */
const whySaid = (t: Transition, f: FigureRow): Said =>
  f.status === 'approved' && t !== 'reopen' && f.proposedValue === null
    ? said('transition.alreadyApproved')
    : said('transition.cannot', { transition: t, status: f.status, withProposal: f.proposedValue !== null, withoutValue: f.value === null });

async function select(db: Db, sel: Selection): Promise<{ figures: FigureRow[]; strict: boolean; missing: CellKey[] }> {
  if ('cells' in sel) {
    const figures = await figuresByKeys(db, sel.cells);
    const have = new Set(figures.map(cellId));
    return { figures, strict: !sel.lenient, missing: sel.cells.filter((c) => !have.has(cellId(c))) };
  }
  const q = db('figure as f')
    .join('trade_union as u', 'u.id', 'f.union_id')
    .join('indicator as i', 'i.id', 'f.indicator_id')
    .select('u.code as unionCode', 'i.code as indicatorCode', 'f.year', 'f.scenario');
  if ('unitYear' in sel) {
    const { unionCode, year, scenario } = sel.unitYear;
    const keys: CellKey[] = await q.where({ 'u.code': unionCode, 'f.year': year, 'f.scenario': scenario });
    return { figures: await figuresByKeys(db, keys), strict: false, missing: [] };
  }
  const { root, year, scenario } = sel.subtree;
  const [lo, hi] = pathRange((await unionByCode(db, root)).path);
  const keys: CellKey[] = await q.where('u.path', '>=', lo).andWhere('u.path', '<', hi).andWhere({ 'f.year': year, 'f.scenario': scenario });
  return { figures: await figuresByKeys(db, keys), strict: false, missing: [] };
}

/** Cells with an unresolved error-severity discrepancy on them: they cannot pass "approve all that pass". */
async function blockedCells(db: Db, figures: FigureRow[]): Promise<Set<string>> {
  if (figures.length === 0) return new Set();
  const rows: { unionCode: string; ruleId: string; indicatorCode: string; year: number; scenario: string }[] = await db('discrepancy as d')
    .join('trade_union as u', 'u.id', 'd.union_id')
    .select('u.code as unionCode', 'd.rule_id as ruleId', 'd.indicator_code as indicatorCode', 'd.year', 'd.scenario')
    .whereIn('d.union_id', [...new Set(figures.map((f) => f.unionId))])
    .whereIn('d.state', ['open', 'explained'])
    .where('d.severity', 'error');
  const blocked = new Set<string>();
  for (const d of rows) for (const code of involvedIndicators(d.ruleId, d.indicatorCode)) blocked.add(cellId({ unionCode: d.unionCode, indicatorCode: code, year: d.year, scenario: d.scenario as Scenario }));
  return blocked;
}

/** Four-eyes' reason for a cell that does not move: the same words refuse a list and count in a subtree's skipped cells. */
export const WRITTEN_BY_YOU = 'written by you (four-eyes: another user must approve it)';

/**
 * Who wrote each cell's current value: the actor of its latest value revision (a write or an import).
 * A cell without one holds a value no user typed (the seed).
 */
async function valueAuthors(db: Db, figureIds: number[]): Promise<Map<number, string>> {
  const authors = new Map<number, string>();
  for (let i = 0; i < figureIds.length; i += 1_000) {
    const ids = figureIds.slice(i, i + 1_000);
    const latest = db('figure_revision').max('id').where('change', 'value').whereIn('figure_id', ids).groupBy('figure_id');
    const rows: { figureId: number; actor: string }[] = await db('figure_revision').select('figure_id as figureId', 'actor').whereIn('id', latest);
    for (const r of rows) authors.set(Number(r.figureId), r.actor);
  }
  return authors;
}

/** The author an approval must not be by: the proposer of a proposal, the writer of a submitted value. */
async function authorsOf(db: Db, moving: { f: FigureRow; next: string }[]): Promise<Map<number, string | null>> {
  const written = await valueAuthors(db, moving.filter((m) => m.next === 'approved').map((m) => m.f.id));
  return new Map(moving.map(({ f, next }) => [f.id, next === 'proposal-approved' ? f.proposedBy : (written.get(f.id) ?? null)]));
}

export async function transition(db: Db, t: Transition, sel: Selection, opts: { access: Access; reason?: string | null }): Promise<TransitionResult> {
  const def = TRANSITIONS[t];
  const reason = opts.reason?.trim() || null;
  if (def.needsReason && !reason) throw new DomainError('VALIDATION', `A reason is required to ${t}`, said('transition.reasonRequired', { transition: t }));
  const actor = opts.access.caller?.username ?? 'anonymous';
  return db.transaction(async (trx) => {
    const { figures, strict, missing } = await select(trx, sel);
    const errors: DomainError[] = [];
    const skipped: TransitionResult['skipped'] = [];
    const blocked = 'subtree' in sel && sel.subtree.onlyPassing ? await blockedCells(trx, figures) : new Set<string>();
    const index = 'cells' in sel ? new Map(sel.cells.map((c, i) => [cellId(c), i])) : new Map<string, number>();
    const refuse = (f: CellKey, code: DomainError['code'], skip: Pick<Skip, 'code' | 'params' | 'reason'>, says: Said) => {
      // The cell's key only: a refusal must not carry its value, status or proposal to a caller who may not read them.
      const cell: CellKey = { unionCode: f.unionCode, indicatorCode: f.indicatorCode, year: f.year, scenario: f.scenario };
      if (strict) {
        const details = { index: index.get(cellId(f)), ...cell, reason: skip.code, ...says };
        errors.push(new DomainError(code, `${f.unionCode}, ${f.indicatorCode}, ${f.year}, ${f.scenario}: ${skip.reason}`, details));
      } else skipped.push({ cell, ...skip, said: says });
    };
    for (const m of missing) refuse(m, 'NOT_FOUND', { code: 'NO_SUCH_CELL', params: NO_PARAMS, reason: 'no such cell' }, said('transition.noCell'));
    let moving: { f: FigureRow; next: NonNullable<ReturnType<TransitionDef['next']>> }[] = [];
    for (const f of figures) {
      const next = def.next(f);
      if (!opts.access.can(def.op, f.unionPath)) refuse(f, 'FORBIDDEN', { code: 'NOT_ALLOWED', params: NO_PARAMS, reason: `your roles do not allow you to ${t} here` }, said('transition.forbidden', { transition: t }));
      else if (next === null) refuse(f, 'FORBIDDEN_TRANSITION', why(t, f), whySaid(t, f));
      else if (blocked.has(cellId(f))) refuse(f, 'FORBIDDEN_TRANSITION', { code: 'BLOCKED_BY_DISCREPANCY', params: paramsOf(f), reason: 'an open discrepancy blocks it' }, said('transition.blocked'));
      else moving.push({ f, next });
    }
    if (t === 'approve' && opts.access.policy.fourEyes && moving.length) {
      const authors = await authorsOf(trx, moving);
      const allowed: typeof moving = [];
      for (const m of moving) {
        if (opts.access.mayApproveWrittenBy(authors.get(m.f.id) ?? null)) allowed.push(m);
        else refuse(m.f, 'FORBIDDEN', { code: 'WRITTEN_BY_YOU', params: paramsOf(m.f), reason: WRITTEN_BY_YOU }, said('transition.fourEyes'));
      }
      moving = allowed;
    }
    if (errors.length) throw new CellBatchError(errors as never);

    const at = new Date();
    const revisions: Record<string, unknown>[] = [];
    const valueChanged: FigureRow[] = [];
    for (const { f, next } of moving) {
      const update: Record<string, unknown> = { version: f.version + 1, updated_by: actor, updated_at: at };
      let rev: Record<string, unknown>;
      if (next === 'proposal-approved') {
        Object.assign(update, { value: f.proposedValue, proposed_value: null, proposed_by: null, proposed_at: null, approved_by: actor, approved_at: at });
        rev = { change: 'proposal', before_value: f.value, after_value: f.proposedValue, before_status: 'approved', after_status: 'approved' };
        valueChanged.push(f);
      } else if (next === 'proposal-rejected') {
        Object.assign(update, { proposed_value: null, proposed_by: null, proposed_at: null });
        rev = { change: 'proposal', before_value: f.proposedValue, after_value: null, before_status: 'approved', after_status: 'approved' };
      } else {
        Object.assign(update, { status: next }, next === 'approved' ? { approved_by: actor, approved_at: at } : next === 'draft' ? { approved_by: null, approved_at: null } : {});
        rev = { change: 'status', before_value: f.value, after_value: f.value, before_status: f.status, after_status: next };
      }
      const changed = await trx('figure').where({ id: f.id, version: f.version }).update(update);
      if (changed !== 1) throw new DomainError('CONFLICT', `${f.unionCode}, ${f.indicatorCode}, ${f.year}: the cell changed meanwhile`, { unionCode: f.unionCode, indicatorCode: f.indicatorCode, year: f.year, scenario: f.scenario, ...said('cell.changedMeanwhile') });
      revisions.push({ figure_id: f.id, version: f.version + 1, actor, at, reason, ...rev });
    }
    await insertChunked(trx, 'figure_revision', revisions);
    const reconciliation = valueChanged.length
      ? await recheck(trx, valueChanged.map((f) => ({ unionId: f.unionId, indicatorCode: f.indicatorCode, year: f.year, scenario: f.scenario })), actor)
      : null;
    const moved = moving.length ? await figuresByKeys(trx, moving.map((m) => m.f)) : [];
    return { moved, skipped, reconciliation, events: [...figuresChanged(actor, moved), ...discrepanciesChanged(reconciliation)] };
  });
}

export interface ProposeResult extends WithEvents {
  figure: FigureRow;
}

/** A correction to an approved cell: kept beside the approved value, which stays in force. */
export async function propose(db: Db, cell: CellKey & { value: number; expectedVersion: number }, opts: { access: Access; reason?: string | null }): Promise<ProposeResult> {
  const actor = opts.access.caller?.username ?? 'anonymous';
  const problems = valueProblem(cell.indicatorCode, cell.value);
  if (problems) {
    const { unionCode, indicatorCode, year, scenario } = cell;
    throw new DomainError('VALIDATION', `${unionCode}, ${indicatorCode}, ${year}, ${scenario}: ${problems.text}`, { unionCode, indicatorCode, year, scenario, ...said(problems.key, problems.params) });
  }
  return db.transaction(async (trx) => {
    const [f] = await figuresByKeys(trx, [cell]);
    if (!f) throw new DomainError('NOT_FOUND', 'No such cell', said('cell.notFound'));
    if (!opts.access.can('edit', f.unionPath)) throw new DomainError('FORBIDDEN', 'Your roles do not allow editing here', said('edit.forbidden'));
    if (f.status !== 'approved') throw new DomainError('FORBIDDEN_TRANSITION', `Only an approved cell takes a proposal; this one is ${f.status}: edit it instead`, said('proposal.notApproved', { status: f.status }));
    if (f.version !== cell.expectedVersion) throw new DomainError('CONFLICT', `The cell changed meanwhile (version ${f.version})`, { currentVersion: f.version, currentValue: f.value, ...said('proposal.changed', { version: f.version }) });
    const at = new Date();
    await trx('figure').where({ id: f.id, version: f.version }).update({ proposed_value: cell.value, proposed_by: actor, proposed_at: at, version: f.version + 1, updated_by: actor, updated_at: at });
    await trx('figure_revision').insert({
      figure_id: f.id, change: 'proposal', before_value: f.proposedValue, after_value: cell.value, before_status: 'approved', after_status: 'approved',
      version: f.version + 1, actor, at, reason: opts.reason ?? null,
    });
    const figure = (await figuresByKeys(trx, [cell]))[0]!;
    return { figure, events: figuresChanged(actor, [figure]) };
  });
}

export interface CommentRow {
  id: number;
  author: string;
  at: string;
  text: string;
}

export async function comment(db: Db, cell: CellKey, text: string, access: Access): Promise<FigureRow> {
  const body = text.trim();
  if (!body) throw new DomainError('VALIDATION', 'A comment needs text', said('comment.empty'));
  if (body.length > 4000) throw new DomainError('VALIDATION', 'A comment has at most 4,000 characters', said('comment.tooLong', { limit: 4000 }));
  const actor = access.caller?.username ?? 'anonymous';
  return db.transaction(async (trx) => {
    const [f] = await figuresByKeys(trx, [cell]);
    if (!f) throw new DomainError('NOT_FOUND', 'No such cell', said('cell.notFound'));
    if (!access.can('comment', f.unionPath)) throw new DomainError('FORBIDDEN', 'Your roles do not allow commenting here', said('comment.forbidden'));
    const at = new Date();
    await trx('comment').insert({ figure_id: f.id, author: actor, at, text: body });
    // A comment changes no value and no version, but it is part of the cell's history.
    await trx('figure_revision').insert({
      figure_id: f.id, change: 'comment', before_value: f.value, after_value: f.value, before_status: f.status, after_status: f.status,
      version: f.version, actor, at, reason: body,
    });
    return f;
  });
}

export async function commentsOf(db: Db, figureId: number): Promise<CommentRow[]> {
  const rows = await db('comment').select('id', 'author', 'at', 'text').where('figure_id', figureId).orderBy('id');
  return rows.map((r: CommentRow) => ({ ...r, at: isoTime(r.at) }));
}
