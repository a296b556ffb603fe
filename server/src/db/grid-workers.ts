/**
 * Grid reads off the main thread (issue 17). On SQLite, the readers (readers.ts) keep writes from
 * waiting on the database, but a national sheet is mostly JavaScript — decoding and placing tens of
 * thousands of cells — and on the main thread every write waited behind it. `SQLITE_GRID_WORKERS`
 * worker threads (default 1; 0: read on the main thread) each hold a read-only connection to the
 * file and answer grid reads; the main thread only sends the question and passes the answer on.
 * Opened and closed with the writer's connection, like the readers.
 */
import { Worker } from 'node:worker_threads';
import type { Knex } from '@mikro-orm/knex';
import type { Access } from '../domain/access.js';
import { errorFromThread } from './thread-errors.js';
import { readGrid, type Grid, type GridRequest } from '../domain/grid.js';
import type { GridAnswer, GridAsk, GridForm, GridTableTransfer } from './grid-worker.js';
import { fromTransfer } from './grid-transfer.js';
import { readsOf } from './readers.js';
import { ReadPacer } from './read-pacer.js';
import { writesBusy } from '../domain/write-queue.js';

interface Waiting {
  ok(answer: Grid | GridTableTransfer): void;
  bad(e: Error): void;
}

interface Thread {
  worker: Worker;
  waiting: Map<number, Waiting>;
  /** Resolved when the worker has loaded the domain and listens. */
  ready: Promise<void>;
  /** Resolved when the thread has ended. */
  exited: Promise<void>;
}

const CLOSE_GRACE_MS = 10_000;
const BOOT = new URL('./worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./grid-worker.ts', import.meta.url).href;

export class GridWorkers {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private closed = false;
  /** Grid reads answered by a worker (tests see from it that the main thread was spared). */
  served = 0;
  /** Reads yield to writes: while they are busy, reads go one at a time with rests. */
  readonly pacer: ReadPacer;

  // Started on the first read, not with the connection: a process that never reads the grid (a
  // migration, a backup, most tests) does not pay for loading the domain a second time.
  constructor(
    private readonly filename: string,
    private readonly size: number,
    /** The workers' threads' nice value (grid-worker.ts): readers yield to the writes of the main thread. */
    private readonly nice = 0,
    /** While `writing()`, the part of the time reads may take (read-pacer.ts); 1: no pacing. */
    share = 1,
    writing: () => boolean = () => false,
  ) {
    this.pacer = new ReadPacer(share, writing);
  }

  private spawn(): Thread {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY, filename: this.filename, nice: this.nice } });
    let listening = () => {};
    let ended = () => {};
    const thread: Thread = { worker, waiting: new Map(), ready: new Promise<void>((ok) => (listening = ok)), exited: new Promise<void>((ok) => (ended = ok)) };
    worker.on('message', (m: GridAnswer | { ready: true }) => {
      if (!('id' in m)) return listening();
      const w = thread.waiting.get(m.id);
      thread.waiting.delete(m.id);
      if (!w) return;
      if ('grid' in m || 'table' in m) {
        this.served++;
        w.ok('grid' in m ? fromTransfer(m.grid) : m.table);
      } else w.bad(errorFromThread(m.error));
    });
    // A worker that dies fails what it held and is replaced: the next read goes to a fresh one.
    const fail = (e: Error) => {
      listening();
      for (const w of thread.waiting.values()) w.bad(e);
      thread.waiting.clear();
      const at = this.threads.indexOf(thread);
      if (!this.closed && at >= 0) this.threads[at] = this.spawn();
    };
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => {
      ended();
      fail(new Error(`grid worker exited (${code})`));
    });
    // It must not keep the process alive (a server that is closing waits for nothing of it).
    thread.worker.unref();
    return thread;
  }

  /** Start the workers now and wait until they listen (the server at start: its first sheet is not the one to wait). */
  async warm(): Promise<void> {
    this.start();
    await Promise.all(this.threads.map((t) => t.ready));
  }

  private start(): void {
    while (!this.closed && this.threads.length < this.size) this.threads.push(this.spawn());
  }

  read(req: GridRequest, access: Access): Promise<Grid> {
    return this.ask(req, access, 'grid') as Promise<Grid>;
  }

  /** The columns and the rows as `Grid.table`'s JSON, written in the worker. */
  readTable(req: GridRequest, access: Access): Promise<GridTableTransfer> {
    return this.ask(req, access, 'table') as Promise<GridTableTransfer>;
  }

  private ask(req: GridRequest, access: Access, form: GridForm): Promise<Grid | GridTableTransfer> {
    return this.pacer.run(() => this.send(req, access, form));
  }

  private send(req: GridRequest, access: Access, form: GridForm): Promise<Grid | GridTableTransfer> {
    this.start();
    if (this.threads.length === 0) return Promise.reject(new Error('The grid workers are closed'));
    // The least busy thread: a national read does not queue behind another when a second is free.
    const thread = this.threads.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = this.nextId++;
    return new Promise<Grid | GridTableTransfer>((ok, bad) => {
      thread.waiting.set(id, { ok, bad });
      thread.worker.postMessage({ id, req, caller: access.caller, policy: access.policy, form } satisfies GridAsk);
    });
  }

  /**
   * Each worker finishes the reads it holds, closes its connection and ends; one that has not ended
   * after CLOSE_GRACE_MS is terminated (a statement stuck that long is the lesser harm).
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map(async (t) => {
      const timer = setTimeout(() => void t.worker.terminate(), CLOSE_GRACE_MS);
      t.worker.postMessage({ close: true });
      await t.exited;
      clearTimeout(timer);
    }));
  }
}

const WORKERS = new WeakMap<Knex, GridWorkers>();

/** Start `size` grid workers on the SQLite file behind `writer`; none for `:memory:` or size 0. Reads yield to the writer's writes (`share`). */
export function openGridWorkers(writer: Knex, filename: string, size: number, nice = 0, share = 1): GridWorkers | null {
  if (size <= 0 || filename === ':memory:' || filename === '') return null;
  const workers = new GridWorkers(filename, size, nice, share, () => writesBusy(writer));
  WORKERS.set(writer, workers);
  return workers;
}

export async function closeGridWorkers(writer: Knex): Promise<void> {
  const workers = WORKERS.get(writer);
  WORKERS.delete(writer);
  await workers?.close();
}

export const gridWorkersOf = (db: Knex): GridWorkers | undefined => WORKERS.get(db);

/** The grid read: in a worker where the writer has them, else on the readers (or the writer) here. */
export function readGridOffThread(db: Knex, req: GridRequest, access: Access): Promise<Grid> {
  return WORKERS.get(db)?.read(req, access) ?? readGrid(readsOf(db), req, access);
}

/** The same, where only the columns and `Grid.table` are asked: written as JSON in a worker where there is one. */
export function readGridTableOffThread(db: Knex, req: GridRequest, access: Access): Promise<Grid | GridTableTransfer> {
  return WORKERS.get(db)?.readTable(req, access) ?? readGrid(readsOf(db), req, access);
}

export type { GridTableTransfer };
