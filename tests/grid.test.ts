import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALIBRATION } from '@unionhub/seeds';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const GRID = `query ($root: String!, $depth: Int!, $years: [Int!]!, $indicators: [String!], $scenario: Scenario!) {
  grid(root: $root, depth: $depth, years: $years, indicators: $indicators, scenario: $scenario) {
    columns { indicatorCode year }
    rows { unionCode name level parentCode hasChildren values statuses versions }
  }
}`;

describe('grid read', () => {
  it("answers the provinces' 2014 members, summing to the national figure", async () => {
    const r = await s.gql(GRID, { root: 'TLD', depth: 1, years: [2014], indicators: ['members'], scenario: 'ACTUAL' });
    expect(r.errors).toBeUndefined();
    const rows = r.data!.grid.rows;
    expect(rows[0]).toMatchObject({ unionCode: 'TLD', level: 0, values: [CALIBRATION.members], statuses: ['SUBMITTED'], versions: [1] });
    const level1 = rows.slice(1);
    expect(level1).toHaveLength(87);
    expect(level1.every((x: any) => x.parentCode === 'TLD' && x.hasChildren)).toBe(true);
    expect(level1.reduce((a: number, x: any) => a + x.values[0], 0)).toBe(CALIBRATION.members);
    expect(level1.find((x: any) => x.unionCode === 'P06').name).toBe('LĐLĐ tỉnh Bắc Kạn');
  });

  it('returns the same cells as raw SQL for a subtree × years, every indicator', async () => {
    const r = await s.gql(GRID, { root: 'P01', depth: 1, years: [2015, 2016], scenario: 'ACTUAL' });
    expect(r.errors).toBeUndefined();
    const { columns, rows } = r.data!.grid;
    expect(columns).toHaveLength(45 * 2);
    const raw = await s.sql<{ code: string; ind: string; year: number; value: number; version: number }>(
      `select u.code, i.code as ind, f.year, f.value, f.version from figure f join trade_union u on u.id = f.union_id
       join indicator i on i.id = f.indicator_id where (u.code = 'P01' or u.parent_id = (select id from trade_union where code = 'P01'))
       and f.year in (2015, 2016) and f.scenario = 'actual'`,
    );
    let compared = 0;
    for (const f of raw) {
      const row = rows.find((x: any) => x.unionCode === f.code);
      expect(row, f.code).toBeDefined();
      const c = columns.findIndex((col: any) => col.indicatorCode === f.ind && col.year === f.year);
      expect(row.values[c]).toBe(f.value);
      expect(row.versions[c]).toBe(f.version);
      compared++;
    }
    expect(compared).toBeGreaterThan(2000);
    // The split district exists only from 2016: its 2015 cells are empty, 2016 ones are not.
    const split = rows.find((x: any) => x.unionCode === 'P01-H31');
    const col2015 = columns.findIndex((c: any) => c.indicatorCode === 'members' && c.year === 2015);
    const col2016 = columns.findIndex((c: any) => c.indicatorCode === 'members' && c.year === 2016);
    expect(split.values[col2015]).toBeNull();
    expect(split.values[col2016]).toBeGreaterThan(0);
  });

  it('says in which asked years each union exists and has children, as the unions table has them', async () => {
    const years = [2013, 2014, 2015, 2016, 2017];
    const r = await s.gql<{ grid: { rows: { unionCode: string; hasChildren: boolean; validYears: number[]; childYears: number[] }[] } }>(
      'query ($y: [Int!]!) { grid(root: "TLD", depth: 2, years: $y, scenario: ACTUAL, indicators: []) { rows { unionCode hasChildren validYears childYears } } }',
      { y: years },
    );
    expect(r.errors).toBeUndefined();
    const unions = await s.sql<{ id: number; code: string; parent_id: number | null; valid_from: number; valid_to: number | null }>('select id, code, parent_id, valid_from, valid_to from trade_union where level <= 3');
    const exists = (u: (typeof unions)[number], y: number) => u.valid_from <= y && (u.valid_to === null || u.valid_to >= y);
    const byCode = new Map(unions.map((u) => [u.code, u]));
    const rows = r.data!.grid.rows;
    for (const row of rows) {
      const u = byCode.get(row.unionCode)!;
      expect(row.validYears, row.unionCode).toEqual(years.filter((y) => exists(u, y)));
      expect(row.childYears, row.unionCode).toEqual(years.filter((y) => unions.some((c) => c.parent_id === u.id && exists(c, y))));
      expect(row.hasChildren).toBe(row.childYears.length > 0);
    }
    // The seed's split districts exist for part of the years.
    expect(rows.filter((x) => x.validYears.length > 0 && x.validYears.length < years.length).length).toBeGreaterThan(0);
  });

  it('recomputes coverage from its parts instead of summing it', async () => {
    const r = await s.gql(GRID, { root: 'TLD', depth: 1, years: [2016], indicators: ['coverage', 'enterprises.unionised'], scenario: 'ACTUAL' });
    const tld = r.data!.grid.rows[0];
    const [[elig]] = [await s.sql<{ v: number }>(`select value as v from figure f join indicator i on i.id = f.indicator_id join trade_union u on u.id = f.union_id where u.code = 'TLD' and i.code = 'enterprises.eligible' and f.year = 2016 and f.scenario = 'actual'`)];
    expect(tld.values[0]).toBeCloseTo((tld.values[1] / elig!.v) * 100, 2);
    expect(tld.statuses[0]).toBeNull();
    expect(tld.versions[0]).toBe(0);
  });

  it('reads targets for the plan period', async () => {
    const r = await s.gql(GRID, { root: 'TLD', depth: 0, years: [2018, 2023], indicators: ['members'], scenario: 'TARGET' });
    const [v2018, v2023] = r.data!.grid.rows[0].values;
    expect(v2018).toBeGreaterThan(9_500_000);
    expect(v2018).toBeLessThan(10_500_000);
    expect(v2023).toBeGreaterThan(v2018);
  });

  it('refuses an unknown root or indicator', async () => {
    const a = await s.gql(GRID, { root: 'NOPE', depth: 1, years: [2014], scenario: 'ACTUAL' });
    expect(a.errors![0]!.extensions.code).toBe('NOT_FOUND');
    const b = await s.gql(GRID, { root: 'TLD', depth: 1, years: [2014], indicators: ['members.nope'], scenario: 'ACTUAL' });
    expect(b.errors![0]!.extensions.code).toBe('NOT_FOUND');
  });
});
