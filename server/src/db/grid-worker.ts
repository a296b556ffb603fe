/**
 * A worker thread that answers grid reads (grid-workers.ts) on a read-only SQLite connection of its
 * own, so that assembling a national sheet — tens of thousands of cells decoded and placed in
 * JavaScript — runs beside the main thread's writes instead of between them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setPriority } from 'node:os';
import { Access, type AccessPolicy, type Caller } from '../domain/access.js';
import { errorToThread, type ThreadError } from './thread-errors.js';
import { serveRequests } from './worker-requests.js';
import { readGrid, type Grid, type GridRequest } from '../domain/grid.js';
import { openReaderPool } from './readers.js';
import { toTransfer, type GridTransfer } from './grid-transfer.js';
import { tableJson } from '../domain/grid-table.js';

export interface GridAsk {
  id: number;
  req: GridRequest;
  caller: Caller | null;
  policy: AccessPolicy;
  /** 'table': only the columns and the rows as `Grid.table`'s JSON (the sheet's read); 'grid': the whole grid. */
  form: GridForm;
}

export type GridForm = 'grid' | 'table';

/** A grid read in the form 'table'. */
export interface GridTableTransfer {
  columns: Grid['columns'];
  /** `Grid.table`'s UTF-8 JSON. */
  json: Uint8Array;
  rows: number;
}

export type GridAnswer =
  | { id: number; grid: GridTransfer }
  | { id: number; table: GridTableTransfer }
  | { id: number; error: ThreadError };

const { filename, nice } = workerData as { filename: string; nice: number };
// Readers must not hold writers up: with both busy on a small machine, the scheduler gives the main
// thread (writes) the CPU first. On Linux a thread has its own nice value and setpriority(0) names the
// calling thread; elsewhere it would renice the whole server, so it is left alone there.
if (nice > 0 && process.platform === 'linux') setPriority(nice);
const db = openReaderPool(filename, 1);
const port = parentPort!;

serveRequests<GridAsk>(
  port,
  db,
  async (ask) => {
    const grid = await readGrid(db, ask.req, new Access(ask.caller, ask.policy));
    if (ask.form === 'table') {
      const json = tableJson(grid.rows);
      port.postMessage({ id: ask.id, table: { columns: grid.columns, json, rows: grid.rows.length } } satisfies GridAnswer, [json.buffer as ArrayBuffer]);
      return;
    }
    const { message, transfer } = toTransfer(grid);
    port.postMessage({ id: ask.id, grid: message } satisfies GridAnswer, transfer);
  },
  (ask, e) => port.postMessage({ id: ask.id, error: errorToThread(e) } satisfies GridAnswer),
);
port.postMessage({ ready: true });
