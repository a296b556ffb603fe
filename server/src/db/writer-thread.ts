/**
 * Figure writes off the main thread (issue 17). Under 20 writers the main thread was the limit:
 * besides parsing and answering requests it ran each group's statements through knex and
 * node-sqlite3's JavaScript and the re-check of the rules, ~40 % of its time per write. On a SQLite
 * file, `writeFigures` now sends its batches to one writer thread with a connection of its own,
 * which runs them as the main thread did (group commit, re-check) and answers with the result and
 * its events; the main thread publishes those after the answer, as before. Other writes stay on the
 * main connection; both begin their transactions IMMEDIATE and wait for each other's lock
 * (sqlite-connections.ts). Writes inside a caller's transaction (an import) stay in it.
 */
import { Worker } from 'node:worker_threads';
import type { Knex } from '@mikro-orm/knex';
import type { FigureWriteRequest, WriteResult } from '../domain/figure-writes.js';
import { countDuration, countGroup, queueWritesElsewhere, writeQueueStats, type QueueElsewhere } from '../domain/write-queue.js';
import type { WriteAsk, WriterAsk, WriterMessage } from './writer-worker.js';
import { errorFromThread } from './thread-errors.js';

interface Waiting {
  ok(result: WriteResult): void;
  bad(e: Error): void;
}

const CLOSE_GRACE_MS = 10_000;
const BOOT = new URL('./worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./writer-worker.ts', import.meta.url).href;

export class WriterThread implements QueueElsewhere<FigureWriteRequest, WriteResult> {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  /** The main connection's requests for a turn (`hold`), answered when the thread's running group is done. */
  private readonly turns = new Map<number, () => void>();
  private idleWaiters: (() => void)[] = [];
  private nextId = 1;
  private closed = false;
  private ready: Promise<void> = Promise.resolve();
  private exited: Promise<void> = Promise.resolve();

  // Started on the first write, not with the connection: a process that never writes a figure (a
  // migration, a backup, many tests) does not pay for loading the domain a second time.
  constructor(private readonly db: Knex, private readonly filename: string) {}

  private start(): Worker {
    if (!this.worker) this.spawn();
    return this.worker!;
  }

  private spawn(): void {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY, filename: this.filename } });
    let listening = () => {};
    let ended = () => {};
    this.worker = worker;
    this.ready = new Promise<void>((ok) => (listening = ok));
    this.exited = new Promise<void>((ok) => (ended = ok));
    worker.on('message', (m: WriterMessage) => this.receive(m, listening));
    // A thread that dies fails what it held (whether those writes committed is unknown to the
    // caller, as with a lost connection) and is replaced.
    const fail = (e: Error) => {
      // 'error' is followed by 'exit': the second call finds this thread already replaced, and
      // must not fail the writes or give the turns that are its successor's.
      if (this.worker !== worker) return;
      this.worker = null;
      listening();
      // A turn asked of a thread that is gone is given: nothing of it runs any more.
      for (const given of this.turns.values()) given();
      this.turns.clear();
      for (const w of this.waiting.values()) w.bad(e);
      this.waiting.clear();
      this.settled();
      if (!this.closed) this.spawn();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      ended();
      fail(new Error(`writer thread exited (${code})`));
    });
    worker.unref();
  }

  private receive(m: WriterMessage, listening: () => void): void {
    if ('ready' in m) return listening();
    if ('group' in m) {
      countGroup(this.db, m.group);
      writeQueueStats(this.db).fallbacks = m.fallbacks;
      return;
    }
    if ('recheck' in m) return countDuration(this.db, 'recheck', m.recheck);
    if ('held' in m) {
      const stats = writeQueueStats(this.db);
      stats.turns++;
      stats.lastTurnWaited = m.waited;
      this.turns.get(m.id)?.();
      this.turns.delete(m.id);
      return;
    }
    const w = this.waiting.get(m.id);
    this.waiting.delete(m.id);
    if ('result' in m) w?.ok(m.result);
    else w?.bad(errorFromThread(m.error));
    this.settled();
  }

  private settled(): void {
    if (this.waiting.size === 0) for (const done of this.idleWaiters.splice(0)) done();
  }

  /** Start the thread now and wait until it listens (the server at start: its first write is not the one to wait). */
  warm(): Promise<void> {
    this.start();
    return this.ready;
  }

  submit({ writes, opts }: FigureWriteRequest): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new Error('The writer thread is closed'));
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<WriteResult>((ok, bad) => {
      this.waiting.set(id, { ok, bad });
      worker.postMessage({ id, writes, caller: opts.access.caller, policy: opts.access.policy, reason: opts.reason } satisfies WriteAsk);
    });
  }

  /**
   * A turn for another transaction on the file (the main connection's, sqlite-connections.ts):
   * resolves once the thread's running group is done, and no group starts until the returned
   * release. Without it, SQLite's busy handler, which polls, let a main-thread approval wait up to
   * ~1 s behind 20 writers' groups.
   */
  async hold(): Promise<() => void> {
    const worker = this.worker;
    if (!worker || this.closed) return () => {};
    const id = this.nextId++;
    await new Promise<void>((given) => {
      this.turns.set(id, given);
      worker.postMessage({ id, hold: true } satisfies WriterAsk);
    });
    let released = false;
    return () => {
      if (released || this.worker !== worker) return;
      released = true;
      worker.postMessage({ id, release: true } satisfies WriterAsk);
    };
  }

  get busy(): boolean {
    return this.waiting.size > 0;
  }

  idle(): Promise<void> {
    return this.waiting.size === 0 ? Promise.resolve() : new Promise((ok) => this.idleWaiters.push(ok));
  }

  /** Lets the writes in flight finish, then ends the thread (terminated after CLOSE_GRACE_MS). */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
    worker.postMessage({ close: true });
    await this.exited;
    clearTimeout(timer);
  }
}

const THREADS = new WeakMap<Knex, { thread: WriterThread; stop: () => void }>();

/** Start the writer thread on the SQLite file behind `writer`; none for `:memory:`. */
export function openWriterThread(writer: Knex, filename: string): WriterThread | null {
  if (filename === ':memory:' || filename === '') return null;
  const thread = new WriterThread(writer, filename);
  THREADS.set(writer, { thread, stop: queueWritesElsewhere(writer, thread) });
  return thread;
}

export async function closeWriterThread(writer: Knex): Promise<void> {
  const open = THREADS.get(writer);
  THREADS.delete(writer);
  if (!open) return;
  open.stop();
  await open.thread.close();
}

export const writerThreadOf = (db: Knex): WriterThread | undefined => THREADS.get(db)?.thread;
