/**
 * Writing cells. A write is a batch: every cell is checked first (catalogue, validity, value,
 * version) and the batch is refused whole with one error per bad cell; otherwise it is applied in
 * one transaction, each cell guarded by its version so a concurrent writer can never be
 * overwritten, and each change leaves a revision. Concurrent batches share a transaction
 * (write-queue.ts).
 */
import { acceptsScenario, FIRST_YEAR, indicator as catalogueIndicator, LAST_YEAR, SCENARIOS } from '@unionhub/schema';
import { CellBatchError, DomainError, said } from './errors.js';
import { againOnDeadlock, existsIn, indicatorIds, insertChunked, rawRows, rowsPerInsert, together, valuesList, type Db } from './db.js';
import { cellId, figuresByKeys, valueProblem, type CellKey, type FigureRow } from './figures.js';
import { keptUnionsByCodes, type UnionRow } from './unions.js';
import type { Access } from './access.js';
import { recheckGroup, type ChangedCell, type SyncReport } from './reconcile.js';
import { groupsCommits, queueElsewhereOf, queueOf, timed, type GroupWork } from './write-queue.js';
import { discrepanciesChanged, figuresChanged, type WithEvents } from './events.js';

export interface CellWrite extends CellKey {
  /** null clears the cell. */
  value: number | null;
  /** The version the writer read; 0 for a cell that does not exist yet. */
  expectedVersion: number;
}

export interface WriteResult extends WithEvents {
  figures: FigureRow[];
  /** The re-check of the rules the written cells touch, done in the same transaction. */
  reconciliation: SyncReport;
}


/** What can be said of a cell without the database. */
function checkStatic(w: CellWrite): DomainError[] {
  const errors: DomainError[] = [];
  const def = catalogueIndicator(w.indicatorCode);
  if (!def) errors.push(new DomainError('NOT_FOUND', `Unknown indicator "${w.indicatorCode}"`, said('cell.unknownIndicator', { indicator: w.indicatorCode })));
  if (!Number.isInteger(w.year) || w.year < FIRST_YEAR || w.year > LAST_YEAR) {
    errors.push(new DomainError('VALIDATION', `Year ${w.year} is outside the catalogue (${FIRST_YEAR}–${LAST_YEAR})`, said('cell.yearOutside', { year: w.year, first: FIRST_YEAR, last: LAST_YEAR })));
  }
  if (!SCENARIOS.includes(w.scenario)) errors.push(new DomainError('VALIDATION', `Unknown scenario "${w.scenario}"`, said('cell.unknownScenario', { scenario: String(w.scenario) })));
  if (!Number.isInteger(w.expectedVersion) || w.expectedVersion < 0) {
    errors.push(new DomainError('VALIDATION', 'expectedVersion must be a whole number ≥ 0', said('cell.badVersion')));
  }
  if (!def) return errors;
  if (def.aggregation.type === 'ratio') {
    errors.push(new DomainError('VALIDATION', `"${def.code}" is computed from other figures and cannot be typed`, said('cell.computed', { indicator: def.code })));
    return errors;
  }
  if (SCENARIOS.includes(w.scenario) && !acceptsScenario(def, w.scenario)) {
    errors.push(new DomainError('VALIDATION', `"${def.code}" has no targets`, said('cell.noTargets', { indicator: def.code })));
  }
  if (w.value !== null) {
    const problem = valueProblem(def.code, w.value);
    if (problem) errors.push(new DomainError('VALIDATION', problem.text, said(problem.key, problem.params)));
  }
  return errors;
}


export interface WriteOptions {
  access: Access;
  reason?: string | null;
}

export async function writeFigures(db: Db, writes: readonly CellWrite[], opts: WriteOptions): Promise<WriteResult> {
  if (writes.length === 0) return { figures: [], reconciliation: { checked: 0, found: 0, opened: 0, reopened: 0, resolved: 0, changedIds: [] }, events: [] };
  // Inside a caller's transaction (an import) the write stays part of it; otherwise it goes to the
  // writer thread where there is one (db/writer-thread.ts), which writes it as below, or concurrent
  // batches share a transaction here where that helps (write-queue.ts).
  const elsewhere = db.isTransaction ? undefined : queueElsewhereOf<FigureWriteRequest, WriteResult>(db);
  if (elsewhere) return timed(db, 'write', () => elsewhere.submit({ writes, opts }));
  const batch = prepare(writes, opts);
  return timed(db, 'write', () => (db.isTransaction || !groupsCommits() ? writeAlone(db, batch) : queueOf(db, GROUP_WORK).submit(batch)));
}

/** `writeFigures`' arguments, as a writer elsewhere is given them. */
export interface FigureWriteRequest {
  writes: readonly CellWrite[];
  opts: WriteOptions;
}

/** A batch with what can be judged without the database. */
interface Prepared {
  writes: readonly CellWrite[];
  /** Refusals found before the transaction (they are reported with those found inside it). */
  errors: DomainError[];
  access: Access;
  actor: string;
  at: Date;
  reason: string | null | undefined;
}

/** What the batches of one transaction read once and share. */
interface GroupState {
  unions: Map<string, UnionRow>;
  /** The cells as they stand, kept up to date as each batch is judged; `known` ones absent here have no row. */
  cells: Map<string, FigureRow>;
  known: Set<string>;
  /** The stored rows as read (id and version), which the group's one update is guarded by. */
  stored: Map<string, { id: number; version: number }>;
}

/** A cell write judged good: the row it leaves and its revision (new cells get their id when stored). */
interface Written {
  figure: FigureRow;
  before: FigureRow | undefined;
  reason: string | null;
}

interface Applied {
  written: Written[];
  changed: ChangedCell[];
}

function refusal(index: number, e: DomainError, w: CellWrite): DomainError {
  const { unionCode, indicatorCode, year, scenario } = w;
  return new DomainError(e.code, `Cell ${index + 1} (${unionCode}, ${indicatorCode}, ${year}, ${scenario}): ${e.message}`, {
    ...e.details, index, unionCode, indicatorCode, year, scenario,
  });
}

function prepare(writes: readonly CellWrite[], opts: WriteOptions): Prepared {
  const errors: DomainError[] = [];
  const seen = new Map<string, number>();
  writes.forEach((w, i) => {
    for (const e of checkStatic(w)) errors.push(refusal(i, e, w));
    const id = cellId(w);
    if (seen.has(id)) errors.push(refusal(i, new DomainError('VALIDATION', `the same cell is also cell ${seen.get(id)! + 1} of this batch`, said('cell.duplicate', { other: seen.get(id)! + 1 })), w));
    else seen.set(id, i);
  });
  return { writes, errors, access: opts.access, actor: opts.access.caller?.username ?? 'anonymous', at: new Date(), reason: opts.reason };
}

/** One batch in its own transaction: the writes, then the re-check of the rules they touch. */
function writeAlone(db: Db, p: Prepared): Promise<WriteResult> {
  return againOnDeadlock(() =>
    db.transaction(async (trx) => {
      const state = await GROUP_WORK.begin(trx, [p]);
      return (await GROUP_WORK.finish(trx, state, [await judge(trx, p, state)], [p]))[0]!;
    }),
  );
}

/** A group's cells read in one query unless the query's cross product would read far more rows than named. */
const MAX_CROSS_READ = 2_000;

/**
 * Batches queued together: each judged in turn against the cells as the batches before it left
 * them, then the accepted ones stored at once — one update, one insert, one revision insert and one
 * re-check for the group, however many batches it holds.
 */
const GROUP_WORK: GroupWork<Prepared, GroupState, Applied, WriteResult> = {
  async begin(trx, batches) {
    const writes = batches.flatMap((b) => b.writes);
    const state: GroupState = { unions: new Map(), cells: new Map(), known: new Set(), stored: new Map() };
    const distinct = (f: (w: CellWrite) => unknown) => new Set(writes.map(f)).size;
    const cross = distinct((w) => w.unionCode) * distinct((w) => w.indicatorCode) * distinct((w) => w.year) * distinct((w) => w.scenario);
    const readsCells = batches.length === 1 || cross <= Math.max(MAX_CROSS_READ, writes.length);
    const [unions] = await together(keptUnionsByCodes(trx, writes.map((w) => w.unionCode)), readsCells ? readCells(trx, state, writes) : null);
    for (const u of unions) state.unions.set(u.code, u);
    return state;
  },
  judge,
  async finish(trx, state, applied, batches) {
    // The re-check goes with the store: it reads the written cells as the group leaves them (its
    // overlay) whether its reads run before or after the writes, and writes only discrepancies.
    const written = applied.flatMap((a) => a.written.map((w) => w.figure));
    const [, reports] = await together(
      store(trx, state, applied, batches),
      timed(trx, 'recheck', () => recheckGroup(trx, applied.map((a) => a.changed), batches.map((b) => b.actor), written)),
    );
    return applied.map((a, i) => {
      const figures = a.written.map((w) => w.figure);
      return { figures, reconciliation: reports[i]!, events: [...figuresChanged(batches[i]!.actor, figures), ...discrepanciesChanged(reports[i])] };
    });
  },
  alone: writeAlone,
  isRefusal: (e) => e instanceof CellBatchError || e instanceof DomainError,
  size: (b) => b.writes.length,
};

async function readCells(trx: Db, state: GroupState, keys: readonly CellKey[]): Promise<void> {
  const missing = keys.filter((k) => !state.known.has(cellId(k)));
  if (missing.length === 0) return;
  for (const f of await figuresByKeys(trx, missing)) {
    state.cells.set(cellId(f), f);
    state.stored.set(cellId(f), { id: f.id, version: f.version });
  }
  for (const k of missing) state.known.add(cellId(k));
}

/**
 * The verdict on one batch, inside the transaction but writing nothing (so a refused batch needs no
 * savepoint to undo): every cell checked against the cells as they stand after the batches before
 * it; a refused batch throws CellBatchError, an accepted one moves the group's cells on.
 */
async function judge(trx: Db, p: Prepared, state: GroupState): Promise<Applied> {
  const { writes, actor, at } = p;
  const { unions } = state;
  const errors = [...p.errors];
  const refuse = (index: number, e: DomainError, w: CellWrite) => errors.push(refusal(index, e, w));
  writes.forEach((w, i) => {
    const u = unions.get(w.unionCode);
    if (!u) refuse(i, new DomainError('NOT_FOUND', `Unknown union "${w.unionCode}"`, said('cell.unknownUnion', { union: w.unionCode })), w);
    else if (!p.access.can('edit', u.path)) refuse(i, new DomainError('FORBIDDEN', `your roles do not allow editing ${u.name}`, said('cell.forbiddenEdit', { unionName: u.name })), w);
    else if (!existsIn(u, w.year)) {
      refuse(i, new DomainError('VALIDATION', `${u.name} does not exist in ${w.year} (valid ${u.validFrom}–${u.validTo ?? ''})`, said('cell.unionNotInYear', { unionName: u.name, year: w.year, from: u.validFrom, to: u.validTo ?? '' })), w);
    }
  });
  await readCells(trx, state, writes);
  const current = state.cells;
  const refused = new Set(errors.map((e) => e.details.index as number));
  writes.forEach((w, i) => {
    if (refused.has(i)) return; // already wrong on its own: a version verdict would only add noise
    const f = current.get(cellId(w));
    const version = f?.version ?? 0;
    if (f?.status === 'approved') {
      refuse(i, new DomainError('LOCKED', 'the cell is approved and locked', { currentValue: f.value, currentVersion: f.version, ...said('cell.locked') }), w);
    } else if (version !== w.expectedVersion) {
      refuse(i, new DomainError('CONFLICT', `the cell changed meanwhile (version ${version}, not ${w.expectedVersion})`, {
        currentValue: f?.value ?? null, currentVersion: version, ...said('cell.changed', { version, expected: w.expectedVersion }),
      }), w);
    }
  });
  if (errors.length > 0) throw new CellBatchError(sortByIndex(errors));

  // The rows as written, built from what is known rather than read back; a new cell's id comes when it is stored.
  const updatedAt = at.toISOString();
  const written = writes.map((w): Written => {
    const before = current.get(cellId(w));
    const u = unions.get(w.unionCode)!;
    const base: FigureRow = before ?? {
      id: 0, unionId: u.id, unionPath: u.path, unionCode: w.unionCode, indicatorCode: w.indicatorCode, year: w.year, scenario: w.scenario,
      value: null, status: 'draft', version: 0, updatedBy: actor, updatedAt,
      proposedValue: null, proposedBy: null, proposedAt: null, approvedBy: null, approvedAt: null,
    };
    return { figure: { ...base, value: w.value, status: 'draft', version: base.version + 1, updatedBy: actor, updatedAt }, before, reason: p.reason ?? null };
  });
  // The batch is whole: the next batch of the group sees its cells as they now stand.
  for (const w of written) current.set(cellId(w.figure), w.figure);
  return { written, changed: writes.map((w) => ({ unionId: unions.get(w.unionCode)!.id, indicatorCode: w.indicatorCode, year: w.year, scenario: w.scenario })) };
}

/**
 * The accepted batches' cells, stored at once: each cell's last state in one version-guarded update
 * (stored cells) or one insert (new ones), then every write's revision. A cell another transaction
 * changed or created since the group read it (possible on PostgreSQL) is not touched by either
 * statement; the group then throws CONFLICT for those cells, nothing of it is kept, and the queue
 * runs each batch alone for its own verdict.
 */
async function store(trx: Db, state: GroupState, applied: Applied[], batches: Prepared[]): Promise<void> {
  const last = new Map<string, Written>();
  for (const a of applied) for (const w of a.written) last.set(cellId(w.figure), w);
  const updates: Written[] = [];
  const inserts: Written[] = [];
  for (const [id, w] of last) (state.stored.has(id) ? updates : inserts).push(w);
  const missed = new Set<string>();
  const revisions = () => {
    const rows: Record<string, unknown>[] = [];
    for (const a of applied) {
      for (const w of a.written) {
        const f = w.figure;
        f.id = state.stored.get(cellId(f))!.id;
        rows.push(revision(f.id, w.before?.value ?? null, f.value, w.before?.status ?? null, 'draft', f.version, f.updatedBy, w.reason, new Date(f.updatedAt)));
      }
    }
    return rows;
  };
  if (inserts.length === 0) {
    // Every id is known: the revisions go with the update; a missed cell throws below and the
    // transaction takes both back.
    await together(updateStored(trx, state, updates, missed), insertChunked(trx, 'figure_revision', revisions()));
    if (missed.size > 0) throw conflictsOf(missed, batches);
    return;
  }
  await updateStored(trx, state, updates, missed);
  await insertNew(trx, state, inserts, missed);
  if (missed.size > 0) throw conflictsOf(missed, batches);
  await insertChunked(trx, 'figure_revision', revisions());
}

/** Stored cells' new state, each guarded by the version the group read; a cell not updated goes into `missed`. */
async function updateStored(trx: Db, state: GroupState, updates: Written[], missed: Set<string>): Promise<void> {
  const perStatement = rowsPerInsert(trx, 6);
  for (let at = 0; at < updates.length; at += perStatement) {
    const part = updates.slice(at, at + perStatement);
    const values = valuesList(trx, ['bigint', 'integer', 'double precision', 'integer', 'text', 'timestamptz'], part.map((w) => {
      const stored = state.stored.get(cellId(w.figure))!;
      return [stored.id, stored.version, w.figure.value, w.figure.version, w.figure.updatedBy, new Date(w.figure.updatedAt)];
    }));
    const done = await rawRows<{ id: number }>(trx,
      `with v(id, old_version, value, version, actor, at) as (${values.sql})
       update figure set value = v.value, status = 'draft', version = v.version, updated_by = v.actor, updated_at = v.at
       from v where figure.id = v.id and figure.version = v.old_version returning figure.id`, values.bindings);
    const hit = new Set(done.map((r) => Number(r.id)));
    for (const w of part) if (!hit.has(state.stored.get(cellId(w.figure))!.id)) missed.add(cellId(w.figure));
  }
}

/** New cells, their ids kept in `state.stored`; a cell another transaction created meanwhile goes into `missed`. */
async function insertNew(trx: Db, state: GroupState, inserts: Written[], missed: Set<string>): Promise<void> {
  const ids = await indicatorIds(trx);
  const rowsPer = rowsPerInsert(trx, 9);
  for (let at = 0; at < inserts.length; at += rowsPer) {
    const part = inserts.slice(at, at + rowsPer);
    // A cell created meanwhile by another transaction meets the cell's unique index: skipped, not an error (which would abort a PostgreSQL transaction).
    const made: { id: number; union_id: number; indicator_id: number; year: number; scenario: string }[] = await trx('figure')
      .insert(part.map(({ figure: f }) => ({
        union_id: f.unionId, indicator_id: ids.get(f.indicatorCode)!, year: f.year, scenario: f.scenario,
        value: f.value, status: 'draft', version: f.version, updated_by: f.updatedBy, updated_at: new Date(f.updatedAt),
      })))
      .onConflict(['union_id', 'scenario', 'year', 'indicator_id'])
      .ignore()
      .returning(['id', 'union_id', 'indicator_id', 'year', 'scenario']);
    const idOf = new Map(made.map((r) => [`${r.union_id}|${r.indicator_id}|${Number(r.year)}|${r.scenario}`, Number(r.id)]));
    for (const { figure: f } of part) {
      const id = idOf.get(`${f.unionId}|${ids.get(f.indicatorCode)}|${f.year}|${f.scenario}`);
      if (id === undefined) missed.add(cellId(f));
      else state.stored.set(cellId(f), { id, version: f.version });
    }
  }
}

/** The refusal of the cells another transaction changed or created between the group's read and its writes. */
function conflictsOf(missed: Set<string>, batches: Prepared[]): CellBatchError {
  const errors: DomainError[] = [];
  for (const b of batches) {
    b.writes.forEach((w, i) => {
      if (!missed.has(cellId(w))) return;
      const made = w.expectedVersion === 0;
      errors.push(refusal(i, new DomainError('CONFLICT', made ? 'the cell was created meanwhile' : 'the cell changed meanwhile', {
        currentVersion: made ? 1 : w.expectedVersion + 1, ...said(made ? 'cell.createdMeanwhile' : 'cell.changedMeanwhile'),
      }), w));
    });
  }
  return new CellBatchError(sortByIndex(errors));
}

function revision(
  figureId: number, before: number | null, after: number | null, beforeStatus: string | null, afterStatus: string,
  version: number, actor: string, reason: string | null | undefined, at: Date,
) {
  return {
    figure_id: figureId, change: 'value', before_value: before, after_value: after, before_status: beforeStatus,
    after_status: afterStatus, version, actor, at, reason: reason ?? null,
  };
}

function sortByIndex(errors: DomainError[]) {
  return [...errors].sort((a, b) => (a.details.index as number) - (b.details.index as number)) as never;
}

