/**
 * The writer thread's connection keeps its statements prepared (db/sqlite-connections.ts,
 * `keepStatements`): each text is prepared once, yet every call gets its own rows, `lastID` and
 * `changes`, a failing text is refused each time without hanging, and the connection still closes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKind, freshDatabase } from './harness.js';
import { openWritingConnection } from '../server/src/db/sqlite-connections.js';

type Knex = ReturnType<typeof openWritingConnection>;

const sqlite = databaseKind() === 'sqlite';
let db: Knex;
let drop: () => Promise<void>;
let file: string;
let prepared: string[] = [];
/** The driver's connection: its `open` says whether closing it worked (knex's pool drops a close error). */
let raw: { open: boolean };

beforeAll(async () => {
  if (!sqlite) return;
  const fresh = await freshDatabase({ seeded: false });
  drop = fresh.drop;
  db = openWritingConnection(fresh.target.location);
  // Count what the driver prepares: the kept statements call the connection's own `prepare`.
  const conn = (await (db.client as { acquireConnection(): Promise<Record<string, unknown>> }).acquireConnection()) as {
    prepare: (sql: string, ...rest: unknown[]) => unknown;
  };
  const prepare = conn.prepare.bind(conn);
  conn.prepare = (sql, ...rest) => (prepared.push(sql), prepare(sql, ...rest));
  raw = conn as unknown as { open: boolean };
  await (db.client as { releaseConnection(c: unknown): Promise<void> }).releaseConnection(conn);
  await db.raw('pragma journal_mode = wal');
  await db.raw('create table scratch (id integer primary key, n integer)');
  file = fresh.target.location;
});
afterAll(async () => {
  await drop?.();
});

describe.skipIf(!sqlite)('kept statements (SQLite writer connection)', () => {
  it('prepares a text once and gives each call its own rows, in sequence and at once', async () => {
    prepared = [];
    for (let i = 0; i < 5; i++) expect(await db.raw('select ? + 1 as v', [i])).toEqual([{ v: i + 1 }]);
    const together = await Promise.all(Array.from({ length: 20 }, (_, i) => db.raw('select ? + 1 as v', [i * 10])));
    expect(together).toEqual(Array.from({ length: 20 }, (_, i) => [{ v: i * 10 + 1 }]));
    expect(prepared.filter((q) => q === 'select ? + 1 as v')).toHaveLength(1);
  });

  it("gives each insert its own id and each update its own count, as knex reads them from the call", async () => {
    const ids: number[] = [];
    for (let n = 0; n < 4; n++) ids.push(...((await db('scratch').insert({ n })) as number[]));
    expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2, ids[0]! + 3]);
    const made = await Promise.all([0, 1, 2].map(() => db('scratch').insert({ n: 9 })));
    expect(new Set(made.flat()).size).toBe(3);
    expect(await db('scratch').where('n', '<', 2).update({ n: 5 })).toBe(2);
    expect(await db('scratch').where('n', '<', 4).update({ n: 6 })).toBe(2);
    expect(await db('scratch').where('n', 99).update({ n: 7 })).toBe(0);
  });

  it('holds no read snapshot between calls: another connection can write and check the WAL back in full', async () => {
    for (let i = 0; i < 3; i++) await db('scratch').select('n').where('n', '>', i);
    const other = openWritingConnection(file);
    try {
      await other('scratch').insert({ n: 50 });
      // A snapshot still held by a kept, finished select would keep the checkpoint from the end (busy = 1).
      expect(await other.raw('pragma wal_checkpoint(truncate)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
      // And the kept connection sees the other's write, and can write after it (no stale snapshot).
      expect(await db('scratch').where('n', 50).count({ c: '*' })).toEqual([{ c: 1 }]);
      await db.transaction((trx) => trx('scratch').insert({ n: 51 }));
    } finally {
      await other.destroy();
    }
  });

  it('refuses a failing text every time, and the connection goes on', async () => {
    for (let i = 0; i < 3; i++) await expect(db.raw('select * from no_such_table')).rejects.toThrow(/no such table/);
    // A text that prepares but fails when run (a unique key) is dropped and prepared again.
    await db.raw('create unique index scratch_n on scratch (n) where n >= 100');
    await db.raw('insert into scratch (n) values (?)', [100]);
    for (let i = 0; i < 3; i++) await expect(db.raw('insert into scratch (n) values (?)', [100])).rejects.toThrow(/UNIQUE/);
    await db.raw('insert into scratch (n) values (?)', [101]);
    expect(await db('scratch').where('n', '>=', 100).count({ c: '*' })).toEqual([{ c: 2 }]);
  });

  it('keeps at most 256, and closes with them all finalized', async () => {
    prepared = [];
    for (let i = 0; i < 300; i++) expect(await db.raw(`select ${i} as v`)).toEqual([{ v: i }]);
    expect(prepared).toHaveLength(300);
    // Still kept after that many: the most recent text is not prepared again.
    await db.raw('select 299 as v');
    expect(prepared).toHaveLength(300);
    // node-sqlite3 refuses to close (SQLITE_BUSY) a connection with statements not finalized.
    expect(raw.open).toBe(true);
    await db.destroy();
    expect(raw.open).toBe(false);
  });
});
