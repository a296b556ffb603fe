/**
 * The writer thread (server/src/db/writer-thread.ts, issue 17): on a SQLite file, figure writes run
 * in a thread on a connection of their own — none of their statements on the main connection —
 * with group commit counted here and refusals as before; the main connection's transactions and the
 * thread's meet without SQLITE_BUSY either way (both begin IMMEDIATE and wait for the lock).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knexOf } from '../server/src/db/orm.js';
import { SETTINGS } from '../server/src/config.js';
import { openWritingConnection } from '../server/src/db/sqlite-connections.js';
import { writerThreadOf } from '../server/src/db/writer-thread.js';
import { writeQueueStats } from '../server/src/domain/write-queue.js';
import { startTestServer, type TestServer } from './harness.js';

const onSqlite = !process.env.DATABASE_URL?.startsWith('postgres');
const SET = 'mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells) { figures { unionCode year value version } } }';

interface Cell {
  unionCode: string;
  year: number;
  value: number;
  version: number;
}

describe.runIf(onSqlite && SETTINGS.SQLITE_WRITER_THREAD)('the writer thread', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  /** `n` members cells of grassroots unions under Bắc Kạn, not approved, as they stand. */
  const cells = async (n: number, offset: number): Promise<Cell[]> =>
    s.sql<Cell>(
      `select u.code as "unionCode", f.year, f.value, f.version from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
       where i.code = 'members' and f.scenario = 'actual' and f.status <> 'approved' and u.path like '/TLD/P06/%' and f.value is not null
       order by u.code, f.year limit ? offset ?`,
      [n, offset],
    );
  const write = (c: Cell, value: number) =>
    s.gql(SET, { cells: [{ unionCode: c.unionCode, indicatorCode: 'members', year: c.year, scenario: 'ACTUAL', value, expectedVersion: c.version }] });

  it('20 writers at once: all answered, none of their statements on the main connection, their groups counted here', async () => {
    const main = knexOf(s.orm);
    expect(writerThreadOf(main)).toBeDefined();
    const targets = await cells(20, 0);
    expect(targets).toHaveLength(20);
    const [before] = await s.sql<{ n: number }>('select count(*) as n from figure_revision');
    const statements: string[] = [];
    const seen = (q: { sql: string }) => statements.push(q.sql);
    main.on('query', seen);
    const stats = { ...writeQueueStats(main) };
    let results;
    try {
      results = await Promise.all(targets.map((c, i) => write(c, c.value + 1 + i)));
    } finally {
      main.off('query', seen);
    }
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(results.map((r) => r.data!.setFigures.figures[0].version)).toEqual(targets.map((c) => c.version + 1));
    // The main connection answered the requests' own reads (if any) but wrote nothing of the figures.
    expect(statements.filter((q) => /\b(update|insert into)\s+"?(figure|figure_revision|discrepancy)"?/i.test(q))).toEqual([]);
    const [after] = await s.sql<{ n: number }>('select count(*) as n from figure_revision');
    expect(Number(after!.n) - Number(before!.n)).toBe(20);
    const now = writeQueueStats(main);
    expect(now.batches - stats.batches).toBe(20);
    expect(now.groups - stats.groups).toBeGreaterThanOrEqual(1);
    expect(now.groups - stats.groups).toBeLessThanOrEqual(20);
    expect(writerThreadOf(main)!.busy).toBe(false);
  });

  it('a stale write is refused with CONFLICT and its cell\'s current version, as on the main thread', async () => {
    const [c] = await cells(1, 20);
    expect((await write(c!, c!.value + 7)).errors).toBeUndefined();
    const stale = await write(c!, 1);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: c!.version + 1, currentValue: c!.value + 7, index: 0 });
  });

  /** Writers that loop through the thread, each on its own cell, until stopped; `stop` gives how many writes they made. */
  const keepWriting = (targets: Cell[]) => {
    let writing = true;
    const loops = targets.map(async (c) => {
      let version = c.version;
      let n = 0;
      while (writing) {
        const r = await s.gql(SET, { cells: [{ unionCode: c.unionCode, indicatorCode: 'members', year: c.year, scenario: 'ACTUAL', value: c.value + ++n, expectedVersion: version }] });
        expect(r.errors).toBeUndefined();
        version = r.data!.setFigures.figures[0].version;
      }
      return n;
    });
    return {
      stop: async () => {
        writing = false;
        return (await Promise.all(loops)).reduce((a, b) => a + b, 0);
      },
    };
  };

  it("the main connection's transactions that read, then write, meet the thread's commits without SQLITE_BUSY", async () => {
    const main = knexOf(s.orm);
    await main.raw('create table if not exists t_writer_thread (v integer)');
    const writers = keepWriting(await cells(10, 30));
    // Deferred, the transaction's first read would fix its snapshot and the thread's commits meanwhile
    // would refuse its write (SQLITE_BUSY_SNAPSHOT); begun IMMEDIATE it holds the lock, then gives it back.
    for (let k = 0; k < 8; k++) {
      await main.transaction(async (trx) => {
        await trx('figure').count({ n: '*' });
        await sleep(25);
        await trx('t_writer_thread').insert({ v: k });
      });
      await sleep(25);
    }
    expect(await writers.stop()).toBeGreaterThan(10);
    expect((await main('t_writer_thread').count({ n: '*' }))[0]!.n).toBe(8);
  });

  it("the main connection's transaction waits for the thread's running group only, however busy the thread", async () => {
    // SQLite's busy handler polls: left to it, a main-thread approval waited up to ~1 s behind 20 writers'
    // groups. The thread gives the main connection the next turn instead (WriteQueue.hold).
    const main = knexOf(s.orm);
    const writers = keepWriting(await cells(20, 60));
    await expect.poll(() => writeQueueStats(main).groups).toBeGreaterThan(0);
    const started = writeQueueStats(main).groups;
    await sleep(200);
    const took: number[] = [];
    const waited: number[] = [];
    for (let k = 0; k < 10; k++) {
      const turns = writeQueueStats(main).turns;
      await main.transaction(async (trx) => {
        took.push(writeQueueStats(main).turns - turns);
        waited.push(writeQueueStats(main).lastTurnWaited);
        await trx('t_writer_thread').insert({ v: 1000 + k });
      });
      await sleep(20);
    }
    expect(await writers.stop()).toBeGreaterThan(20);
    // Each took a turn, given when the group running as it asked ended (counted by the thread: the main
    // thread's own count of groups lags behind it by the messages not yet read).
    expect(took.every((n) => n >= 1)).toBe(true);
    expect(Math.max(...waited)).toBeLessThanOrEqual(1);
    expect(writeQueueStats(main).groups - started).toBeGreaterThan(10);
  });

  it("the main connection's writes outside a transaction wait for the running group only, too", async () => {
    // A session's insert at sign-in, a token's last use: left to the busy handler a sign-in waited up to ~1 s.
    const main = knexOf(s.orm);
    const writers = keepWriting(await cells(20, 60));
    await expect.poll(() => writeQueueStats(main).groups).toBeGreaterThan(0);
    await sleep(200);
    const took: number[] = [];
    const waited: number[] = [];
    for (let k = 0; k < 10; k++) {
      const turns = writeQueueStats(main).turns;
      await main('t_writer_thread').insert({ v: 2000 + k });
      took.push(writeQueueStats(main).turns - turns);
      waited.push(writeQueueStats(main).lastTurnWaited);
      await sleep(20);
    }
    expect(await writers.stop()).toBeGreaterThan(20);
    expect(took.every((n) => n >= 1)).toBe(true);
    expect(Math.max(...waited)).toBeLessThanOrEqual(1);
    expect((await main('t_writer_thread').where('v', '>=', 2000).count({ n: '*' }))[0]!.n).toBe(10);
  });

  it('a write sent while another connection holds the write lock waits for it, then goes through', async () => {
    // Another connection to the file, as the main one is set up (not the main one: the request itself may read there).
    const other = openWritingConnection(s.file);
    try {
      const [c] = await cells(1, 50);
      const order: string[] = [];
      let sent: ReturnType<typeof write> | undefined;
      await other.transaction(async (trx) => {
        await trx('t_writer_thread').insert({ v: 100 });
        sent = write(c!, c!.value + 3).finally(() => order.push('write answered'));
        await sleep(300);
        order.push('other committing');
      });
      expect((await sent!).errors).toBeUndefined();
      expect(order).toEqual(['other committing', 'write answered']);
    } finally {
      await other.destroy();
    }
  });
  it('a thread that ends is replaced: the writes sent as it ends are refused or done whole, and the next go through', async () => {
    // Ended while idle. A thread that dies with a statement in flight takes the process with it:
    // node-sqlite3's callback into the gone thread is a fatal error (seen when this test terminated it
    // mid-load); SQLite's atomic commit keeps the file whole, and the process manager restarts it.
    const main = knexOf(s.orm);
    const targets = await cells(10, 90);
    expect(targets).toHaveLength(10);
    const versionOf = async (c: Cell) =>
      (await s.sql<{ version: number }>('select f.version from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where u.code = ? and f.year = ? and i.code = ? and f.scenario = ?', [c.unionCode, c.year, 'members', 'actual']))[0]!.version;
    const revisions = async () => Number((await s.sql<{ n: number }>('select count(*) as n from figure_revision'))[0]!.n);
    const writeAll = async () => {
      const answers = await Promise.all(targets.map(async (c) => write(c, c.value + 1 + (c.version = await versionOf(c)))));
      return answers.map((r) => (r.errors ? String(r.errors[0]!.extensions?.code) : 'ok'));
    };
    expect(await writeAll()).toEqual(targets.map(() => 'ok'));
    const thread = writerThreadOf(main)!;
    await thread.idle();
    const before = { revisions: await revisions(), versions: (await Promise.all(targets.map(versionOf))).reduce((a, b) => a + b, 0) };
    // The worker is private: reached for here only, to end it as a crash would.
    const ending = (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const asItEnds = await writeAll();
    await ending;
    expect(asItEnds.filter((code) => code !== 'ok' && code !== 'INTERNAL')).toEqual([]);
    for (let round = 0; round < 3; round++) expect(await writeAll()).toEqual(targets.map(() => 'ok'));
    const after = { revisions: await revisions(), versions: (await Promise.all(targets.map(versionOf))).reduce((a, b) => a + b, 0) };
    // Each version a write made has its revision: none half done.
    expect(after.versions - before.versions).toBe(after.revisions - before.revisions);
    expect(after.versions - before.versions).toBe(30 + asItEnds.filter((code) => code === 'ok').length);
    expect(thread.busy).toBe(false);
  });
});
