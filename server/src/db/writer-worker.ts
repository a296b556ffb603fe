/**
 * The writer thread (writer-thread.ts): figure writes, their group commit and their re-check run
 * here on a connection of its own, so that the main thread only parses, authorises and answers.
 * The same `writeFigures` as on the main thread, on this thread's connection.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Access, type AccessPolicy, type Caller } from '../domain/access.js';
import type { CellWrite, WriteResult } from '../domain/figure-writes.js';
import { writeFigures } from '../domain/figure-writes.js';
import { holdWrites, observeWrites, writeQueueStats } from '../domain/write-queue.js';
import { openWritingConnection } from './sqlite-connections.js';
import { errorToThread, type ThreadError } from './thread-errors.js';
import { serveRequests } from './worker-requests.js';

export type WriterAsk = WriteAsk | { id: number; hold: true } | { id: number; release: true };

export interface WriteAsk {
  id: number;
  writes: readonly CellWrite[];
  caller: Caller | null;
  policy: AccessPolicy;
  reason: string | null | undefined;
}

export type WriterMessage =
  | { ready: true }
  | { id: number; result: WriteResult }
  | { id: number; error: ThreadError }
  /** The main connection has the turn (its transaction may begin): no group runs until it is released; `waited`: groups that ended meanwhile. */
  | { id: number; held: true; waited: number }
  /** A group was committed (or fell back): its size and the fallbacks so far, for the main thread's counters. */
  | { group: number; fallbacks: number }
  | { recheck: number };

const { filename } = workerData as { filename: string };
const db = openWritingConnection(filename);
const port = parentPort!;
const post = (m: WriterMessage) => port.postMessage(m);

observeWrites(db, {
  group: (batches) => post({ group: batches, fallbacks: writeQueueStats(db).fallbacks }),
  duration: (kind, seconds) => kind === 'recheck' && post({ recheck: seconds }),
});

const holds = new Map<number, () => void>();
serveRequests<WriterAsk>(
  port,
  db,
  async (ask) => {
    if ('release' in ask) {
      holds.get(ask.id)?.();
      holds.delete(ask.id);
    } else if ('hold' in ask) {
      const before = writeQueueStats(db).groups;
      holds.set(ask.id, await holdWrites(db));
      post({ id: ask.id, held: true, waited: writeQueueStats(db).groups - before });
    } else {
      post({ id: ask.id, result: await writeFigures(db, ask.writes, { access: new Access(ask.caller, ask.policy), reason: ask.reason }) });
    }
  },
  (ask, e) => post({ id: ask.id, error: errorToThread(e) }),
);
post({ ready: true });
