/**
 * Many writers on the same and neighbouring cells at once, each sending the version it read:
 * no update is lost. Every accepted write gets the next version and exactly one revision, whose
 * "before" is the previous accepted write's value; the cell ends at the last accepted value; every
 * refusal is a CONFLICT. Plain SQL through the harness, so it runs on PostgreSQL too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKind, startTestServer, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { CellBatchError } from '../server/src/domain/errors.js';
import { figuresByKeys } from '../server/src/domain/figures.js';
import { writeFigures, type CellWrite } from '../server/src/domain/figure-writes.js';
import { writeQueueStats } from '../server/src/domain/write-queue.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const CLIENTS = 20;
const ROUNDS = 12;
const UNION = 'P06-H02';
/** The contended cell, its neighbours in the same row, and a cell that does not exist yet (inserts race). */
const SHARED = { indicatorCode: 'members', year: 2017 };
const NEIGHBOURS = [
  { indicatorCode: 'members.women', year: 2017 },
  { indicatorCode: 'members.admitted', year: 2017 },
  { indicatorCode: 'officials.trained', year: 2017 },
  { indicatorCode: 'funding', year: 2017 },
];
const NEW_CELL = { indicatorCode: 'members', year: 2018 };
const ALL = [SHARED, ...NEIGHBOURS, NEW_CELL];
const key = (c: { indicatorCode: string; year: number }) => `${c.indicatorCode}|${c.year}`;

const READ = `query { ${ALL.map((c, i) => `c${i}: figure(unionCode: "${UNION}", indicatorCode: "${c.indicatorCode}", year: ${c.year}, scenario: ACTUAL) { version value }`).join(' ')} }`;
const SET = 'mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells, reason: "concurrency") { figures { indicatorCode year value version } } }';

interface Accepted {
  cell: string;
  version: number;
  value: number;
}

async function figureIds() {
  const rows = await s.sql<{ id: number; code: string; year: number }>(
    `select f.id, i.code, f.year from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
      where u.code = ? and f.scenario = 'actual' and ((f.year = 2017 and i.code in (?, ?, ?, ?, ?)) or (f.year = 2018 and i.code = ?))`,
    [UNION, SHARED.indicatorCode, ...NEIGHBOURS.map((n) => n.indicatorCode), NEW_CELL.indicatorCode],
  );
  return new Map(rows.map((r) => [`${r.code}|${Number(r.year)}`, Number(r.id)]));
}

describe('concurrent writers', () => {
  it(`${CLIENTS} clients × ${ROUNDS} rounds on one cell, its neighbours and a new cell: no lost update, one revision per accepted write`, async () => {
    const start = (await s.gql(READ)).data!;
    const initial = new Map(ALL.map((c, i) => [key(c), { version: start[`c${i}`]?.version ?? 0, value: start[`c${i}`]?.value ?? null }]));
    const lastRevision = Number((await s.sql<{ last: number }>('select coalesce(max(id), 0) as last from figure_revision'))[0]!.last);

    const accepted: Accepted[] = [];
    const refusals = new Map<string, number>();
    let writes = 0;
    const client = async (n: number) => {
      for (let round = 0; round < ROUNDS; round++) {
        // Each client mixes: the shared cell alone, the shared cell with a neighbour, a neighbour alone, the new cell.
        const pattern = (n + round) % 4;
        const cells = pattern === 0 ? [SHARED] : pattern === 1 ? [SHARED, NEIGHBOURS[n % NEIGHBOURS.length]!] : pattern === 2 ? [NEIGHBOURS[(n + round) % NEIGHBOURS.length]!] : [NEW_CELL];
        const read = (await s.gql(READ, {}, { as: n % 2 ? 'admin' : 'reporter' })).data!;
        const versions = new Map(ALL.map((c, i) => [key(c), read[`c${i}`]?.version ?? 0]));
        const batch = cells.map((c, j) => ({
          unionCode: UNION, ...c, scenario: 'ACTUAL',
          // Unique per write, so the final value names the write that won.
          value: 100_000 + n * 1_000 + round * 10 + j,
          expectedVersion: versions.get(key(c))!,
        }));
        writes++;
        const r = await s.gql(SET, { cells: batch }, { as: n % 2 ? 'admin' : 'reporter' });
        if (r.errors) {
          for (const e of r.errors) refusals.set(e.extensions.code, (refusals.get(e.extensions.code) ?? 0) + 1);
          continue;
        }
        for (const f of r.data!.setFigures.figures) accepted.push({ cell: key(f), version: f.version, value: f.value });
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));

    // Every refusal was a stale version, nothing else.
    expect([...refusals.keys()]).toEqual(refusals.size ? ['CONFLICT'] : []);
    // There was contention (some refused) and progress (some accepted) on the shared cell.
    expect(refusals.get('CONFLICT') ?? 0).toBeGreaterThan(0);
    expect(accepted.filter((a) => a.cell === key(SHARED)).length).toBeGreaterThan(1);

    const ids = await figureIds();
    for (const c of ALL) {
      const mine = accepted.filter((a) => a.cell === key(c)).sort((a, b) => a.version - b.version);
      const base = initial.get(key(c))!;
      // Versions run on without a gap or a repeat: each accepted write saw the one before it.
      expect(mine.map((a) => a.version), key(c)).toEqual(mine.map((_, i) => base.version + i + 1));
      const id = ids.get(key(c));
      if (mine.length === 0) continue;
      const revisions = await s.sql<{ version: number; beforeValue: number | null; afterValue: number | null }>(
        'select version, before_value as "beforeValue", after_value as "afterValue" from figure_revision where figure_id = ? and id > ? order by version',
        [id, lastRevision],
      );
      // One revision per accepted write, in order, each "before" the previous accepted value.
      expect(revisions.map((r) => Number(r.version)), key(c)).toEqual(mine.map((a) => a.version));
      expect(revisions.map((r) => Number(r.afterValue)), key(c)).toEqual(mine.map((a) => a.value));
      expect(revisions.map((r) => (r.beforeValue === null ? null : Number(r.beforeValue))), key(c)).toEqual([base.value, ...mine.slice(0, -1).map((a) => a.value)]);
      const [now] = await s.sql<{ value: number; version: number }>('select value, version from figure where id = ?', [id]);
      expect({ value: Number(now!.value), version: Number(now!.version) }, key(c)).toEqual({ value: mine.at(-1)!.value, version: mine.at(-1)!.version });
    }
    // The new cell was created exactly once.
    const [created] = await s.sql<{ n: number }>(
      `select count(*) as n from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where u.code = ? and i.code = ? and f.year = ? and f.scenario = 'actual'`,
      [UNION, NEW_CELL.indicatorCode, NEW_CELL.year],
    );
    expect(Number(created!.n)).toBe(1);
    console.log(`${writes} write batches: ${accepted.length} cell writes accepted, ${refusals.get('CONFLICT') ?? 0} CONFLICT refusals`);
  });
});

/**
 * On PostgreSQL another instance's transaction can change or create a cell between a write's read
 * and its update (on SQLite transactions do not overlap). The version-guarded update and the
 * insert that skips an existing cell then leave it alone: the write is a CONFLICT and nothing of it
 * is kept; in a group, the group runs again batch by batch and only the raced batch is refused.
 */
describe.skipIf(databaseKind() !== 'postgresql')('another transaction racing a write (PostgreSQL)', () => {
  const cell = (indicatorCode: string, year: number) => ({ unionCode: 'P06-H06', indicatorCode, year, scenario: 'actual' as const });
  const stored = async (c: ReturnType<typeof cell>) => (await figuresByKeys(knexOf(s.orm), [c]))[0];
  const write = (c: ReturnType<typeof cell>, value: number, expectedVersion: number) => {
    const written = writeFigures(knexOf(s.orm), [{ ...c, value, expectedVersion } satisfies CellWrite], { access: SYSTEM_ACCESS });
    // Its refusal is read later (refusalOf); it can come while the test still awaits the other
    // transaction's commit, which left alone counts as an unhandled rejection (seen in CI).
    written.catch(() => {});
    return written;
  };
  /** Until `n` statements wait for a lock (the write reached the row the other transaction holds). */
  const lockWaits = async (n: number) => {
    for (let i = 0; i < 200; i++) {
      // This test's database only: other test files run beside it on the same PostgreSQL.
      const [w] = await s.sql<{ n: number }>("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()");
      if (Number(w!.n) >= n) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no statement waited for the lock');
  };
  const refusalOf = async (p: Promise<unknown>) => {
    const e = await p.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(CellBatchError);
    return (e as CellBatchError).errors.map((x) => [x.code, x.details.key, x.details.index]);
  };
  const revisionsOf = async (id: number) => Number((await s.sql<{ n: number }>('select count(*) as n from figure_revision where figure_id = ?', [id]))[0]!.n);

  it('a cell changed meanwhile: CONFLICT, the other value kept, no revision of ours', async () => {
    const c = cell('members', 2017);
    const before = (await stored(c))!;
    const revisions = await revisionsOf(before.id);
    const other = await knexOf(s.orm).transaction();
    await other('figure').where({ id: before.id }).update({ value: 424_242, version: before.version + 1 });
    const ours = write(c, 1, before.version);
    await lockWaits(1);
    await other.commit();
    expect(await refusalOf(ours)).toEqual([['CONFLICT', 'cell.changedMeanwhile', 0]]);
    expect(await stored(c)).toMatchObject({ value: 424_242, version: before.version + 1 });
    expect(await revisionsOf(before.id)).toBe(revisions);
  });

  it('a cell created meanwhile: CONFLICT, one row', async () => {
    const c = cell('members', 2019);
    expect(await stored(c)).toBeUndefined();
    const other = await knexOf(s.orm).transaction();
    const [u] = await other('trade_union').where({ code: c.unionCode }).select('id');
    const [i] = await other('indicator').where({ code: c.indicatorCode }).select('id');
    await other('figure').insert({ union_id: u.id, indicator_id: i.id, year: c.year, scenario: 'actual', value: 7, status: 'draft', version: 1, updated_by: 'other', updated_at: new Date() });
    const ours = write(c, 8, 0);
    await lockWaits(1);
    await other.commit();
    expect(await refusalOf(ours)).toEqual([['CONFLICT', 'cell.createdMeanwhile', 0]]);
    const now = (await stored(c))!;
    expect(now).toMatchObject({ value: 7, version: 1, updatedBy: 'other' });
    expect(await revisionsOf(now.id)).toBe(0);
  });

  it('in a group: the group runs again batch by batch, only the raced batch is refused', async () => {
    // `b` in another year: a transaction holding a cell of a union's year also holds its kept group
    // (figure_pack), so `changesB` would wait for `holdsA` if they shared one.
    const [a, b, c] = [cell('funding', 2017), cell('officials.trained', 2016), cell('members.women', 2017)];
    const [fa, fb, fc] = [(await stored(a))!, (await stored(b))!, (await stored(c))!];
    const revisionsOfC = await revisionsOf(fc.id);
    const stats = writeQueueStats(knexOf(s.orm));
    const fallbacks = stats.fallbacks;
    // One transaction holds `a` (a first write waits on it and keeps the queue busy), another changes `b`.
    const holdsA = await knexOf(s.orm).transaction();
    await holdsA('figure').where({ id: fa.id }).update({ value: 1, version: fa.version + 1 });
    const changesB = await knexOf(s.orm).transaction();
    await changesB('figure').where({ id: fb.id }).update({ value: 515_151, version: fb.version + 1 });
    const first = write(a, 2, fa.version);
    await lockWaits(1);
    // These two queue behind it and form one group, which reads `b` before `changesB` commits.
    const raced = write(b, 3, fb.version);
    const clean = write(c, 4, fc.version);
    await holdsA.commit();
    expect(await refusalOf(first)).toEqual([['CONFLICT', 'cell.changedMeanwhile', 0]]);
    await lockWaits(1);
    await changesB.commit();
    // Alone again, the raced batch reads the new version: the ordinary stale-version CONFLICT.
    expect(await refusalOf(raced)).toEqual([['CONFLICT', 'cell.changed', 0]]);
    expect((await clean).figures).toMatchObject([{ value: 4, version: fc.version + 1 }]);
    expect(stats.fallbacks).toBe(fallbacks + 1);
    expect(await stored(b)).toMatchObject({ value: 515_151, version: fb.version + 1 });
    expect(await stored(c)).toMatchObject({ value: 4, version: fc.version + 1 });
    expect(await revisionsOf(fc.id)).toBe(revisionsOfC + 1);
  });
});
