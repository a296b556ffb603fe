/**
 * A report at any level (issue 15, part III.1): a level-2 union with nothing below it issues its own
 * edition with its own figures as the one row, a level-1 union one over its children; approved cells
 * only, editions numbered per root, and only a reviewer or admin of the union or above may issue one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { docxText, officeDir } from './office.js';

let s: TestServer;
let office: ReturnType<typeof officeDir>;

const EDITION = `id number rootCode docxUrl report { rootCode rootName tables { key rows { key label kind values } columns { key } } }`;
type Table = { key: string; rows: { key: string; label: string; kind: string; values: (number | null)[] }[]; columns: { key: string }[] };

/** Approve the actual cells of `codes` for `indicator` in `years` (what does not qualify stays as it is). */
async function approve(codes: string[], indicator: string, years: number[]): Promise<void> {
  const cells = codes.flatMap((unionCode) => years.map((year) => ({ unionCode, indicatorCode: indicator, year, scenario: 'ACTUAL' })));
  const r = await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c, lenient: true }) { movedCount } }', { c: cells });
  expect(r.errors).toBeUndefined();
}

/** The approved actual cells of `indicator` in `year`, summed over the unions whose parent (or self) is `code`. */
async function approvedSum(where: string, params: unknown[], indicator: string, year: number): Promise<{ n: number; total: number | null }> {
  const [row] = await s.sql<{ n: number; total: number | null }>(
    `select count(*) as n, sum(f.value) as total from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where ${where} and i.code = ? and f.year = ? and f.scenario = 'actual' and f.status = 'approved'`, [...params, indicator, year]);
  return { n: Number(row!.n), total: row!.total === null ? null : Number(row!.total) };
}

const table = (e: { report: { tables: Table[] } }, key: string) => e.report.tables.find((t) => t.key === key)!;
const yearValue = (t: Table, rowKey: string, year: number) => t.rows.find((r) => r.key === rowKey)!.values[t.columns.findIndex((c) => c.key === String(year))];

beforeAll(async () => {
  office = officeDir();
  s = await startTestServer();
}, 120_000);
afterAll(async () => {
  await s?.close();
  office?.remove();
});

describe('a level-2 union issues its own edition', () => {
  it('its own figures as the one row: the tables list it, the numbers are its approved cells, the DOCX names it', async () => {
    const [h] = await s.sql<{ code: string; name: string }>("select code, name from trade_union where code = 'P06-H01'");
    expect((await s.sql("select count(*) as n from trade_union where parent_id = (select id from trade_union where code = 'P06-H01')"))[0]!.n).toBe(0);
    await approve(['P06-H01'], 'members', [2014, 2015]);
    const g = await s.gql(`mutation { generateReport(root: "P06-H01") { ${EDITION} } }`, {}, { as: 'reviewer' });
    expect(g.errors).toBeUndefined();
    const e = g.data!.generateReport;
    expect(e).toMatchObject({ number: 1, rootCode: 'P06-H01', report: { rootCode: 'P06-H01', rootName: h!.name } });
    const members = table(e, 'members');
    expect(members.rows.filter((r) => r.kind === 'row').map((r) => r.key)).toEqual(['P06-H01']);
    for (const year of [2014, 2015]) {
      const a = await approvedSum('u.code = ?', ['P06-H01'], 'members', year);
      expect(a.n).toBe(1);
      expect(yearValue(members, 'P06-H01', year)).toBe(a.total);
      expect(yearValue(table(e, 'national'), 'members', year)).toBe(a.total);
    }
    // 2016 is submitted, not approved: left out, not summed.
    expect(yearValue(members, 'P06-H01', 2016)).toBeNull();
    const res = await fetch(`${s.url}${e.docxUrl}`, { headers: s.auth('reviewer') });
    expect(res.status).toBe(200);
    const text = await docxText(office.dir, Buffer.from(await res.arrayBuffer()));
    expect(text).toContain(h!.name);
  }, 120_000);
});

describe('a level-1 union issues its own edition', () => {
  it('over its children, approved cells summed; numbered on its own', async () => {
    // A national edition first: the province's numbering does not follow it.
    expect((await s.gql('mutation { generateReport(root: "TLD") { number } }')).errors).toBeUndefined();
    const children = (await s.sql<{ code: string }>("select code from trade_union where parent_id = (select id from trade_union where code = 'P06') order by code")).map((c) => c.code);
    expect(children.length).toBeGreaterThan(4);
    // Half of the children approved: the other half's 2017 members are left out of the sum.
    await approve(children.slice(0, Math.ceil(children.length / 2)), 'members', [2017]);
    const g = await s.gql(`mutation { generateReport(root: "P06") { ${EDITION} } }`, {}, { as: 'reviewer' });
    expect(g.errors).toBeUndefined();
    const e = g.data!.generateReport;
    expect(e).toMatchObject({ number: 1, rootCode: 'P06' });
    const members = table(e, 'members');
    const rows = members.rows.filter((r) => r.kind === 'row');
    expect(rows.map((r) => r.key).flatMap((k) => k.split('+')).sort()).toEqual(children);
    const a = await approvedSum("u.parent_id = (select id from trade_union where code = 'P06')", [], 'members', 2017);
    expect(a.n).toBe(Math.ceil(children.length / 2));
    expect(yearValue(members, 'total', 2017)).toBe(a.total);
    expect(yearValue(table(e, 'national'), 'members', 2017)).toBe(a.total);
    const again = await s.gql('mutation { generateReport(root: "P06") { number } }', {}, { as: 'reviewer' });
    expect(again.data!.generateReport.number).toBe(2);
  }, 120_000);
});

describe('who may issue a union\'s own edition', () => {
  it('a reporter of another province, a reviewer of another province and a reporter of the union itself are refused', async () => {
    await s.gql('mutation { createUser(username: "reporter.hanoi", displayName: "Người báo cáo Hà Nội", password: "a-long-password") { username } }');
    await s.gql('mutation { grantRole(username: "reporter.hanoi", role: REPORTER, unionCode: "P01") { id } }');
    const before = (await s.sql('select count(*) as n from report_edition'))[0]!.n;
    for (const [root, opts] of [['P06', { user: 'reporter.hanoi' }], ['P06-H01', { user: 'reporter.hanoi' }], ['P01', { as: 'reviewer' as const }], ['P06', { as: 'reporter' as const }]] as const) {
      const r = await s.gql(`mutation { generateReport(root: "${root}") { id } }`, {}, opts);
      expect(r.errors?.[0]?.extensions.code, `${root} ${JSON.stringify(opts)}`).toBe('FORBIDDEN');
    }
    expect((await s.sql('select count(*) as n from report_edition'))[0]!.n).toBe(before);
  });
});
