/**
 * The reads that pack each union's cells into one string in SQL (grid, export, report, the full
 * re-check) give back every stored value exactly: a REAL turned into text by SQLite keeps 15
 * significant digits, and a value in million VND needs up to 17 to come back as the same double.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { assembleReport } from '../server/src/domain/report.js';
import { reconcileAll } from '../server/src/domain/reconcile.js';
import { UNITS } from '@unionhub/schema';
import { packedCellsByUnion } from '../server/src/domain/packed.js';
import { isoTime } from '../server/src/domain/db.js';

/** 17 significant digits, within funding's bounds (million VND, at most 1e9 per unit). */
const EXACT = 123456789.12345678;
/** A fractional value in `members` (whole persons): out of the catalogue's bounds, as only a damaged or hand-edited row would be. */
const PLANTED = 12345678.123456789;

let s: TestServer;

async function plant(unionCode: string, indicatorCode: string, value: number | null) {
  const [u] = await s.sql<{ id: number }>('select id from trade_union where code = ?', [unionCode]);
  const [i] = await s.sql<{ id: number }>('select id from indicator where code = ?', [indicatorCode]);
  const n = await s.sql('select id from figure where union_id = ? and indicator_id = ? and year = 2016 and scenario = ?', [u!.id, i!.id, 'actual']);
  expect(n).toHaveLength(1);
  await s.sql('update figure set value = ? where union_id = ? and indicator_id = ? and year = 2016 and scenario = ?', [value, u!.id, i!.id, 'actual']);
}

beforeAll(async () => {
  s = await startTestServer();
  await plant('P06-H02', 'funding', EXACT);
  await plant('P06', 'funding', EXACT);
  await plant('P06-H02', 'members', PLANTED);
  await plant('P06-H03', 'funding', null); // a cleared cell
  const moved = await s.gql(`mutation { approveFigures(selection: { subtree: { root: "P06", year: 2016, scenario: ACTUAL, onlyPassing: false } }) { movedCount } }`, {}, { as: 'reviewer' });
  expect(moved.errors).toBeUndefined();
});
afterAll(() => s.close());

describe('packed per-union reads keep every digit', () => {
  it('the value fits the catalogue and needs 17 significant digits', () => {
    expect(EXACT).toBeLessThanOrEqual(UNITS.million_vnd.max);
    expect(Number(EXACT.toPrecision(15))).not.toBe(EXACT);
    expect(Number(EXACT.toPrecision(16))).not.toBe(EXACT);
    expect(Number(EXACT.toPrecision(17))).toBe(EXACT);
  });

  it('grid (and a cleared cell stays empty, not 0)', async () => {
    const r = await s.gql(`{ grid(root: "P06", depth: 1, years: [2016], indicators: ["funding"], scenario: ACTUAL) { rows { unionCode values } } }`);
    expect(r.errors).toBeUndefined();
    const rows: { unionCode: string; values: (number | null)[] }[] = r.data!.grid.rows;
    expect(rows.filter((x) => ['P06', 'P06-H02', 'P06-H03'].includes(x.unionCode))).toEqual([
      { unionCode: 'P06', values: [EXACT] },
      { unionCode: 'P06-H02', values: [EXACT] },
      { unionCode: 'P06-H03', values: [null] },
    ]);
  });

  it('export of approved figures', async () => {
    const r = await s.gql(`{ approvedFigures(filter: { root: "P06-H02", years: [2016], indicators: ["funding"] }) { figures { unitCode scenario value } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.approvedFigures.figures.filter((f: any) => f.unitCode === 'P06-H02' && f.scenario === 'ACTUAL')).toEqual([
      { unitCode: 'P06-H02', scenario: 'ACTUAL', value: EXACT },
    ]);
  });

  it('report (the figures it used)', async () => {
    // The report reads whole-number indicators only, so a value within the catalogue cannot show a lost digit there.
    const report = await assembleReport(knexOf(s.orm), 'P06', SYSTEM_ACCESS);
    expect(report.figures.filter((f) => f[0] === 'P06-H02' && f[1] === 'members' && f[2] === 2016 && f[3] === 'actual')).toEqual([
      ['P06-H02', 'members', 2016, 'actual', PLANTED],
    ]);
  });

  it('full re-check (the discrepancy keeps the value it compared)', async () => {
    await reconcileAll(knexOf(s.orm), 'tests');
    const rows = await s.sql<{ left_value: number }>(
      `select d.left_value from discrepancy d join trade_union u on u.id = d.union_id
       where u.code = 'P06' and d.rule_id = 'hierarchy.sum' and d.indicator_code = 'funding' and d.year = 2016 and d.scenario = 'actual'`,
    );
    expect(rows.map((r) => Number(r.left_value))).toEqual([EXACT]);
  });

  it('every field of every cell as stored: key fields (indicator, year, scenario, status, proposal) and the rest', async () => {
    // Mixed cells in one union: a pending correction, a draft, a negative and a fractional value, targets.
    const [u] = await s.sql<{ id: number }>("select id from trade_union where code = 'P06-H04'");
    const ids = await s.sql<{ id: number }>('select id from figure where union_id = ? order by id', [u!.id]);
    expect(ids.length).toBeGreaterThan(100);
    await s.sql("update figure set proposed_value = 1, proposed_by = 'x', status = 'approved', approved_by = 'r', approved_at = ? where id = ?", [new Date(1480000000000), ids[3]!.id]);
    await s.sql("update figure set status = 'draft', value = -7 where id = ?", [ids[5]!.id]);
    await s.sql("update figure set value = 0.1 where id = ?", [ids[7]!.id]);
    await s.sql("update figure set version = 1234567 where id = ?", [ids[9]!.id]);
    const db = knexOf(s.orm);
    const packed = await packedCellsByUnion(db, db('figure as f').where('f.union_id', u!.id), {
      fields: ['indicatorId', 'year', 'scenario', 'value', 'status', 'version', 'proposed', 'approvedAt', 'approvedBy'],
    });
    const read: unknown[] = [];
    packed.get(u!.id)!.each((c) => read.push({ ...c, approvedAt: c.approvedAt === null ? null : isoTime(c.approvedAt) }));
    const stored = await s.sql('select indicator_id, year, scenario, value, status, version, proposed_value, approved_at, approved_by from figure where union_id = ?', [u!.id]);
    const asStored = stored.map((r) => ({
      indicatorId: Number(r.indicator_id), year: Number(r.year), scenario: r.scenario, value: r.value === null ? null : Number(r.value),
      status: r.status, version: Number(r.version), proposed: r.proposed_value !== null,
      approvedAt: r.approved_at === null ? null : isoTime(r.approved_at), approvedBy: r.approved_by,
    }));
    const order = (x: any) => `${x.indicatorId}|${x.year}|${x.scenario}`;
    const sorted = (xs: any[]) => [...xs].sort((a, b) => order(a).localeCompare(order(b)));
    expect(new Set(asStored.map((c) => c.scenario))).toEqual(new Set(['actual', 'target']));
    expect(new Set(asStored.map((c) => c.status))).toEqual(new Set(['draft', 'submitted', 'approved']));
    expect(asStored.filter((c) => c.proposed)).toHaveLength(1);
    expect(sorted(read)).toEqual(sorted(asStored));
  });
});
