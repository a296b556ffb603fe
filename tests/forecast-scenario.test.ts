/**
 * The FORECAST scenario (issue 16): the stored forecasts read as read-only cells by `figure`,
 * `figures` and `grid` — the values `forecasts` gives, a reviewer's override in force, stale once
 * an approved actual changes — only where the caller reads figures; every argument that would write
 * or count stored cells refuses FORECAST (VALIDATION, forecast.readOnly, in vi and en) with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '@unionhub/schema';
import { FORECAST_INDICATORS } from '../server/src/domain/plan-forecasts.js';
import { startTestServer, type As, type TestServer } from './harness.js';

let s: TestServer;
const OVERRIDE = 4400;

type Stored = { union: { code: string }; stale: boolean; method: string | null; values: { year: number; value: number }[] };
/** `forecasts` (storedForecasts) of one indicator for `root` and its children, by union code. */
async function stored(root: string, indicator: string): Promise<Map<string, Stored>> {
  const r = await s.gql(`query($r: String!, $i: String!) { forecasts(root: $r, indicator: $i) { union { code } stale method values { year value } } }`, { r: root, i: indicator });
  expect(r.errors).toBeUndefined();
  return new Map((r.data!.forecasts as Stored[]).map((f) => [f.union.code, f]));
}
const valueIn = (f: Stored | undefined, year: number) => f?.values.find((v) => v.year === year)?.value ?? null;

const FIGURES = `query($u: String!, $y: Int) { figures(unionCode: $u, year: $y, scenario: FORECAST) {
  unionCode indicatorCode year scenario value status version proposedValue approvedBy forecast { method stale } } }`;
type Cell = { unionCode: string; indicatorCode: string; year: number; scenario: string; value: number; status: null; version: number; forecast: { method: string | null; stale: boolean } };
const figures = (u: string, y: number | null, as: As = 'admin') => s.gql(FIGURES, { u, y }, { as });

const GRID = `query($r: String!, $s: [Scenario!]) { grid(root: $r, depth: 1, years: [2017, 2023], indicators: ["members", "workers", "members.admitted"], scenarios: $s) {
  columns { indicatorCode year scenario } rows { unionCode readable values statuses versions stale } } }`;
type Grid = { columns: { indicatorCode: string; year: number; scenario: string }[]; rows: { unionCode: string; readable: boolean; values: (number | null)[]; statuses: (string | null)[]; versions: number[]; stale: boolean[] }[] };
const grid = async (root: string, as: As = 'admin') => {
  const r = await s.gql(GRID, { r: root, s: ['ACTUAL', 'FORECAST'] }, { as });
  expect(r.errors).toBeUndefined();
  return r.data!.grid as Grid;
};
const col = (g: Grid, indicatorCode: string, year: number, scenario: string) => g.columns.findIndex((c) => c.indicatorCode === indicatorCode && c.year === year && c.scenario === scenario);

beforeAll(async () => {
  s = await startTestServer();
  // The seed's actuals arrive submitted; forecasts read approved ones: approve Bắc Kạn's actuals of the forecast series.
  await s.sql(`update figure set status = 'approved' where scenario = 'actual' and year <= 2017
    and indicator_id in (select id from indicator where code in (${FORECAST_INDICATORS.map(() => '?').join(', ')}))
    and union_id in (select id from trade_union where path like '/TLD/P06/%')`, [...FORECAST_INDICATORS]);
  expect((await s.gql('mutation { runForecasts(root: "P06") { forecasts } }')).errors).toBeUndefined();
  const o = await s.gql(`mutation { overrideForecast(unionCode: "P06", indicator: "members", year: 2023, value: ${OVERRIDE}, reason: "Khu công nghiệp mới") { state } }`, {}, { as: 'reviewer' });
  expect(o.data?.overrideForecast.state).toBe('IN_FORCE');
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('reading FORECAST', () => {
  it('figures gives every forecast indicator of the year with the values of `forecasts`, the override in force, read-only', async () => {
    const r = await figures('P06', 2023);
    expect(r.errors).toBeUndefined();
    const cells = new Map((r.data!.figures as Cell[]).map((c) => [c.indicatorCode, c]));
    // Every forecast indicator with a forecast (a series too short to forecast has none), as `forecasts` gives them.
    const forecast = new Map<string, Stored>();
    for (const i of FORECAST_INDICATORS) if (valueIn((await stored('P06', i)).get('P06'), 2023) !== null) forecast.set(i, (await stored('P06', i)).get('P06')!);
    expect(forecast.size).toBeGreaterThan(1);
    expect([...cells.keys()].sort()).toEqual([...forecast.keys()].sort());
    for (const c of cells.values()) {
      const f = forecast.get(c.indicatorCode);
      expect(c.value, c.indicatorCode).toBe(valueIn(f, 2023));
      expect(c).toMatchObject({ unionCode: 'P06', year: 2023, scenario: 'FORECAST', status: null, version: 0, proposedValue: null, approvedBy: null });
      expect(c.forecast).toEqual({ method: f!.method, stale: false });
    }
    expect(cells.get('members')!.value).toBe(OVERRIDE);
    // Every plan year without `year`; none outside the plan's years.
    expect(((await figures('P06', null)).data!.figures as Cell[]).filter((c) => c.indicatorCode === 'members').map((c) => c.year)).toEqual([2018, 2019, 2020, 2021, 2022, 2023]);
    expect((await figures('P06', 2017)).data!.figures).toEqual([]);
    // Without a scenario: the stored cells only, as before.
    const plain = (await s.gql('{ figures(unionCode: "P06", year: 2023) { scenario } }')).data!.figures as { scenario: string }[];
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((c) => c.scenario === 'TARGET')).toBe(true);
  });

  it('figure gives one forecast cell (no comments or history), null for an indicator that is not forecast', async () => {
    const q = `query($i: String!) { figure(unionCode: "P06", indicatorCode: $i, year: 2023, scenario: FORECAST) { value status version comments { text } revisions { version } forecast { stale explanationEn } } }`;
    const r = await s.gql(q, { i: 'members' }, { as: 'reviewer' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.figure).toMatchObject({ value: OVERRIDE, status: null, version: 0, comments: [], revisions: [], forecast: { stale: false } });
    expect(r.data!.figure.forecast.explanationEn.length).toBeGreaterThan(0);
    const other = await s.gql(q, { i: 'members.admitted' });
    expect(other.errors).toBeUndefined();
    expect(other.data!.figure).toBeNull();
  });

  it('the grid puts FORECAST columns beside ACTUAL: the stored values, statuses null, versions 0, null outside forecast indicators and years', async () => {
    const g = await grid('P06');
    const members = await stored('P06', 'members');
    const workers = await stored('P06', 'workers');
    expect(g.rows.length).toBe(members.size);
    for (const row of g.rows) {
      const [m23, w23] = [col(g, 'members', 2023, 'FORECAST'), col(g, 'workers', 2023, 'FORECAST')];
      expect(row.values[m23], row.unionCode).toBe(valueIn(members.get(row.unionCode), 2023));
      expect(row.values[w23], row.unionCode).toBe(valueIn(workers.get(row.unionCode), 2023));
      expect([row.statuses[m23], row.versions[m23], row.stale[m23]]).toEqual([null, 0, false]);
      expect(row.values[col(g, 'members', 2017, 'FORECAST')]).toBeNull();
      expect(row.values[col(g, 'members.admitted', 2023, 'FORECAST')]).toBeNull();
      expect(row.values[col(g, 'members', 2017, 'ACTUAL')]).not.toBeNull();
    }
    expect(g.rows.find((r) => r.unionCode === 'P06')!.values[col(g, 'members', 2023, 'FORECAST')]).toBe(OVERRIDE);
  });

  it('only where the caller reads figures: refused elsewhere, empty on the grid’s way down; a viewer reads them', async () => {
    const refused = await figures('P01', 2023, 'reporter');
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', key: 'plan.readForbidden' });
    const single = await s.gql('{ figure(unionCode: "P01", indicatorCode: "members", year: 2023, scenario: FORECAST) { value } }', {}, { as: 'reporter' });
    expect(single.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const g = await grid('TLD', 'reporter');
    const tld = g.rows.find((r) => r.unionCode === 'TLD')!;
    expect(tld.readable).toBe(false);
    expect(tld.values.every((v) => v === null)).toBe(true);
    expect(g.rows.find((r) => r.unionCode === 'P06')!.values[col(g, 'members', 2023, 'FORECAST')]).toBe(valueIn((await stored('P06', 'members')).get('P06'), 2023));
    const viewer = await figures('P06', 2023, 'viewer');
    expect(viewer.errors).toBeUndefined();
    expect((viewer.data!.figures as Cell[]).find((c) => c.indicatorCode === 'members')!.value).toBe(OVERRIDE);
  });
});

describe('FORECAST anywhere else', () => {
  const CELL = { unionCode: 'P06', indicatorCode: 'members', year: 2023, scenario: 'FORECAST' };
  /** Each argument that names stored cells, given FORECAST. */
  const ATTEMPTS: [string, string, Record<string, unknown>][] = [
    ['setFigures', 'mutation($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }', { c: [{ ...CELL, scenario: 'TARGET', value: 1, expectedVersion: 0 }, { ...CELL, value: 1, expectedVersion: 0 }] }],
    ['submitFigures cells', 'mutation($c: [CellKey!]!) { submitFigures(selection: { cells: $c }) { movedCount } }', { c: [CELL] }],
    ['approveFigures unitYear', 'mutation { approveFigures(selection: { unitYear: { unionCode: "P06", year: 2023, scenario: FORECAST } }) { movedCount } }', {}],
    ['approveFigures subtree', 'mutation { approveFigures(selection: { subtree: { root: "P06", year: 2023, scenario: FORECAST } }) { movedCount } }', {}],
    ['reopenFigures cells', 'mutation($c: [CellKey!]!) { reopenFigures(selection: { cells: $c }, reason: "x") { movedCount } }', { c: [CELL] }],
    ['proposeFigure', 'mutation($c: CellKey!) { proposeFigure(cell: $c, value: 1, expectedVersion: 0) { version } }', { c: CELL }],
    ['commentFigure', 'mutation($c: CellKey!) { commentFigure(cell: $c, text: "Dự báo cao quá") { version } }', { c: CELL }],
    ['discrepancies', '{ discrepancies(root: "P06", scenario: FORECAST) { id } }', {}],
    ['approvalProgress', '{ approvalProgress(root: "P06", years: [2023], scenario: FORECAST) { year } }', {}],
    ['approvedFigures', '{ approvedFigures(filter: { root: "P06", scenario: FORECAST }) { totalCount } }', {}],
    ['createReportingRound', `mutation { createReportingRound(input: { name: "Đợt dự báo", periodFrom: 2018, periodTo: 2023, year: 2017, deadline: "2017-12-10", levels: [1], scenarios: [ACTUAL, FORECAST] }) { id } }`, {}],
  ];
  const COUNTED = ['figure', 'figure_revision', 'comment', 'reporting_round', 'forecast', 'forecast_override'];
  const counts = async () => Object.fromEntries(await Promise.all(COUNTED.map(async (t) => [t, Number((await s.sql(`select count(*) as n from ${t}`))[0]!.n)])));

  it('is refused (VALIDATION, forecast.readOnly naming the argument) before anything is written', async () => {
    const before = await counts();
    for (const [name, query, vars] of ATTEMPTS) {
      const r = await s.gql(query, vars);
      expect(r.errors?.length, name).toBeGreaterThan(0);
      expect(r.errors!.map((e) => [e.extensions.code, e.extensions.key]), name).toEqual(r.errors!.map(() => ['VALIDATION', 'forecast.readOnly']));
      expect(r.errors![0]!.extensions.params.field, name).toMatch(/scenario/);
    }
    // A batch names the bad cell by its place, as any refused write does.
    const batch = await s.gql(ATTEMPTS[0]![1], ATTEMPTS[0]![2]);
    expect(batch.errors!.map((e) => [e.extensions.index, e.extensions.params.field])).toEqual([[1, 'cells.1.scenario']]);
    const file = await fetch(`${s.url}/exports/figures.csv?root=P06&scenario=forecast`, { headers: s.auth('admin') });
    expect(file.status).toBe(400);
    expect((await file.json()).errors[0].extensions).toMatchObject({ code: 'VALIDATION', key: 'forecast.readOnly' });
    expect(await counts()).toEqual(before);
  });

  it('is said in both languages', () => {
    for (const lang of ['vi', 'en'] as const) {
      const text = renderMessage('forecast.readOnly', { field: 'cells.0.scenario' }, lang);
      expect(text).toContain('cells.0.scenario');
      expect(text).toContain(lang === 'vi' ? 'chỉ để xem' : 'read-only');
    }
  });
});

describe('staleness', () => {
  it('shows on the forecast cells once an approved actual they were computed from changes, and the override lapses', async () => {
    const reopened = await s.gql(`mutation { reopenFigures(selection: { cells: [{ unionCode: "P06", indicatorCode: "members", year: 2016, scenario: ACTUAL }] }, reason: "sửa số") { movedCount } }`);
    expect(reopened.errors).toBeUndefined();
    expect(reopened.data?.reopenFigures.movedCount).toBe(1);
    const members = (await stored('P06', 'members')).get('P06')!;
    expect(members.stale).toBe(true);
    const cell = ((await figures('P06', 2023)).data!.figures as Cell[]).find((c) => c.indicatorCode === 'members')!;
    expect(cell.forecast.stale).toBe(true);
    // The override was made against the old actuals: the computed value is in force again, as `forecasts` says.
    expect(cell.value).toBe(valueIn(members, 2023));
    expect(cell.value).not.toBe(OVERRIDE);
    const g = await grid('P06');
    const at = col(g, 'members', 2023, 'FORECAST');
    expect(g.rows.filter((r) => r.stale[at]).map((r) => r.unionCode)).toEqual(['P06']);
    // Another series of the same union is untouched.
    expect(g.rows.find((r) => r.unionCode === 'P06')!.stale[col(g, 'workers', 2023, 'FORECAST')]).toBe(false);
  });
});
