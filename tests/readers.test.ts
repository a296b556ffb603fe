/**
 * Readers beside the writer (server/src/db/readers.ts, issue 17): on a SQLite file the read-heavy
 * paths get read-only connections of their own — they see every committed write, can never write,
 * and a long read there does not hold the writer's connection. The grid is assembled in a worker
 * thread (server/src/db/grid-workers.ts) on a connection of its own, the same cells for every caller.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knexOf, openDatabase, type Orm } from '../server/src/db/orm.js';
import { readsOf } from '../server/src/db/readers.js';
import { GridWorkers, gridWorkersOf } from '../server/src/db/grid-workers.js';
import { Access, type Caller } from '../server/src/domain/access.js';
import { DomainError } from '../server/src/domain/errors.js';
import { readGrid, type GridRow } from '../server/src/domain/grid.js';
import { packGridCells, type Role } from '@unionhub/schema';
import { startTestServer, type TestServer } from './harness.js';

const onSqlite = !process.env.DATABASE_URL?.startsWith('postgres');

describe.runIf(onSqlite)('SQLite readers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-readers-'));
  let orm: Orm;
  beforeAll(async () => {
    orm = await openDatabase({ kind: 'sqlite', location: join(dir, 'r.sqlite') });
  });
  afterAll(async () => {
    await orm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads on connections of their own, which see what the writer committed and refuse to write', async () => {
    const writer = knexOf(orm);
    const reads = readsOf(writer);
    expect(reads).not.toBe(writer);
    await writer.raw('create table t_readers (v text)');
    await writer('t_readers').insert({ v: 'committed' });
    expect((await reads('t_readers').select('v')).map((r) => r.v)).toEqual(['committed']);
    await expect(reads('t_readers').insert({ v: 'through a reader' })).rejects.toThrow(/readonly|read-only|query_only/i);
  });

  it('a reader inside a long read transaction does not hold a write up', async () => {
    const writer = knexOf(orm);
    const reads = readsOf(writer);
    await reads.transaction(async (trx) => {
      await trx('t_readers').count({ n: '*' });
      // The writer commits while the reader's snapshot is open: no SQLITE_BUSY, no wait for the reader.
      await writer('t_readers').insert({ v: 'while reading' });
      expect(Number((await trx('t_readers').count({ n: '*' }))[0]!.n)).toBe(1);
    });
    expect(Number((await reads('t_readers').count({ n: '*' }))[0]!.n)).toBe(2);
  });

  it('an in-memory database reads on the writer', async () => {
    const mem = await openDatabase({ kind: 'sqlite', location: ':memory:' });
    try {
      expect(readsOf(knexOf(mem))).toBe(knexOf(mem));
    } finally {
      await mem.close();
    }
  });
});

describe.runIf(onSqlite)('grid reads in a worker thread', () => {
  let s: TestServer;
  let workers: GridWorkers;
  beforeAll(async () => {
    s = await startTestServer();
    workers = new GridWorkers(s.file, 1);
  });
  afterAll(async () => {
    await workers?.close();
    await s?.close();
  });

  const GRID = `query ($root: String!, $depth: Int!, $years: [Int!]!) {
    grid(root: $root, depth: $depth, years: $years, scenarios: [ACTUAL, TARGET]) { rows { unionCode values statuses versions proposals stale cells } }
  }`;
  /** A row's fields as values (a row from a worker reads its lists from the moved block). */
  const plain = ({ union, hasChildren, readable, approvedOnly, values, statuses, versions, proposals, stale }: GridRow) => ({ union, hasChildren, readable, approvedOnly, values, statuses, versions, proposals, stale });
  const callerOf = (role: Role, path: string): Caller => ({ userId: 0, username: `t-${role}`, displayName: role, grants: [{ id: 1, role, unionCode: path.split('/').at(-2)!, path }] });

  it('the server answers the sheet from its worker, the same cells as a read on the main thread', async () => {
    const before = gridWorkersOf(s.app.db)!.served;
    const answer = await s.gql(GRID, { root: 'TLD', depth: 1, years: [2016, 2017] });
    expect(answer.errors).toBeUndefined();
    expect(gridWorkersOf(s.app.db)!.served).toBe(before + 1);
    const here = await readGrid(s.app.db, { rootCode: 'TLD', depth: 1, years: [2016, 2017], scenarios: ['actual', 'target'] }, new Access(callerOf('admin', '/TLD/')));
    const rows = answer.data!.grid.rows as Record<string, unknown>[];
    expect(rows.map((r) => r.unionCode)).toEqual(here.rows.map((r) => r.union.code));
    // Every list and the packed cells, as they crossed from the worker (grid-transfer.ts).
    const statusOf = (x: string | null) => x?.toUpperCase() ?? null;
    expect(rows.map(({ values, statuses, versions, proposals, stale, cells }) => ({ values, statuses, versions, proposals, stale, cells }))).toEqual(
      here.rows.map((r) => ({ values: r.values, statuses: r.statuses.map(statusOf), versions: r.versions, proposals: r.proposals, stale: r.stale, cells: packGridCells(r) })),
    );
    expect(here.rows.flatMap((r) => r.statuses).filter(Boolean).length).toBeGreaterThan(1000);
    expect(rows.length).toBeGreaterThan(60);
  });

  it('the sheet\'s read (columns and table only) comes from the worker as the JSON it wrote; asking `rows` too, through a fragment, gets both', async () => {
    const vars = { root: 'TLD', depth: 1, years: [2016, 2017] };
    const TABLE = 'query ($root: String!, $depth: Int!, $years: [Int!]!) { grid(root: $root, depth: $depth, years: $years) { columns { year } table } }';
    const BOTH = 'query ($root: String!, $depth: Int!, $years: [Int!]!) { grid(root: $root, depth: $depth, years: $years) { ...Rows table } } fragment Rows on Grid { rows { unionCode } }';
    const before = gridWorkersOf(s.app.db)!.served;
    const [table, both] = [await s.gql(TABLE, vars), await s.gql(BOTH, vars)];
    expect(gridWorkersOf(s.app.db)!.served).toBe(before + 2);
    expect(table.errors).toBeUndefined();
    expect(both.errors).toBeUndefined();
    const written = table.data!.grid.table as { unionCode: string; name: string }[];
    expect(written.length).toBeGreaterThan(60);
    expect(written.some((r) => [...r.name].some((ch) => ch.charCodeAt(0) > 127))).toBe(true);
    // The fragment's `rows` were answered (the whole grid crossed), and the table built from them is the worker's.
    expect((both.data!.grid.rows as { unionCode: string }[]).map((r) => r.unionCode)).toEqual(written.map((r) => r.unionCode));
    expect(both.data!.grid.table).toEqual(written);
  });

  it('a worker sees what each caller may see: a viewer approved cells only, a province reporter its own subtree', async () => {
    const [province] = await s.sql<{ path: string }>("select path from trade_union where level = 1 order by code limit 1");
    for (const caller of [callerOf('viewer', '/TLD/'), callerOf('reporter', province!.path)]) {
      const req = { rootCode: 'TLD', depth: 2, years: [2015, 2016, 2017], scenarios: ['actual' as const] };
      const there = await workers.read(req, new Access(caller));
      const here = await readGrid(s.app.db, req, new Access(caller));
      expect(there.rows.map(plain)).toEqual(here.rows.map(plain));
      expect(there.columns).toEqual(here.columns);
      expect(there.rows.some((r) => r.readable)).toBe(true);
    }
  });

  it('while writes are busy, reads yield: the second waits for the first and its rest (read-pacer.ts); both answered alike', async () => {
    const paced = new GridWorkers(s.file, 1, 0, 0.5, () => true);
    try {
      await paced.warm();
      const req = { rootCode: 'TLD', depth: 1, years: [2017], scenarios: ['actual' as const] };
      const access = new Access(callerOf('admin', '/TLD/'));
      const [a, b] = [paced.read(req, access), paced.read(req, access)];
      expect(paced.pacer.held).toBe(1);
      const [ga, gb] = await Promise.all([a, b]);
      expect(gb.rows.map(plain)).toEqual(ga.rows.map(plain));
      expect(paced.served).toBe(2);
    } finally {
      await paced.close();
    }
  });

  it.runIf(process.platform === 'linux')('a worker thread runs at its nice value (readers yield the CPU to writes); the main thread keeps its own', async () => {
    const niceOf = (task: string) => {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const threads = () => new Map(readdirSync('/proc/self/task').map((t) => [t, niceOf(t)]));
    const before = threads();
    const yielding = new GridWorkers(s.file, 1, 7);
    try {
      await yielding.warm();
      const added = [...threads()].filter(([t]) => !before.has(t));
      expect(added.map(([, nice]) => nice)).toContain(7);
      expect(niceOf(String(process.pid))).toBe(before.get(String(process.pid)));
      expect(niceOf(String(process.pid))).not.toBe(7);
    } finally {
      await yielding.close();
    }
  });

  it('a refusal comes back as the domain error it is, coded, in the caller’s language', async () => {
    const answer = await s.gql(GRID, { root: 'NO-SUCH-UNION', depth: 1, years: [2017] }, { headers: { 'accept-language': 'vi' } });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', key: 'union.unknown' });
    await expect(workers.read({ rootCode: 'TLD', depth: 9, years: [2017], scenarios: ['actual'] }, new Access(callerOf('admin', '/TLD/')))).rejects.toBeInstanceOf(DomainError);
  });

  it('closing waits for the read in flight (never tears a worker down mid-statement), and a worker that ended is replaced', async () => {
    const req = { rootCode: 'TLD', depth: 2, years: [2013, 2014, 2015, 2016, 2017], scenarios: ['actual' as const, 'target' as const] };
    const access = new Access(callerOf('admin', '/TLD/'));
    const closing = new GridWorkers(s.file, 1);
    const held = closing.read(req, access);
    await closing.close();
    expect((await held).rows.length).toBeGreaterThan(1000);
    // A worker that ended while idle: the next read starts a fresh one.
    await workers.warm();
    await (workers as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads[0]!.worker.terminate();
    const again = await workers.read({ ...req, depth: 1 }, access);
    expect(again.rows.length).toBeGreaterThan(60);
  });
});
