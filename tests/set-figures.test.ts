import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const SET = `mutation ($cells: [CellWrite!]!, $reason: String) {
  setFigures(cells: $cells, reason: $reason) { figures { unionCode indicatorCode year scenario value status version updatedBy } }
}`;
const FIGURE = `query ($u: String!, $i: String!, $y: Int!, $s: Scenario!) {
  figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: $s) { value status version updatedBy revisions { change beforeValue afterValue beforeStatus afterStatus version actor reason } }
}`;

async function cell(unionCode: string, indicatorCode: string, year: number, scenario = 'ACTUAL') {
  const r = await s.gql(FIGURE, { u: unionCode, i: indicatorCode, y: year, s: scenario });
  expect(r.errors).toBeUndefined();
  return r.data!.figure;
}

async function counts() {
  const [f] = await s.sql<{ n: number; v: number }>('select count(*) as n, sum(version) as v from figure');
  const [r] = await s.sql<{ n: number }>('select count(*) as n from figure_revision');
  return { figures: f!.n, versions: f!.v, revisions: r!.n };
}

describe('setFigures', () => {
  it('writes a batch, bumps versions and leaves one revision per cell with actor and reason', async () => {
    const a = await cell('P06-H01', 'members', 2016);
    const b = await cell('P06-H01', 'officials.trained', 2016);
    const before = await counts();
    const r = await s.gql(
      SET,
      {
        reason: 'Sửa theo báo cáo bổ sung',
        cells: [
          { unionCode: 'P06-H01', indicatorCode: 'members', year: 2016, scenario: 'ACTUAL', value: a.value + 10, expectedVersion: a.version },
          { unionCode: 'P06-H01', indicatorCode: 'officials.trained', year: 2016, scenario: 'ACTUAL', value: 321, expectedVersion: b.version },
        ],
      },
      { as: 'reporter' },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.setFigures.figures).toEqual([
      { unionCode: 'P06-H01', indicatorCode: 'members', year: 2016, scenario: 'ACTUAL', value: a.value + 10, status: 'DRAFT', version: a.version + 1, updatedBy: 'reporter.backan' },
      { unionCode: 'P06-H01', indicatorCode: 'officials.trained', year: 2016, scenario: 'ACTUAL', value: 321, status: 'DRAFT', version: b.version + 1, updatedBy: 'reporter.backan' },
    ]);
    const after = await counts();
    expect(after.revisions - before.revisions).toBe(2);
    expect(after.versions - before.versions).toBe(2);
    const again = await cell('P06-H01', 'members', 2016);
    expect(again.revisions).toEqual([
      { change: 'value', beforeValue: a.value, afterValue: a.value + 10, beforeStatus: 'SUBMITTED', afterStatus: 'DRAFT', version: a.version + 1, actor: 'reporter.backan', reason: 'Sửa theo báo cáo bổ sung' },
    ]);
  });

  it('creates a missing cell with expectedVersion 0 and clears one with null', async () => {
    // 2018 actuals are not seeded.
    const r = await s.gql(SET, { cells: [{ unionCode: 'P06-H02', indicatorCode: 'members', year: 2018, scenario: 'ACTUAL', value: 4321, expectedVersion: 0 }] });
    expect(r.errors).toBeUndefined();
    expect(r.data!.setFigures.figures[0]).toMatchObject({ value: 4321, version: 1, status: 'DRAFT' });
    const c = await s.gql(SET, { cells: [{ unionCode: 'P06-H02', indicatorCode: 'members', year: 2018, scenario: 'ACTUAL', value: null, expectedVersion: 1 }] });
    expect(c.errors).toBeUndefined();
    const f = await cell('P06-H02', 'members', 2018);
    expect(f.value).toBeNull();
    expect(f.revisions.map((x: any) => [x.beforeValue, x.afterValue])).toEqual([[null, 4321], [4321, null]]);
  });

  it('refuses a batch with bad cells as a whole, one coded error per bad cell, and writes nothing', async () => {
    const good = await cell('P06-H03', 'members', 2015);
    const before = await counts();
    const cells = [
      { unionCode: 'P06-H03', indicatorCode: 'members', year: 2015, scenario: 'ACTUAL', value: 999, expectedVersion: good.version }, // fine
      { unionCode: 'NOPE', indicatorCode: 'members', year: 2015, scenario: 'ACTUAL', value: 1, expectedVersion: 1 },
      { unionCode: 'P06-H03', indicatorCode: 'members.nope', year: 2015, scenario: 'ACTUAL', value: 1, expectedVersion: 1 },
      { unionCode: 'P06-H03', indicatorCode: 'members', year: 2030, scenario: 'ACTUAL', value: 1, expectedVersion: 0 },
      { unionCode: 'P06-H03', indicatorCode: 'members.admitted', year: 2015, scenario: 'ACTUAL', value: -5, expectedVersion: 1 },
      { unionCode: 'P06-H03', indicatorCode: 'members.left', year: 2015, scenario: 'ACTUAL', value: 12.5, expectedVersion: 1 },
      { unionCode: 'P06-H03', indicatorCode: 'coverage', year: 2015, scenario: 'ACTUAL', value: 80, expectedVersion: 0 },
      { unionCode: 'P06-H03', indicatorCode: 'funding', year: 2015, scenario: 'TARGET', value: 10, expectedVersion: 0 },
      { unionCode: 'P06-H03', indicatorCode: 'workers', year: 2015, scenario: 'ACTUAL', value: 10, expectedVersion: 99 },
      { unionCode: 'P01-H31', indicatorCode: 'members', year: 2014, scenario: 'ACTUAL', value: 10, expectedVersion: 0 },
    ];
    const r = await s.gql(SET, { cells });
    expect(r.data?.setFigures ?? null).toBeNull();
    const byIndex = r.errors!.map((e) => [e.extensions.index, e.extensions.code]);
    expect(byIndex).toEqual([
      [1, 'NOT_FOUND'],
      [2, 'NOT_FOUND'],
      [3, 'VALIDATION'],
      [4, 'VALIDATION'],
      [5, 'VALIDATION'],
      [6, 'VALIDATION'],
      [7, 'VALIDATION'],
      [8, 'CONFLICT'],
      [9, 'VALIDATION'],
    ]);
    // Each error names its cell.
    expect(r.errors![0]!.extensions).toMatchObject({ unionCode: 'NOPE', indicatorCode: 'members', year: 2015, scenario: 'actual' });
    expect(r.errors![0]!.message).toMatch(/Cell 2 .*NOPE/);
    expect(r.errors![7]!.extensions).toMatchObject({ currentVersion: expect.any(Number), currentValue: expect.any(Number) });
    expect(await counts()).toEqual(before);
    expect((await cell('P06-H03', 'members', 2015)).value).toBe(good.value);
  });

  it('answers a stale version with CONFLICT and keeps the newer value', async () => {
    const c = await cell('P06-H04', 'members', 2017);
    const first = await s.gql(SET, { cells: [{ unionCode: 'P06-H04', indicatorCode: 'members', year: 2017, scenario: 'ACTUAL', value: c.value + 1, expectedVersion: c.version }] });
    expect(first.errors).toBeUndefined();
    const stale = await s.gql(SET, { cells: [{ unionCode: 'P06-H04', indicatorCode: 'members', year: 2017, scenario: 'ACTUAL', value: 5, expectedVersion: c.version }] });
    expect(stale.errors).toHaveLength(1);
    expect(stale.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', currentValue: c.value + 1, currentVersion: c.version + 1, index: 0 });
    expect((await cell('P06-H04', 'members', 2017)).value).toBe(c.value + 1);
  });

  it('lets only one of two concurrent writers of the same version through', async () => {
    const c = await cell('P06-H05', 'members', 2017);
    const write = (value: number) =>
      s.gql(SET, { cells: [{ unionCode: 'P06-H05', indicatorCode: 'members', year: 2017, scenario: 'ACTUAL', value, expectedVersion: c.version }] });
    const results = await Promise.all([write(111), write(222), write(333)]);
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions.code === 'CONFLICT')).toHaveLength(2);
    const now = await cell('P06-H05', 'members', 2017);
    expect(now.version).toBe(c.version + 1);
    expect(now.revisions).toHaveLength(1);
    expect(now.value).toBe(ok[0]!.data!.setFigures.figures[0].value);
  });

  it('refuses a plain write to an approved cell with LOCKED', async () => {
    // Targets are seeded approved.
    const t = await cell('P06-H01', 'members', 2019, 'TARGET');
    expect(t.status).toBe('APPROVED');
    const r = await s.gql(SET, { cells: [{ unionCode: 'P06-H01', indicatorCode: 'members', year: 2019, scenario: 'TARGET', value: 1, expectedVersion: t.version }] });
    expect(r.errors![0]!.extensions.code).toBe('LOCKED');
    expect((await cell('P06-H01', 'members', 2019, 'TARGET')).value).toBe(t.value);
  });

  it('announces written cells to subscribers over SSE, filtered by subtree', async () => {
    const sub = await s.subscribe('subscription { figuresChanged(root: "P06") { actor figures { unionCode indicatorCode value } } }');
    // Outside the subtree: not announced to this subscriber.
    const other = await cell('P01-H01', 'officials.trained', 2016);
    await s.gql(SET, { cells: [{ unionCode: 'P01-H01', indicatorCode: 'officials.trained', year: 2016, scenario: 'ACTUAL', value: other.value + 1, expectedVersion: other.version }] });
    const mine = await cell('P06-H06', 'officials.trained', 2016);
    await s.gql(SET, { cells: [{ unionCode: 'P06-H06', indicatorCode: 'officials.trained', year: 2016, scenario: 'ACTUAL', value: 77, expectedVersion: mine.version }] }, { as: 'reporter' });
    const event = await sub.next();
    sub.close();
    expect(event.data.figuresChanged).toEqual({ actor: 'reporter.backan', figures: [{ unionCode: 'P06-H06', indicatorCode: 'officials.trained', value: 77 }] });
  });
});
