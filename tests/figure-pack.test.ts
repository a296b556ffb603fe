/**
 * figure_pack — each union's cells kept packed per scenario and year by triggers, what the grid
 * reads — always equals packing the figure rows afresh: after writes through the API (updates and
 * new cells, concurrent ones included), approval, a correction proposal, an import-sized batch, and
 * SQL by hand (a value, a move to another year, a delete, an insert). On PostgreSQL also two
 * transactions changing cells of one group at once, the second waiting for the first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKind, startTestServer, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { cellText, KEPT_FIELDS } from '../server/src/domain/packed.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const SET = 'mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells, reason: "pack") { figures { version } } }';
const RS = '\u001e';

/** Groups whose kept text differs from the figure rows packed now (cells compared as sets), and how many groups there are. */
async function drift(): Promise<{ groups: number; wrong: string[] }> {
  const db = knexOf(s.orm);
  const fresh = await s.sql<{ u: number; s: string; y: number; c: string }>(
    `select f.union_id as u, f.scenario as s, f.year as y, ${cellText(db, KEPT_FIELDS)} as c from figure f`,
  );
  const want = new Map<string, string[]>();
  for (const r of fresh) {
    const k = `${r.u}/${r.s}/${r.y}`;
    want.set(k, [...(want.get(k) ?? []), r.c]);
  }
  const kept = await s.sql<{ u: number; s: string; y: number; cells: string }>('select union_id as u, scenario as s, year as y, cells from figure_pack');
  const wrong: string[] = [];
  const seen = new Set<string>();
  for (const r of kept) {
    const k = `${r.u}/${r.s}/${r.y}`;
    seen.add(k);
    if (r.cells.split(RS).sort().join(RS) !== (want.get(k) ?? []).sort().join(RS)) wrong.push(k);
  }
  for (const k of want.keys()) if (!seen.has(k)) wrong.push(`${k} (missing)`);
  return { groups: want.size, wrong };
}

/** The stored version of each cell (0 where it does not exist yet), as a write must send it. */
async function withVersions(cells: { unionCode: string; indicatorCode: string; year: number; value: number | null }[]) {
  const rows = await s.sql<{ u: string; i: string; y: number; v: number }>(
    `select u.code as u, i.code as i, f.year as y, f.version as v from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
      where f.scenario = 'actual' and u.code in (${cells.map(() => '?').join(', ')})`,
    cells.map((c) => c.unionCode),
  );
  const version = new Map(rows.map((r) => [`${r.u}|${r.i}|${Number(r.y)}`, Number(r.v)]));
  return cells.map((c) => ({ ...c, scenario: 'ACTUAL', expectedVersion: version.get(`${c.unionCode}|${c.indicatorCode}|${c.year}`) ?? 0 }));
}

async function figureOf(union: string, indicator: string, year: number) {
  const [f] = await s.sql<{ id: number; version: number; indicator_id: number; union_id: number }>(
    `select f.id, f.version, f.indicator_id, f.union_id from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
      where u.code = ? and i.code = ? and f.year = ? and f.scenario = 'actual'`,
    [union, indicator, year],
  );
  return f;
}

describe('figure_pack follows every write', () => {
  it('starts equal to the seeded figures', async () => {
    const d = await drift();
    expect(d.groups).toBeGreaterThan(1000);
    expect(d.wrong).toEqual([]);
  });

  it('after concurrent API writes to shared groups, new cells, approval and a correction proposal', async () => {
    // Ten writers at once on cells of one group (P06-H02, actual, 2017), on a group that does not exist
    // yet (2019), and a value set and one cleared in another union's group.
    const codes = ['members', 'members.women', 'funding', 'officials.trained'];
    const cells = await withVersions([
      ...codes.map((indicatorCode, i) => ({ unionCode: 'P06-H02', indicatorCode, year: 2017, value: 1000 + i })),
      ...codes.map((indicatorCode, i) => ({ unionCode: 'P06-H02', indicatorCode, year: 2019, value: 2000 + i })),
      { unionCode: 'P06-H03', indicatorCode: 'members', year: 2017, value: 77 },
      { unionCode: 'P06-H03', indicatorCode: 'members.women', year: 2017, value: null },
    ]);
    const writes = cells.map((cell) => s.gql(SET, { cells: [cell] }));
    const answers = await Promise.all(writes);
    expect(answers.filter((a) => a.errors)).toHaveLength(0);
    const approved = await s.gql(`mutation { approveFigures(selection: { subtree: { root: "P06", year: 2016, scenario: ACTUAL, onlyPassing: false } }) { movedCount } }`, {}, { as: 'reviewer' });
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveFigures.movedCount).toBeGreaterThan(0);
    // A change to an approved cell is kept beside it as a proposal (the kept key's proposal bit).
    const approvedCell = (await figureOf('P06-H02', 'members', 2016))!;
    const proposal = await s.gql(
      'mutation ($cell: CellKey!, $v: Int!) { proposeFigure(cell: $cell, value: 4242, expectedVersion: $v, reason: "pack") { version } }',
      { cell: { unionCode: 'P06-H02', indicatorCode: 'members', year: 2016, scenario: 'ACTUAL' }, v: approvedCell.version },
      { as: 'reporter' },
    );
    expect(proposal.errors).toBeUndefined();
    expect((await s.sql('select proposed_value from figure where id = ?', [approvedCell.id]))[0]!.proposed_value).toBe(4242);
    expect((await drift()).wrong).toEqual([]);
  });

  it('after a batch of 400 cells in one request', async () => {
    const codes = ['members', 'members.women', 'members.admitted', 'funding'];
    const unions = (await s.sql<{ code: string }>("select code from trade_union where level = 2 and code like 'P01-%' and valid_from <= 2013 and (valid_to is null or valid_to >= 2017) order by code limit 20")).map((u) => u.code);
    expect(unions).toHaveLength(20);
    const cells = await withVersions(
      unions.flatMap((unionCode, h) => [2013, 2014, 2015, 2016, 2017].flatMap((year) => codes.map((indicatorCode) => ({ unionCode, indicatorCode, year, value: year + h })))),
    );
    expect(cells).toHaveLength(400);
    const r = await s.gql(SET, { cells });
    expect(r.errors).toBeUndefined();
    expect((await drift()).wrong).toEqual([]);
  });

  it('after SQL by hand: a value, a move to another year, a delete, an insert', async () => {
    const a = (await figureOf('P08-H02', 'members', 2015))!;
    await s.sql('update figure set value = 123456789.12345678 where id = ?', [a.id]);
    const b = (await figureOf('P08-H02', 'funding', 2015))!;
    await s.sql('update figure set year = 2030 where id = ?', [b.id]);
    const c = (await figureOf('P08-H02', 'members.women', 2015))!;
    await s.sql('delete from figure_revision where figure_id = ?', [c.id]);
    await s.sql('delete from figure where id = ?', [c.id]);
    await s.sql(
      `insert into figure (union_id, indicator_id, year, scenario, value, status, version, updated_by, updated_at) values (?, ?, 2031, 'target', 5, 'draft', 1, 'sql', ?)`,
      [c.union_id, c.indicator_id, databaseKind() === 'postgresql' ? new Date() : Date.now()],
    );
    // A group emptied by deletes leaves no row behind.
    const lone = await s.sql<{ id: number }>("select id from figure where union_id = ? and year = 2030 and scenario = 'actual'", [b.union_id]);
    expect(lone).toHaveLength(1);
    await s.sql('delete from figure where id = ?', [b.id]);
    expect(await s.sql("select 1 from figure_pack where union_id = ? and year = 2030 and scenario = 'actual'", [b.union_id])).toHaveLength(0);
    expect((await drift()).wrong).toEqual([]);
  });

  it.runIf(databaseKind() === 'postgresql')('two transactions on cells of one group: the second waits for the first and keeps both', async () => {
    const db = knexOf(s.orm);
    const x = (await figureOf('P08-H01', 'members', 2017))!;
    const y = (await figureOf('P08-H01', 'funding', 2017))!;
    const first = await db.transaction();
    const second = await db.transaction();
    await first('figure').where({ id: x.id }).update({ value: 11, version: x.version + 1 });
    const waiting = second('figure').where({ id: y.id }).update({ value: 22, version: y.version + 1 }).then(() => second.commit());
    for (let i = 0; ; i++) {
      const [w] = await s.sql<{ n: number }>("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()");
      if (Number(w!.n) >= 1) break;
      if (i > 200) throw new Error('the second transaction never waited for the group');
      await new Promise((r) => setTimeout(r, 25));
    }
    await first.commit();
    await waiting;
    expect((await drift()).wrong).toEqual([]);
  });
});
