/**
 * Issue 13, the server parts of the rebuilt sheet: a mixed range submitted or approved moves what can
 * move and says why the rest did not (codes and parameters, not English text); the grid marks pending
 * proposals, says per row what the caller may read and leaves out what it cannot read at all, and
 * answers the expanded rows of both scenarios in one request within the cost estimate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { startTestServer, type As, type TestServer } from './harness.js';
import { ApproveCellsMutation, SheetGridQuery, SubmitCellsMutation } from '../schema/src/documents/index.js';
import { unpackProposals, unpackStatuses, unpackValues, unpackVersions } from '../schema/src/grid-cells.js';

let s: TestServer;
/** The same server with MAX_COMPLEXITY 1: every query is refused with its estimate in the message. */
let estimator: TestServer;
beforeAll(async () => {
  [s, estimator] = await Promise.all([startTestServer(), startTestServer({ limits: { MAX_COMPLEXITY: 1 } })]);
});
afterAll(() => Promise.all([s?.close(), estimator?.close()]));

const GRID = print(SheetGridQuery);
const SUBMIT = print(SubmitCellsMutation);
const APPROVE = print(ApproveCellsMutation);

type Key = { unionCode: string; indicatorCode: string; year: number; scenario: 'ACTUAL' | 'TARGET' };
const key = (unionCode: string, indicatorCode: string, year = 2016): Key => ({ unionCode, indicatorCode, year, scenario: 'ACTUAL' });

async function version(k: Key): Promise<{ value: number | null; version: number; status: string }> {
  const r = await s.gql(`query ($u: String!, $i: String!, $y: Int!, $s: Scenario!) { figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: $s) { value version status } }`, { u: k.unionCode, i: k.indicatorCode, y: k.year, s: k.scenario });
  expect(r.errors).toBeUndefined();
  return r.data!.figure ?? { value: null, version: 0, status: 'DRAFT' };
}

/** The reporter writes `value` into each cell (a draft). */
async function draft(cells: Key[], value = 123) {
  const writes = [];
  for (const c of cells) writes.push({ ...c, value, expectedVersion: (await version(c)).version });
  const r = await s.gql(`mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { status } } }`, { c: writes }, { as: 'reporter' });
  expect(r.errors).toBeUndefined();
}

async function strictMove(mutation: 'submitFigures' | 'approveFigures', cells: Key[], as: As) {
  const r = await s.gql(`mutation ($c: [CellKey!]!) { ${mutation}(selection: { cells: $c }) { movedCount } }`, { c: cells }, { as });
  expect(r.errors).toBeUndefined();
}

/** The sheet's read (its rows in one value, `table`, each row's cells packed: GridCells), as `rows` with each row unpacked to the four lists. */
const grid = async (vars: Record<string, unknown>, as: As = 'admin') => {
  const r = await s.gql(GRID, { depth: 1, years: [2016], scenarios: ['ACTUAL'], ...vars }, { as });
  if (r.data) r.data.grid.rows = r.data.grid.table;
  for (const row of r.data?.grid.rows ?? []) {
    Object.assign(row, { values: unpackValues(row.cells), versions: unpackVersions(row.cells), statuses: unpackStatuses(row.cells).map((x) => x?.toUpperCase() ?? null), proposals: unpackProposals(row.cells) });
  }
  return r;
};
/** The same read as GraphQL objects with the four lists, as the departments read it. */
const LISTS = GRID.replace(/\btable\b/, 'rows { unionCode name level parentCode hasChildren validYears childYears readable approvedOnly values statuses versions proposals }');
const listed = (vars: Record<string, unknown>, as: As = 'admin') => s.gql(LISTS, { depth: 1, years: [2016], scenarios: ['ACTUAL'], ...vars }, { as });

describe('the sheet reads its rows as one value (GridTable)', () => {
  it('holds the same rows as `rows`, for an admin, a provincial reporter and a viewer', async () => {
    expect(LISTS).not.toBe(GRID);
    const vars = { root: 'TLD', years: [2015, 2016], indicators: ['members', 'grassroots'], expanded: ['P06', 'P01'], scenarios: ['ACTUAL', 'TARGET'] };
    for (const as of ['admin', 'reporter', 'viewer'] as const) {
      const [packed, lists] = [await grid(vars, as), await listed(vars, as)];
      expect(packed.errors ?? lists.errors).toBeUndefined();
      // The packed cells left out: the helper put them back as the four lists, which `rows` has.
      const table = packed.data!.grid.rows.map((r: any) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'cells')));
      expect(table.length).toBeGreaterThan(as === 'reporter' ? 2 : 80);
      expect(table).toEqual(lists.data!.grid.rows);
    }
  });
});

describe('a mixed range moves what can move (item 8)', () => {
  it('submits the drafts of a list, skipping an approved cell and one outside the reporter’s grant, each with a code', async () => {
    const [a, b, approved] = [key('P06-H01', 'members'), key('P06-H01', 'members.admitted'), key('P06-H02', 'members')];
    const outside = key('P01-H01', 'members');
    await draft([a, b, approved]);
    await strictMove('submitFigures', [approved], 'reporter');
    await strictMove('approveFigures', [approved], 'reviewer');

    const r = await s.gql(SUBMIT, { cells: [a, approved, outside, b], lenient: true }, { as: 'reporter' });
    expect(r.errors).toBeUndefined();
    const out = r.data!.submitFigures;
    expect(out.movedCount).toBe(2);
    expect(out.moved.map((m: any) => `${m.unionCode} ${m.indicatorCode} ${m.status}`).sort()).toEqual(['P06-H01 members SUBMITTED', 'P06-H01 members.admitted SUBMITTED']);
    expect(out.skippedCount).toBe(2);
    expect(out.skipped.map((x: any) => `${x.unionCode} ${x.code}`).sort()).toEqual(['P01-H01 NOT_ALLOWED', 'P06-H02 ALREADY_APPROVED']);
    const codes = Object.fromEntries(out.reasons.map((x: any) => [x.code, x]));
    expect(codes.ALREADY_APPROVED).toMatchObject({ count: 1, params: { status: 'APPROVED', withProposal: false } });
    expect(codes.NOT_ALLOWED).toMatchObject({ count: 1, params: { status: null } });
    // The outside cell's status is not the reporter's to read: its reason says nothing of it.
    expect((await version(a)).status).toBe('SUBMITTED');
    expect((await version(approved)).status).toBe('APPROVED');
  });

  it('keeps all-or-nothing as the default: the same mixed list without `lenient` moves nothing, each refusal coded', async () => {
    const [a, approved] = [key('P06-H03', 'members'), key('P06-H02', 'members')];
    await draft([a]);
    const r = await s.gql(SUBMIT, { cells: [a, approved], lenient: false }, { as: 'reporter' });
    expect(r.errors!.map((e) => [e.extensions.code, e.extensions.reason])).toEqual([['FORBIDDEN_TRANSITION', 'ALREADY_APPROVED']]);
    expect((await version(a)).status).toBe('DRAFT');
  });

  it('approves the submitted cells of a list, skipping a draft (with its status) and a value the reviewer cannot approve', async () => {
    const [sub, dr] = [key('P06-H04', 'members'), key('P06-H04', 'members.admitted')];
    await draft([sub, dr]);
    await strictMove('submitFigures', [sub], 'reporter');
    const r = await s.gql(APPROVE, { cells: [dr, sub, key('P01', 'members')], lenient: true }, { as: 'reviewer' });
    expect(r.errors).toBeUndefined();
    const out = r.data!.approveFigures;
    expect(out.moved.map((m: any) => `${m.unionCode} ${m.indicatorCode} ${m.status}`)).toEqual(['P06-H04 members APPROVED']);
    const codes = Object.fromEntries(out.reasons.map((x: any) => [x.code, x]));
    expect(codes.WRONG_STATUS).toMatchObject({ count: 1, params: { status: 'DRAFT', withProposal: false } });
    expect(codes.NOT_ALLOWED).toMatchObject({ count: 1 });
    expect(out.skippedCount).toBe(2);
  });
});

describe('the grid marks cells with a pending proposal (Excel habits)', () => {
  it('aligns `proposals` with `values`: true only where a correction waits, hidden from a viewer', async () => {
    const k = key('P06-H05', 'members');
    await draft([k], 4321);
    await strictMove('submitFigures', [k], 'reporter');
    await strictMove('approveFigures', [k], 'reviewer');
    const v = await version(k);
    const p = await s.gql(`mutation ($c: CellKey!, $v: Int!) { proposeFigure(cell: $c, value: 4400, expectedVersion: $v) { proposedValue } }`, { c: k, v: v.version }, { as: 'reporter' });
    expect(p.errors).toBeUndefined();

    const vars = { root: 'P06', indicators: ['members', 'members.admitted'] };
    const r = await grid(vars, 'reporter');
    expect(r.errors).toBeUndefined();
    const rows = r.data!.grid.rows as any[];
    for (const row of rows) expect(row.proposals).toHaveLength(row.values.length);
    const marked = rows.flatMap((row) => row.proposals.flatMap((x: boolean, c: number) => (x ? [`${row.unionCode} ${r.data!.grid.columns[c].indicatorCode}`] : [])));
    expect(marked).toEqual(['P06-H05 members']);
    const viewer = (await grid(vars, 'viewer')).data!.grid.rows as any[];
    expect(viewer.flatMap((row) => row.proposals).filter(Boolean)).toEqual([]);
  });
});

describe('the grid says what the caller may read (Excel habits)', () => {
  it('shows a provincial reporter the path down to its province, not 87 empty provinces', async () => {
    const r = await grid({ root: 'TLD' }, 'reporter');
    expect(r.errors).toBeUndefined();
    const rows = r.data!.grid.rows as any[];
    expect(rows.map((x) => [x.unionCode, x.readable, x.hasChildren])).toEqual([['TLD', false, true], ['P06', true, true]]);
    expect(rows[0].values.every((v: unknown) => v === null)).toBe(true);
    expect(rows[1].approvedOnly).toBe(false);
    const deeper = (await grid({ root: 'TLD', depth: 2 }, 'reviewer')).data!.grid.rows as any[];
    expect(deeper.length).toBeGreaterThan(2);
    expect(deeper.slice(1).every((x) => x.unionCode === 'P06' || x.parentCode === 'P06')).toBe(true);
    expect(deeper.slice(1).every((x) => x.readable)).toBe(true);
  });

  it('answers a root the caller cannot read as that row alone, unreadable and closed', async () => {
    const rows = (await grid({ root: 'P01' }, 'reporter')).data!.grid.rows as any[];
    expect(rows.map((x) => [x.unionCode, x.readable, x.hasChildren])).toEqual([['P01', false, false]]);
  });

  it('shows a viewer every province, readable, approved figures only; an admin everything', async () => {
    const viewer = (await grid({ root: 'TLD' }, 'viewer')).data!.grid.rows as any[];
    expect(viewer).toHaveLength(88);
    expect(viewer.every((x) => x.readable && x.approvedOnly)).toBe(true);
    const admin = (await grid({ root: 'TLD' }, 'admin')).data!.grid.rows as any[];
    expect(admin).toHaveLength(88);
    expect(admin.every((x) => x.readable && !x.approvedOnly)).toBe(true);
  });
});

describe('one request for what is shown (item 1)', () => {
  const years = [2016, 2017];
  const indicators = ['members', 'grassroots', 'coverage'];

  it('answers the root’s children plus those of each expanded union, both scenarios, as the separate reads do', async () => {
    const one = await grid({ root: 'TLD', years, indicators, expanded: ['P06', 'P01'], scenarios: ['ACTUAL', 'TARGET'] });
    expect(one.errors).toBeUndefined();
    const { columns, rows } = one.data!.grid;
    expect(columns).toHaveLength(indicators.length * years.length * 2);

    const parts = [];
    for (const scenario of ['ACTUAL', 'TARGET']) {
      for (const root of ['TLD', 'P06', 'P01']) {
        const r = await listed({ root, years, indicators, scenarios: [scenario] });
        expect(r.errors).toBeUndefined();
        parts.push({ scenario, rows: (r.data!.grid.rows as any[]).slice(root === 'TLD' ? 0 : 1), columns: r.data!.grid.columns as any[] });
      }
    }
    const actual = parts.filter((p) => p.scenario === 'ACTUAL');
    const codes = new Set(actual.flatMap((p) => p.rows.map((r: any) => r.unionCode)));
    expect(rows.map((r: any) => r.unionCode).sort()).toEqual([...codes].sort());
    // Tree order: each expanded union's children follow it directly.
    const at = (code: string) => rows.findIndex((r: any) => r.unionCode === code);
    for (const p of ['P06', 'P01']) {
      const kids = actual.find((x) => x.rows[0]?.parentCode === p)!.rows.map((r: any) => r.unionCode);
      expect(rows.slice(at(p) + 1, at(p) + 1 + kids.length).map((r: any) => r.unionCode)).toEqual(kids);
    }
    let compared = 0;
    for (const part of parts) {
      for (const r of part.rows) {
        const row = rows[at(r.unionCode)];
        part.columns.forEach((col: any, c: number) => {
          const here = columns.findIndex((x: any) => x.indicatorCode === col.indicatorCode && x.year === col.year && x.scenario === part.scenario);
          expect([row.values[here], row.statuses[here], row.versions[here]], `${r.unionCode} ${col.indicatorCode} ${col.year} ${part.scenario}`).toEqual([r.values[c], r.statuses[c], r.versions[c]]);
          compared++;
        });
      }
    }
    expect(compared).toBe(rows.length * columns.length);
  });

  it('estimates the expanded read of both scenarios at no less than it returns, and allows the national expand-all', async () => {
    const vars = { root: 'TLD', depth: 1, years, scenarios: ['ACTUAL', 'TARGET'], expanded: ['P06', 'P01', 'P02'] };
    const real = await s.gql(GRID, vars);
    expect(real.errors).toBeUndefined();
    const refused = await estimator.gql(GRID, vars);
    expect(refused.errors!.map((e) => e.extensions.code)).toEqual(['TOO_COMPLEX']);
    const estimate = Number(/about (\d+) fields/.exec(refused.errors![0]!.message)![1]);
    expect(estimate).toBeGreaterThanOrEqual(fieldsIn(real.data));
    const all = await grid({ root: 'TLD', depth: 2, years: [2013, 2014, 2015, 2016, 2017], scenarios: ['ACTUAL', 'TARGET'] });
    expect(all.errors).toBeUndefined();
    expect(all.data!.grid.rows.length).toBeGreaterThan(1_000);
    expect(all.data!.grid.columns).toHaveLength(all.data!.grid.rows[0].values.length);
  });
});

/** Fields in a response as the estimate counts them: each key one, a list of objects each item's fields. */
function fieldsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + fieldsIn(v), 0);
  if (!value || typeof value !== 'object') return 0;
  return Object.values(value).reduce((n: number, v) => n + 1 + fieldsIn(v), 0);
}
