/**
 * Readers beside the writer (server/src/db/readers.ts, issue 17): on a SQLite file the read-heavy
 * paths get read-only connections of their own — they see every committed write, can never write,
 * and a long read there does not hold the writer's connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knexOf, openDatabase, type Orm } from '../server/src/db/orm.js';
import { readsOf } from '../server/src/db/readers.js';

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
