/**
 * On Node 20, AsyncLocalStorage runs on promise hooks: the first `run` or `enterWith` in a process
 * turns them on for the rest of its life, and every await after that costs ~2.5× a bare one
 * (1e6 awaits: ~38 ms before, ~100 ms after). MikroORM's entity manager calls `run` (flush,
 * transactional), so the server goes through knex; this holds it to that, from opening the
 * database to a write, a read and a sign-in.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDICATORS, indicatorLabel, LAST_YEAR } from '@unionhub/schema';
import { freshDatabase, startTestServer, type TestServer } from './harness.js';
import { knexOf, openDatabase } from '../server/src/db/orm.js';

const ours: string[] = [];
const patched: [string, (...a: unknown[]) => unknown][] = [];
let s: TestServer;

beforeAll(async () => {
  for (const name of ['run', 'enterWith'] as const) {
    const original = AsyncLocalStorage.prototype[name] as (...a: unknown[]) => unknown;
    patched.push([name, original]);
    (AsyncLocalStorage.prototype as unknown as Record<string, unknown>)[name] = function (this: AsyncLocalStorage<unknown>, ...a: unknown[]) {
      // The test runner's own storages are not the server's.
      const stack = new Error().stack ?? '';
      if (/server\/src\/|@mikro-orm|graphql-yoga|@graphql-hive|@whatwg-node/.test(stack)) ours.push(`${name}\n${stack}`);
      return original.apply(this, a);
    };
  }
  s = await startTestServer();
});

afterAll(async () => {
  for (const [name, original] of patched) (AsyncLocalStorage.prototype as unknown as Record<string, unknown>)[name] = original;
  await s?.close();
});

describe('promise hooks stay off', () => {
  it('no AsyncLocalStorage is entered by opening the database, a write, a read or a sign-in', async () => {
    const [cell] = await s.sql<{ code: string; year: number; version: number }>(
      `select u.code as "code", f.year, f.version from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
       where i.code = 'members' and f.scenario = 'actual' and f.status <> 'approved' and u.path like '/TLD/P06/%' and f.value is not null order by u.code, f.year limit 1`,
    );
    const write = await s.gql('mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells) { figures { version } } }', {
      cells: [{ unionCode: cell!.code, indicatorCode: 'members', year: cell!.year, scenario: 'ACTUAL', value: 7, expectedVersion: cell!.version }],
    });
    expect(write.errors).toBeUndefined();
    expect(write.data!.setFigures.figures[0].version).toBe(cell!.version + 1);
    const read = await s.gql('{ grid(root: "TLD", years: [2017]) { columns { year } } }');
    expect(read.errors).toBeUndefined();
    const signIn = await s.gql('mutation { signIn(username: "admin", password: "wrong password") { csrfToken } }', {}, { as: 'anonymous' });
    expect(signIn.errors?.[0]?.extensions?.code).toBeTruthy();
    expect(ours).toEqual([]);
  });
});

describe('the indicator catalogue, mirrored through knex', () => {
  it('puts back a changed label and a sort order on the next start, and writes nothing when all is as the catalogue says', async () => {
    const { target, drop } = await freshDatabase({ seeded: false });
    try {
      let orm = await openDatabase(target);
      let db = knexOf(orm);
      const rows = async () => db('indicator').select('code', 'label_vi as labelVi', 'sort_order as sortOrder', 'total_code as totalCode').orderBy('sort_order');
      const want = INDICATORS.map((d, i) => ({ code: d.code, labelVi: indicatorLabel(d, LAST_YEAR, 'vi'), sortOrder: i, totalCode: d.total ?? null }));
      expect(await rows()).toEqual(want);
      const [{ id: membersId }] = await db('indicator').where({ code: 'members' }).select('id');
      await db('indicator').where({ code: 'members' }).update({ label_vi: 'đổi tay', sort_order: 999 });
      await orm.close();
      orm = await openDatabase(target);
      db = knexOf(orm);
      expect(await rows()).toEqual(want);
      // Upserted in place: the id the figures point at is kept.
      expect((await db('indicator').where({ code: 'members' }).select('id'))[0].id).toBe(membersId);
      // As the catalogue says: no statement writes the table.
      const writes: string[] = [];
      const onQuery = (q: { sql: string }) => void (/^\s*(insert|update)/i.test(q.sql) && /indicator/.test(q.sql) && writes.push(q.sql));
      const { syncCatalogue } = await import('../server/src/db/catalogue.js');
      db.on('query', onQuery);
      await syncCatalogue(db);
      db.off('query', onQuery);
      expect(writes).toEqual([]);
      await orm.close();
    } finally {
      await drop();
    }
  });
});
