/**
 * Group commit. SQLite runs one transaction at a time, so concurrent cell writes queue and each
 * pays for its own transaction and its own re-check of the rules. Here one worker per database
 * drains the queue: every batch waiting at that moment goes into ONE transaction, each batch is
 * judged in turn without writing (a refused batch refuses only its caller and leaves nothing to
 * undo), and the accepted batches' writes and re-check are done once for the group. The outcome is
 * that of running the batches one after another in queue order. If the shared part or the commit
 * fails, every batch of the group runs again alone, so no caller fails for another's problem.
 */
import { cacheKey, type Db } from './db.js';
import { SETTINGS } from '../config.js';

export interface GroupWork<B, S, A, R> {
  /** What the group reads once for all its batches (the cells and unions they name). */
  begin(trx: Db, batches: B[]): Promise<S>;
  /** The verdict on one batch, reading but not writing; throwing a refusal refuses only this batch. */
  judge(trx: Db, batch: B, state: S): Promise<A>;
  /** The accepted batches' writes and what they share (the re-check), once per group: one result per accepted batch, in order. */
  finish(trx: Db, state: S, applied: A[], batches: B[]): Promise<R[]>;
  /** One batch in a transaction of its own (a group of one, and the fallback). */
  alone(db: Db, batch: B): Promise<R>;
  /** A verdict on the batch itself (bad cell, stale version…) rather than a failure of the database. */
  isRefusal(error: unknown): boolean;
  /** How much a batch weighs (its cells), to bound a group. */
  size(batch: B): number;
}

interface Waiting<B, R> {
  batch: B;
  resolve(r: R): void;
  reject(e: unknown): void;
}

/** At most this many batches, and cells beyond the first batch's, share a transaction (a group's lock time is bounded). */
const MAX_GROUP = 64;
const MAX_GROUP_SIZE = 5_000;

export class WriteQueue<B, S, A, R> {
  private readonly waiting: Waiting<B, R>[] = [];
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  /** A turn given away (`hold`): no group starts until it is released. */
  private held: Promise<void> | null = null;
  /** The group running now, if any. */
  private running: Promise<void> | null = null;
  constructor(
    private readonly db: Db,
    private readonly work: GroupWork<B, S, A, R>,
    private readonly stats: QueueStats,
  ) {}

  submit(batch: B): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        while (this.held) await this.held;
        let n = 1;
        let size = this.work.size(this.waiting[0]!.batch);
        while (n < Math.min(MAX_GROUP, this.waiting.length) && (size += this.work.size(this.waiting[n]!.batch)) <= MAX_GROUP_SIZE) n++;
        this.running = this.run(this.waiting.splice(0, n));
        await this.running;
        this.running = null;
      }
    } finally {
      this.draining = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /**
   * Take the next turn from the groups: resolves, with how to give it back, once the group running
   * now (if any) has finished, and no group starts until then. Another connection's write transaction
   * (the main one beside the writer thread, db/writer-thread.ts) so waits one group, not for a gap
   * between groups that SQLite's busy handler, which polls, happens to find. The holder must not
   * wait, before it releases, for a batch of this queue (a figure write sent on the root connection
   * from inside its transaction): that batch waits for the release.
   */
  async hold(): Promise<() => void> {
    while (this.held) await this.held;
    let release = () => {};
    this.held = new Promise<void>((ok) => {
      release = () => {
        if (this.held !== given) return;
        this.held = null;
        ok();
      };
    });
    const given = this.held;
    await this.running;
    return release;
  }

  /** A group is running or batches are waiting. */
  get busy(): boolean {
    return this.draining || this.waiting.length > 0;
  }

  /** Resolves once the queue has no group running or waiting (a shutdown lets the current group finish). */
  idle(): Promise<void> {
    return this.draining ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  private async run(group: Waiting<B, R>[]): Promise<void> {
    countGroup(this.db, group.length);
    if (group.length === 1) return settle(group[0]!, () => this.work.alone(this.db, group[0]!.batch));
    type Outcome = { ok: true; value: R } | { ok: false; error: unknown };
    let outcomes: Outcome[];
    try {
      outcomes = await this.db.transaction(async (trx) => {
        const out: Outcome[] = new Array(group.length);
        const accepted: { at: number; applied: A }[] = [];
        const state = await this.work.begin(trx, group.map((w) => w.batch));
        for (const [at, w] of group.entries()) {
          try {
            accepted.push({ at, applied: await this.work.judge(trx, w.batch, state) });
          } catch (error) {
            // Anything but a verdict on the batch (the database failing) fails the group: all run alone.
            if (!this.work.isRefusal(error)) throw error;
            out[at] = { ok: false, error };
          }
        }
        if (accepted.length > 0) {
          const results = await this.work.finish(trx, state, accepted.map((a) => a.applied), accepted.map((a) => group[a.at]!.batch));
          accepted.forEach((a, k) => (out[a.at] = { ok: true, value: results[k]! }));
        }
        return out;
      });
    } catch {
      // Nothing of the group was committed: each batch again, alone and in order, gets its own verdict.
      this.stats.fallbacks++;
      for (const w of group) await settle(w, () => this.work.alone(this.db, w.batch));
      return;
    }
    // Callers hear only after the commit: a verdict never names writes that were rolled back.
    outcomes.forEach((o, i) => (o.ok ? group[i]!.resolve(o.value) : group[i]!.reject(o.error)));
  }
}

async function settle<B, R>(w: Waiting<B, R>, run: () => Promise<R>): Promise<void> {
  try {
    w.resolve(await run());
  } catch (e) {
    w.reject(e);
  }
}

/**
 * Whether writes go through the group-commit queue: yes by default — on SQLite (one writer at a
 * time) and on PostgreSQL too, where fewer, larger transactions also measured faster (bench/load.ts)
 * and concurrent re-checks no longer update the same discrepancies in opposite orders.
 * GROUP_COMMIT=off runs each batch in a transaction of its own (for comparison).
 */
export function groupsCommits(): boolean {
  return SETTINGS.GROUP_COMMIT;
}

export interface QueueStats {
  groups: number;
  batches: number;
  largest: number;
  fallbacks: number;
  /** Turns given to another connection's writes (`hold`), and how many groups the last one waited for as the thread counts them. */
  turns: number;
  lastTurnWaited: number;
}

const statsOf = new WeakMap<object, QueueStats>();

/** Groups run on this database and the batches in them (live counters, for tests and benchmarks). */
export function writeQueueStats(db: Db): QueueStats {
  let stats = statsOf.get(cacheKey(db));
  if (!stats) statsOf.set(cacheKey(db), (stats = { groups: 0, batches: 0, largest: 0, fallbacks: 0, turns: 0, lastTurnWaited: 0 }));
  return stats;
}

const queues = new WeakMap<object, WriteQueue<never, never, never, never>>();

/** The queue of this database (one per connection config, like the other per-database caches). */
export function queueOf<B, S, A, R>(db: Db, work: GroupWork<B, S, A, R>): WriteQueue<B, S, A, R> {
  let q = queues.get(cacheKey(db)) as WriteQueue<B, S, A, R> | undefined;
  if (!q) {
    q = new WriteQueue(db, work, writeQueueStats(db));
    queues.set(cacheKey(db), q as never);
  }
  return q;
}

/** A queue that runs in another thread (db/writer-thread.ts): this thread's batches are sent there. */
export interface QueueElsewhere<B, R> {
  submit(batch: B): Promise<R>;
  readonly busy: boolean;
  idle(): Promise<void>;
}

const elsewhere = new WeakMap<object, QueueElsewhere<never, never>>();

/** From now on this database's queued batches go to `queue`; returns how to stop. */
export function queueWritesElsewhere<B, R>(db: Db, queue: QueueElsewhere<B, R>): () => void {
  const key = cacheKey(db);
  elsewhere.set(key, queue as QueueElsewhere<never, never>);
  return () => void (elsewhere.get(key) === queue && elsewhere.delete(key));
}

/** Where this database's queued batches go when not to its queue here. */
export function queueElsewhereOf<B, R>(db: Db): QueueElsewhere<B, R> | undefined {
  return elsewhere.get(cacheKey(db)) as QueueElsewhere<B, R> | undefined;
}

/** A turn from this database's queue (`WriteQueue.hold`); given at once where it has none. */
export function holdWrites(db: Db): Promise<() => void> {
  return queues.get(cacheKey(db))?.hold() ?? Promise.resolve(() => {});
}

/** Are writes of this database running or waiting in its queue now? (Grid reads yield to them, db/read-pacer.ts.) */
export function writesBusy(db: Db): boolean {
  return (queues.get(cacheKey(db))?.busy ?? false) || (elsewhere.get(cacheKey(db))?.busy ?? false);
}

/** Resolves once this database's write queue (if any) has finished its groups. */
export async function writesIdle(db: Db): Promise<void> {
  await Promise.all([queues.get(cacheKey(db))?.idle(), elsewhere.get(cacheKey(db))?.idle()]);
}

/** A group of `batches` run on this database (here or elsewhere): counted and told to the observers. */
export function countGroup(db: Db, batches: number): void {
  const stats = writeQueueStats(db);
  stats.groups++;
  stats.batches += batches;
  stats.largest = Math.max(stats.largest, batches);
  for (const o of observers.get(cacheKey(db)) ?? []) o.group?.(batches);
}

/** A duration measured on this database (here or elsewhere), told to the observers. */
export function countDuration(db: Db, kind: 'write' | 'recheck', seconds: number): void {
  for (const o of observers.get(cacheKey(db)) ?? []) o.duration?.(kind, seconds);
}

/** Who watches writes on a database (the metrics): each group's size, the writes' and re-checks' durations. */
export interface WriteObserver {
  group?(batches: number): void;
  duration?(kind: 'write' | 'recheck', seconds: number): void;
}

const observers = new WeakMap<object, Set<WriteObserver>>();

/** Watch this database's writes; returns how to stop. */
export function observeWrites(db: Db, observer: WriteObserver): () => void {
  let set = observers.get(cacheKey(db));
  if (!set) observers.set(cacheKey(db), (set = new Set()));
  set.add(observer);
  return () => void set.delete(observer);
}

/** `run`, timed for the observers of `db` (a transaction counts for its database). */
export async function timed<T>(db: Db, kind: 'write' | 'recheck', run: () => Promise<T>): Promise<T> {
  const set = observers.get(cacheKey(db));
  if (!set?.size) return run();
  const started = performance.now();
  try {
    return await run();
  } finally {
    countDuration(db, kind, (performance.now() - started) / 1000);
  }
}
