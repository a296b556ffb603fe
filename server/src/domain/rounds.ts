/**
 * The reporting round: create one, read where every union stands (completeness, submissions, one
 * union's page, the chase list), and the writes — submit, return, extend, a level-1 union's own
 * deadline. Every write appends to the trail (unit_submission_event) and returns its events.
 */
import {
  sectionsOfLevel, DEFAULT_REMINDER_STEPS, deadlineInstant, indicator, INDICATORS, isStored, ROUND_LEVELS, ROUND_YEARS, SCENARIOS,
  yearClosesAt, type BlockerKind, type RoundDefinition, type Scenario, type SubmissionEventKind, type SubmissionStatus,
} from '@unionhub/schema';
import { forbidden, type Access } from './access.js';
import { dialectOf, existsIn, indicatorIds, isoTime, rawRows, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import type { DomainEvent, WithEvents } from './events.js';
import { childrenOf, unionByCode, type UnionRow } from './unions.js';
import { cellsOfUnion, insertRound, requireRound, requiredCells, requiredCellsSql, roundById, type RoundRow } from './round-data.js';
import { summarise, unitStates, type CompletenessRow, type UnitState } from './round-status.js';

export { listRounds, roundById, requireRound, type RoundRow } from './round-data.js';
export type { UnitState, CompletenessRow } from './round-status.js';

const invalid = (message: string, fields: string[]) => new DomainError('VALIDATION', message, { http: { status: 400 }, fields });

/** Administrators only; every list defaults to the whole catalogue over the period (actuals and targets). */
export async function createRound(db: Db, access: Access, input: RoundDefinition, now: Date): Promise<RoundRow> {
  if (!access.isAdministrator) throw forbidden('Only an administrator creates a reporting round');
  const name = input.name.trim();
  if (!name) throw invalid('A round needs a name', ['name']);
  if (input.periodFrom > input.periodTo) throw invalid('The period starts after it ends', ['periodFrom', 'periodTo']);
  if (input.year < ROUND_YEARS.from || input.year > ROUND_YEARS.to) throw invalid(`The tree year must lie in ${ROUND_YEARS.from}–${ROUND_YEARS.to}`, ['year']);
  const deadline = deadlineInstant(input.deadline);
  if (!deadline) throw invalid(`"${input.deadline}" is not a date such as 2017-12-10`, ['deadline']);
  if (deadline.getTime() > yearClosesAt(input.year).getTime()) throw invalid(`The deadline falls after the year ${input.year} is closed`, ['deadline']);
  const levels = [...new Set(input.levels)].sort();
  if (levels.length === 0 || levels.some((l) => !(ROUND_LEVELS as readonly number[]).includes(l))) throw invalid(`Levels that report are ${ROUND_LEVELS.join(', ')}`, ['levels']);
  const indicators = input.indicators?.length ? [...new Set(input.indicators)] : ALL_STORED;
  const unknown = indicators.filter((c) => !indicator(c));
  if (unknown.length) throw invalid(`Unknown indicators: ${unknown.join(', ')}`, ['indicators']);
  const years = input.years?.length ? [...new Set(input.years)].sort() : range(input.periodFrom, input.periodTo);
  if (years.some((y) => y < ROUND_YEARS.from || y > ROUND_YEARS.to)) throw invalid(`Years must lie in ${ROUND_YEARS.from}–${ROUND_YEARS.to}`, ['years']);
  const scenarios = input.scenarios?.length ? [...new Set(input.scenarios)] : [...SCENARIOS];
  const steps = input.reminderSteps?.length ? input.reminderSteps : DEFAULT_REMINDER_STEPS;
  if (new Set(steps.map((s) => s.code)).size !== steps.length) throw invalid('Reminder steps need distinct codes', ['reminderSteps']);
  const id = await insertRound(db, {
    name, periodFrom: input.periodFrom, periodTo: input.periodTo, year: input.year, deadline, levels, indicators, years, scenarios,
    reminderSteps: steps, sectionsRequired: input.sectionsRequired ?? false, createdBy: access.caller!.username, createdAt: now,
  });
  return (await roundById(db, id))!;
}

/** Every indicator with cells of its own (computed ones, such as coverage, have none). */
const ALL_STORED = INDICATORS.filter(isStored).map((d) => d.code);
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The root a read names, which the caller must read (its figures, at least the approved ones). */
async function readableRoot(db: Db, access: Access, code: string): Promise<UnionRow> {
  const root = await unionByCode(db, code);
  access.require('read', root.path, `Your roles do not allow reading ${root.name}`, { why: said('report.forbiddenRead', { unionName: root.name }) });
  return root;
}

/**
 * A request's reads of whole subtrees, by round and root code, at the request's one instant: the
 * round's screen asks completeness, each child's completeness and the children's rows of one root in
 * one request — read once. Keyed on the code so a field registers its read before its first await.
 */
export type StatesCache = Map<string, Promise<{ root: UnionRow; states: UnitState[] }>>;

const cacheKeyOf = (round: RoundRow, rootCode: string) => `${round.id}|${rootCode}`;

/** The root's whole subtree, read once per request (when a cache is given); refused where the caller cannot read the root. */
function subtreeStates(db: Db, access: Access, round: RoundRow, rootCode: string, now: Date, cache?: StatesCache) {
  const key = cacheKeyOf(round, rootCode);
  let read = cache?.get(key);
  if (!read) {
    read = readableRoot(db, access, rootCode).then(async (root) => ({ root, states: await unitStates(db, round, { root }, now) }));
    cache?.set(key, read);
  }
  return read;
}

/** Completeness and timeliness over the root's whole subtree (the root too when its level reports). */
export async function completeness(db: Db, access: Access, round: RoundRow, rootCode: string, now: Date, cache?: StatesCache): Promise<CompletenessRow> {
  const { root, states } = await subtreeStates(db, access, round, rootCode, now, cache);
  return summarise(root, states);
}

/** Completeness of each child subtree of the root in that year's tree (TLĐ: each level-1 union's part), from one read. */
export async function completenessBelow(db: Db, access: Access, round: RoundRow, rootCode: string, now: Date, cache?: StatesCache): Promise<CompletenessRow[]> {
  const { root, states } = await subtreeStates(db, access, round, rootCode, now, cache);
  const children = await childrenOf(db, [root.id], { from: round.year, to: round.year });
  return children.map((c) => summarise(c, states.filter((s) => s.union.path.startsWith(c.path))));
}

/** The expected unions from one to `depth` levels below the root that the caller reads, optionally of one status. */
export async function submissions(db: Db, access: Access, round: RoundRow, rootCode: string, opts: { status?: SubmissionStatus | null; depth: number }, now: Date, cache?: StatesCache): Promise<UnitState[]> {
  if (opts.depth < 1 || opts.depth > 3) throw invalid('depth is 1 to 3', ['depth']);
  const root = await unionByCode(db, rootCode);
  const below = (s: UnitState) => s.union.level > root.level && s.union.level <= root.level + opts.depth;
  // After that read every sibling field of the request has started, so a completeness of the same root
  // has registered its read of the whole subtree whichever field came first: filter it; else read just those levels.
  const whole = cache?.get(cacheKeyOf(round, rootCode));
  const states = whole
    ? (await whole).states.filter(below)
    : await unitStates(db, round, { root, minLevel: root.level + 1, maxLevel: root.level + opts.depth }, now);
  return states.filter((s) => access.reads(s.union.path) && (!opts.status || s.status === opts.status));
}

/** One union's state; refused where the caller reads nothing of it, or when the round does not expect it. */
export async function unitState(db: Db, access: Access, round: RoundRow, unionCode: string, now: Date): Promise<UnitState> {
  const union = await unionByCode(db, unionCode);
  access.require('read', union.path, `Your roles do not allow reading ${union.name}`);
  const [state] = await unitStates(db, round, { root: union, unionId: union.id }, now);
  if (!state) throw invalid(`${union.name} is not expected in this round (its level does not report, or it is not in the ${round.year} tree)`, ['unionCode']);
  return state;
}

export interface Blocker {
  kind: BlockerKind;
  unionCode: string;
  indicatorCode: string | null;
  year: number | null;
  scenario: Scenario | null;
  discrepancyId: number | null;
  sectionCode: string | null;
  message: string;
}

/** What still keeps the union from submitting: its blank required cells, its open error discrepancies and (when the round asks) its unsubmitted required sections. */
export async function blockersOf(db: Db, round: RoundRow, union: UnionRow): Promise<Blocker[]> {
  return (await blockersOfUnions(db, round, [union])).get(union.id) ?? [];
}

/**
 * The blockers of several unions of one round (a list's rows): one query for their filled required
 * cells (only the round's cells, not every figure of every year) and one for their open errors.
 */
export async function blockersOfUnions(db: Db, round: RoundRow, unions: readonly UnionRow[]): Promise<Map<number, Blocker[]>> {
  const out = new Map<number, Blocker[]>(unions.map((u) => [u.id, []]));
  if (unions.length === 0) return out;
  const ids = unions.map((u) => u.id);
  const marks = ids.map(() => '?').join(',');
  const required = requiredCells(round);
  const cond = requiredCellsSql(required, await indicatorIds(db));
  const [filled, open, written] = await Promise.all([
    rawRows<{ unionId: number; code: string; year: number; scenario: string }>(db,
      `select f.union_id as "unionId", i.code, f.year, f.scenario from figure f join indicator i on i.id = f.indicator_id
       where f.union_id in (${marks}) and f.value is not null and ${cond.sql}`, [...ids, ...cond.bindings]),
    rawRows<{ unionId: number; id: number; indicatorCode: string; year: number; scenario: Scenario; message: string }>(db,
      `select union_id as "unionId", id, indicator_code as "indicatorCode", year, scenario, message from discrepancy
       where union_id in (${marks}) and severity = 'error' and state = 'open'
         and year in (${round.years.map(() => '?').join(',')}) and scenario in (${round.scenarios.map(() => '?').join(',')})
       order by union_id, year, indicator_code, id`, [...ids, ...round.years, ...round.scenarios]),
    sectionsDone(db, round, ids),
  ]);
  const have = new Set(filled.map((f) => `${Number(f.unionId)}|${f.code}|${Number(f.year)}|${f.scenario}`));
  for (const union of unions) {
    const list = out.get(union.id)!;
    for (const c of cellsOfUnion(required, union)) {
      if (have.has(`${union.id}|${c.indicatorCode}|${c.year}|${c.scenario}`)) continue;
      list.push({ kind: 'BLANK_CELL', unionCode: union.code, indicatorCode: c.indicatorCode, year: c.year, scenario: c.scenario, discrepancyId: null, sectionCode: null,
        message: `${c.indicatorCode} ${c.year} (${c.scenario}) is blank` });
    }
  }
  if (written) {
    for (const union of unions) {
      for (const spec of sectionsOfLevel(union.level).filter((s) => s.required && !written.has(`${union.id}|${s.code}`))) {
        out.get(union.id)!.push({ kind: 'SECTION_MISSING', unionCode: union.code, indicatorCode: null, year: null, scenario: null, discrepancyId: null, sectionCode: spec.code,
          message: `The section "${spec.titleEn}" is not submitted` });
      }
    }
  }
  const codeOf = new Map(unions.map((u) => [u.id, u.code]));
  for (const d of open) {
    const unionId = Number(d.unionId);
    out.get(unionId)?.push({ kind: 'OPEN_DISCREPANCY', unionCode: codeOf.get(unionId)!, indicatorCode: d.indicatorCode, year: Number(d.year), scenario: d.scenario, discrepancyId: Number(d.id), sectionCode: null,
      message: `Unexplained discrepancy: ${d.message}` });
  }
  return out;
}

/**
 * The unions' sections submitted or approved (one query for all), as "unionId|code"; null when the
 * round does not ask for sections. Only rounds created with sectionsRequired do: the seeded 2017
 * round and rounds made before the written report existed keep the story they had (their unions
 * never wrote sections), rather than every one of them turning blocked at once.
 */
async function sectionsDone(db: Db, round: RoundRow, unionIds: readonly number[]): Promise<Set<string> | null> {
  if (!round.sectionsRequired) return null;
  const rows = await db('unit_section').select('union_id as unionId', 'section_code as code')
    .whereIn('union_id', [...unionIds]).whereIn('status', ['SUBMITTED', 'APPROVED']) as { unionId: number; code: string }[];
  return new Set(rows.map((r) => `${Number(r.unionId)}|${r.code}`));
}

export interface SubmissionEventRow {
  kind: SubmissionEventKind;
  at: string;
  by: string;
  reason: string | null;
}

/** The trails of several unions in one round (a list's rows), one query. */
export async function historiesOf(db: Db, roundId: number, unionIds: readonly number[], now: Date): Promise<Map<number, SubmissionEventRow[]>> {
  const out = new Map<number, SubmissionEventRow[]>(unionIds.map((id) => [id, []]));
  if (unionIds.length === 0) return out;
  const rows = await db('unit_submission_event').select('union_id as unionId', 'kind', 'at', 'by', 'reason')
    .where('round_id', roundId).whereIn('union_id', [...unionIds]).andWhere('at', '<=', now).orderBy(['at', 'id']);
  for (const { unionId, ...r } of rows as { unionId: number; kind: SubmissionEventKind; at: unknown; by: string; reason: string | null }[]) {
    out.get(Number(unionId))?.push({ ...r, at: isoTime(r.at) });
  }
  return out;
}

export interface UnitResult extends WithEvents {
  round: RoundRow;
  state: UnitState;
}

/** The round's row locked for the write (PostgreSQL; SQLite writes one at a time anyway), so two writes on one union queue. */
async function lockRound(trx: Db, roundId: number): Promise<void> {
  if (dialectOf(trx) === 'postgresql') await trx.raw('select id from reporting_round where id = ? for update', [roundId]);
}

async function append(trx: Db, round: RoundRow, union: UnionRow, kind: SubmissionEventKind, actor: string, at: Date, reason: string | null): Promise<DomainEvent[]> {
  await trx('unit_submission_event').insert({ round_id: round.id, union_id: union.id, kind, at, by: actor, reason });
  return [{ kind: 'roundChanged', roundId: round.id, unionCode: union.code, unionPath: union.path, change: kind }];
}

async function expectedUnion(db: Db, round: RoundRow, code: string): Promise<UnionRow> {
  const union = await unionByCode(db, code);
  if (!round.levels.includes(union.level) || !existsIn(union, round.year)) {
    throw invalid(`${union.name} is not expected in this round (its level does not report, or it is not in the ${round.year} tree)`, ['unionCode']);
  }
  return union;
}

/**
 * A reporter with `submit` on the union sends its package. Anything blocking → INCOMPLETE listing
 * every blocker, and nothing is recorded; already submitted (not returned) → FORBIDDEN_TRANSITION.
 */
export async function submitUnit(db: Db, access: Access, roundId: number, unionCode: string, now: Date): Promise<UnitResult> {
  const round = await requireRound(db, roundId);
  const union = await expectedUnion(db, round, unionCode);
  access.require('submit', union.path, `Your roles do not allow submitting ${union.name}'s report`);
  const events = await db.transaction(async (trx) => {
    await lockRound(trx, round.id);
    const [state] = await unitStates(trx, round, { root: union, unionId: union.id }, now);
    if (state!.status === 'ON_TIME' || state!.status === 'LATE') {
      throw new DomainError('FORBIDDEN_TRANSITION', `${union.name} has already submitted (${state!.status}); a reviewer above may return it`, { http: { status: 409 } });
    }
    const blockers = await blockersOf(trx, round, union);
    if (blockers.length) {
      throw new DomainError('INCOMPLETE', `${blockers.length} thing(s) still block ${union.name}'s report; nothing was recorded`, { http: { status: 422 }, blockers });
    }
    return append(trx, round, union, 'SUBMITTED', access.caller!.username, now, null);
  });
  return { round, state: (await unitStates(db, round, { root: union, unionId: union.id }, now))[0]!, events };
}

/** A reviewer with `approve` above the union sends a submitted report back, with a reason. */
export async function returnUnit(db: Db, access: Access, roundId: number, unionCode: string, reason: string, now: Date): Promise<UnitResult> {
  const round = await requireRound(db, roundId);
  const union = await expectedUnion(db, round, unionCode);
  access.require('approve', union.path, `Only a reviewer above ${union.name} may return its report`, { above: true });
  if (!reason.trim()) throw invalid('A reason is required to return a report', ['reason']);
  const events = await db.transaction(async (trx) => {
    await lockRound(trx, round.id);
    const [state] = await unitStates(trx, round, { root: union, unionId: union.id }, now);
    if (state!.status !== 'ON_TIME' && state!.status !== 'LATE') {
      throw new DomainError('FORBIDDEN_TRANSITION', `${union.name} has no submitted report to return (${state!.status})`, { http: { status: 409 } });
    }
    return append(trx, round, union, 'RETURNED', access.caller!.username, now, reason.trim());
  });
  return { round, state: (await unitStates(db, round, { root: union, unionId: union.id }, now))[0]!, events };
}

/**
 * A reviewer with `approve` above the union gives it a later deadline (a date), with a reason. The new
 * deadline must be after the original one (the level-1 union's own, else the round's) and the round's
 * year must not be closed (schema/src/rounds.ts yearClosesAt) — neither now nor at the new deadline.
 */
export async function grantExtension(db: Db, access: Access, roundId: number, unionCode: string, input: { deadline: string; reason: string }, now: Date): Promise<UnitResult> {
  const round = await requireRound(db, roundId);
  const union = await expectedUnion(db, round, unionCode);
  access.require('approve', union.path, `Only a reviewer above ${union.name} may extend its deadline`, { above: true });
  const deadline = deadlineInstant(input.deadline);
  if (!deadline) throw invalid(`"${input.deadline}" is not a date such as 2017-12-20`, ['deadline']);
  if (!input.reason.trim()) throw invalid('A reason is required to extend a deadline', ['reason']);
  const closes = yearClosesAt(round.year);
  if (now.getTime() > closes.getTime() || deadline.getTime() > closes.getTime()) {
    throw invalid(`The round's year ${round.year} is closed (at the end of ${round.year + 1}): no extension reaches past it`, ['deadline']);
  }
  const [current] = await unitStates(db, round, { root: union, unionId: union.id }, now);
  if (deadline.getTime() <= current!.originalDeadline.getTime()) {
    throw invalid(`The new deadline must be after the original deadline (${isoTime(current!.originalDeadline)})`, ['deadline']);
  }
  const events = await db.transaction(async (trx) => {
    await lockRound(trx, round.id);
    await trx('round_extension').insert({ round_id: round.id, union_id: union.id, deadline, reason: input.reason.trim(), granted_by: access.caller!.username, granted_at: now });
    return append(trx, round, union, 'EXTENDED', access.caller!.username, now, input.reason.trim());
  });
  return { round, state: (await unitStates(db, round, { root: union, unionId: union.id }, now))[0]!, events };
}

/** A level-1 union's own deadline for its children: a reviewer with `approve` on it; no later than the round's. */
export async function setPartDeadline(db: Db, access: Access, roundId: number, unionCode: string, date: string, now: Date): Promise<{ union: UnionRow; deadline: Date }> {
  const round = await requireRound(db, roundId);
  const union = await unionByCode(db, unionCode);
  if (union.level !== 1) throw invalid('Only a level-1 union runs its own part of a round', ['unionCode']);
  access.require('approve', union.path, `Your roles do not allow setting ${union.name}'s deadline`);
  const deadline = deadlineInstant(date);
  if (!deadline) throw invalid(`"${date}" is not a date such as 2017-12-05`, ['deadline']);
  if (deadline.getTime() > round.deadline.getTime()) throw invalid('A level-1 union\'s deadline for its children is no later than the round\'s', ['deadline']);
  // One statement: two reviewers at once both succeed, the later write kept (a delete then insert raced on the unique key).
  await db('round_part').insert({ round_id: round.id, union_id: union.id, deadline, set_by: access.caller!.username, set_at: now })
    .onConflict(['round_id', 'union_id']).merge(['deadline', 'set_by', 'set_at']);
  return { union, deadline };
}

export { chaseList, type ChaseEntry, type Contact } from './round-chase.js';
