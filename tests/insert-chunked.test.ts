/**
 * insertChunked (server/src/domain/db.ts) writes its own `values` lists instead of knex's builder:
 * chunks under the driver's limits, a column a row lacks as knex gave it (NULL on SQLite, the
 * column's DEFAULT on PostgreSQL), values bound rather than spliced, and upserts that update only
 * the listed columns. On the suite's database (SQLite, and PostgreSQL in the second pass).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './harness.js';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { dialectOf, insertChunked, isoTime, rowsPerInsert, type Db } from '../server/src/domain/db.js';

let db: Db;
let done: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshDatabase({ seeded: false });
  const orm = await openDatabase(fresh.target);
  db = knexOf(orm);
  done = async () => {
    await orm.close();
    await fresh.drop();
  };
  await db.schema.createTable('probe', (t) => {
    t.increments('id');
    t.string('k').notNullable().unique();
    t.integer('n');
    t.string('note').defaultTo('default note');
    t.timestamp('at', { useTz: true });
  });
});
afterAll(() => done());

type Row = { k: string; n: number | null; note: string | null; at: unknown };
const rows = async (): Promise<Row[]> => db('probe').select('k', 'n', 'note', 'at').orderBy('id');

describe('insertChunked', () => {
  it('inserts many rows in chunks under the limit, binding every value as given', async () => {
    const at = new Date('2017-12-10T03:04:05.678Z');
    const many = Array.from({ length: 1_234 }, (_, i) => ({ k: `k${i}`, n: i, note: i % 2 ? `it's ? and "quoted" ${i}` : null, at }));
    const chunks: number[] = [];
    await insertChunked(db, 'probe', many, { after: async (chunk) => void chunks.push(chunk.length) });
    const per = rowsPerInsert(db, 4);
    expect(chunks).toEqual(Array.from({ length: Math.ceil(1_234 / per) }, (_, i) => Math.min(per, 1_234 - i * per)));
    if (dialectOf(db) === 'sqlite') expect(chunks.length).toBeGreaterThan(1);
    const back = await rows();
    expect(back.map((r) => [r.k, r.n, r.note])).toEqual(many.map((r) => [r.k, r.n, r.note]));
    expect(new Set(back.map((r) => isoTime(r.at)))).toEqual(new Set([at.toISOString()]));
  });

  it('gives a column a row lacks NULL on SQLite and its DEFAULT on PostgreSQL, as knex did', async () => {
    await insertChunked(db, 'probe', [{ k: 'lacks', n: 1 }, { k: 'has', n: 2, note: 'mine' }]);
    const back = await db('probe').whereIn('k', ['lacks', 'has']).orderBy('k').select('k', 'note');
    expect(back).toEqual([{ k: 'has', note: 'mine' }, { k: 'lacks', note: dialectOf(db) === 'postgresql' ? 'default note' : null }]);
  });

  it('updates only the listed columns of a row that meets the unique key, and inserts the others', async () => {
    await insertChunked(db, 'probe', [
      { k: 'k1', n: 100, note: 'not merged' },
      { k: 'new-one', n: 7, note: 'fresh' },
    ], { onConflict: { target: ['k'], merge: ['n'] } });
    const back = await db('probe').whereIn('k', ['k1', 'new-one']).orderBy('k').select('k', 'n', 'note');
    expect(back).toEqual([{ k: 'k1', n: 100, note: "it's ? and \"quoted\" 1" }, { k: 'new-one', n: 7, note: 'fresh' }]);
  });

  it('writes nothing of a chunk that breaks a constraint', async () => {
    const before = (await rows()).length;
    await expect(insertChunked(db, 'probe', [{ k: 'ok-1', n: 1 }, { k: 'k2', n: 2 }])).rejects.toThrow();
    expect((await rows()).length).toBe(before);
    expect(await db('probe').where('k', 'ok-1').first()).toBeUndefined();
  });
});
