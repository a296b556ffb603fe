/**
 * The consolidated report through the real server: totals equal the approved figures summed here
 * independently (plain SQL + loops), unapproved and proposed values never appear, merged units are
 * comparable across years, editions freeze their files and list exactly what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
const YEARS = [2013, 2014, 2015, 2016, 2017];

async function gqlOk<T = any>(query: string, variables: Record<string, unknown> = {}, as: 'admin' | 'reviewer' | 'viewer' = 'admin'): Promise<T> {
  const r = await s.gql<T>(query, variables, { as });
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}

/** Approve the listed actual cells through the API, in batches. */
async function approveCells(cells: { unionCode: string; indicatorCode: string; year: number }[]) {
  for (let i = 0; i < cells.length; i += 4000) {
    const batch = cells.slice(i, i + 4000).map((c) => ({ ...c, scenario: 'ACTUAL' }));
    const d = await gqlOk('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: batch });
    expect(d.approveFigures.movedCount).toBe(batch.length);
  }
}

const TABLE = `key title notes columns { key label format } rows { key label kind values note }`;
const REPORT = `rootCode contentHash pendingTotal withProposal tables { ${TABLE} } sentences { key text } charts { years members { key values } admitted { key values } grading { key values } } pending { indicatorCode year scenario count expected }`;

beforeAll(async () => {
  s = await startTestServer();
  // Every level-1 actual cell of 2013–2017 is approved, except Bắc Kạn's (P06) 2017 cells, which stay submitted.
  const cells = await s.sql<{ unionCode: string; indicatorCode: string; year: number }>(
    `select u.code as "unionCode", i.code as "indicatorCode", f.year from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.level = 1 and f.scenario = 'actual' and f.status = 'submitted' and not (u.code = 'P06' and f.year = 2017) order by u.code, i.code, f.year`,
  );
  await approveCells(cells);
  // A proposed correction beside an approved value: the report keeps using the approved one.
  const v = await gqlOk('{ figure(unionCode: "P01", indicatorCode: "members", year: 2015, scenario: ACTUAL) { value version } }');
  await gqlOk('mutation ($v: Int!, $x: Float!) { proposeFigure(cell: { unionCode: "P01", indicatorCode: "members", year: 2015, scenario: ACTUAL }, value: $x, expectedVersion: $v, reason: "Điều chỉnh") { status } }',
    { v: v.figure.version, x: v.figure.value + 1234 });
}, 120_000);
afterAll(() => s.close());

/** Independent sums: the approved values of TLĐ's children valid in each year, added in a loop. */
async function approvedSums(indicatorCode: string, scenario = 'actual') {
  const rows = await s.sql<{ code: string; validFrom: number; validTo: number | null; year: number; value: number | null; status: string }>(
    `select u.code, u.valid_from as "validFrom", u.valid_to as "validTo", f.year, f.value, f.status
     from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.parent_id = (select id from trade_union where code = 'TLD') and f.scenario = ? and i.code = ?`,
    [scenario, indicatorCode],
  );
  const sums = new Map<number, number>();
  for (const r of rows) {
    if (r.status !== 'approved' || r.value === null) continue;
    if (r.year < r.validFrom || (r.validTo !== null && r.year > r.validTo)) continue;
    sums.set(r.year, (sums.get(r.year) ?? 0) + r.value);
  }
  return sums;
}

describe('the report from approved figures', () => {
  let report: any;
  beforeAll(async () => {
    report = (await gqlOk(`{ report(root: "TLD") { ${REPORT} } }`)).report;
  });
  const row = (table: string, key: string) => report.tables.find((t: any) => t.key === table).rows.find((r: any) => r.key === key);

  it('national totals equal the approved figures summed independently; ratios are recomputed from the sums', async () => {
    for (const code of ['members', 'members.women', 'members.admitted', 'members.left', 'grassroots', 'grassroots.founded', 'grassroots.dissolved', 'enterprises.eligible', 'enterprises.unionised']) {
      const sums = await approvedSums(code);
      const r = row('national', code);
      YEARS.forEach((y, i) => expect(r.values[i], `${code} ${y}`).toBe(sums.get(y) ?? null));
    }
    const admitted = await approvedSums('members.admitted');
    expect(row('national', 'members.admitted').values[5]).toBe(YEARS.reduce((a, y) => a + admitted.get(y)!, 0));
    const [num, den] = [await approvedSums('enterprises.unionised'), await approvedSums('enterprises.eligible')];
    YEARS.forEach((y, i) => expect(row('national', 'coverage').values[i]).toBe(Math.round((num.get(y)! / den.get(y)!) * 100 * 100) / 100));
    // Targets are approved in the seed: % achieved is actual sum / target sum, never an average of units' %.
    const target = await approvedSums('members.admitted', 'target');
    YEARS.forEach((y, i) => expect(row('national', 'members.admitted:achieved').values[i]).toBe(Math.round((admitted.get(y)! / target.get(y)!) * 100 * 100) / 100));
    const grades = await Promise.all(['grade.strong', 'grade.fair', 'grade.average', 'grade.weak'].map((g) => approvedSums(g)));
    YEARS.forEach((y, i) => expect(row('grading', 'graded').values[i]).toBe(grades.reduce((a, g) => a + g.get(y)!, 0)));
    // The plan: approved targets 2018–2023.
    const plan = await approvedSums('members', 'target');
    [2018, 2019, 2020, 2021, 2022, 2023].forEach((y, i) => expect(report.tables.find((t: any) => t.key === 'plan').rows[0].values[i]).toBe(plan.get(y)));
    expect(report.charts.members[0].values).toEqual(row('national', 'members').values.slice(0, 5));
  });

  it('leaves out unapproved and proposed values and says what is not approved', async () => {
    const [submitted] = await s.sql<{ value: number }>(`select f.value from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where u.code = 'P06' and i.code = 'members.admitted' and f.year = 2017 and f.scenario = 'actual'`);
    expect(submitted!.value).toBeGreaterThan(0);
    const p06 = row('admitted', 'P06');
    expect(p06.values.slice(0, 5)).toEqual([...(await s.sql<{ value: number }>(`select f.value from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where u.code = 'P06' and i.code = 'members.admitted' and f.scenario = 'actual' and f.year < 2017 order by f.year`)).map((r) => r.value), null]);
    const members2017 = report.pending.find((p: any) => p.indicatorCode === 'members' && p.year === 2017 && p.scenario === 'ACTUAL');
    expect(members2017).toEqual({ indicatorCode: 'members', year: 2017, scenario: 'ACTUAL', count: 1, expected: 87 });
    expect(report.pending.every((p: any) => p.year === 2017 && p.count === 1)).toBe(true);
    expect(report.tables.find((t: any) => t.key === 'national').notes.join(' ')).toContain('2017');
    const [p01] = await s.sql<{ value: number; proposed: number }>(`select f.value, f.proposed_value as proposed from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where u.code = 'P01' and i.code = 'members' and f.year = 2015 and f.scenario = 'actual'`);
    expect(p01!.proposed).toBe(p01!.value + 1234);
    expect(row('members', 'P01').values[2]).toBe(p01!.value);
    expect(report.withProposal).toBe(1);
    // A viewer (approved figures only) reads the same report.
    const viewer = (await gqlOk(`{ report(root: "TLD") { contentHash } }`, {}, 'viewer')).report;
    expect(viewer.contentHash).toBe(report.contentHash);
  });

  it('ranks units by % achieved of new members (1 = best), the basis for commendation', () => {
    const t = report.tables.find((x: any) => x.key === 'ranking');
    const ranks = t.rows.map((r: any) => r.values[0]);
    expect(ranks[0]).toBe(1);
    const pcts = t.rows.filter((r: any) => r.values[0] !== null).map((r: any) => r.values[1]);
    expect([...pcts].sort((a, b) => b - a)).toEqual(pcts);
  });

  it('shows merged units as one comparable row, each year summing the units valid then', async () => {
    const cells = await s.sql<{ unionCode: string; indicatorCode: string; year: number }>(
      `select u.code as "unionCode", i.code as "indicatorCode", f.year from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
       where u.parent_id = (select id from trade_union where code = 'P74') and f.scenario = 'actual' and f.status = 'submitted' and i.code = 'members.admitted'`,
    );
    await approveCells(cells);
    const p74 = (await gqlOk(`{ report(root: "P74") { tables { ${TABLE} } } }`)).report;
    const merged = p74.tables.find((t: any) => t.key === 'admitted').rows.find((r: any) => r.key.includes('P74-K04'));
    expect(merged.key).toBe('P74-K01+P74-K02+P74-K04');
    expect(merged.note).toContain('Bình Dương I');
    const byUnit = new Map<string, number>();
    for (const r of await s.sql<{ code: string; year: number; value: number }>(`select u.code, f.year, f.value from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where u.code in ('P74-K01','P74-K02','P74-K04') and i.code = 'members.admitted' and f.scenario = 'actual'`)) byUnit.set(`${r.code}|${r.year}`, r.value);
    expect(merged.values.slice(0, 5)).toEqual([
      byUnit.get('P74-K01|2013')! + byUnit.get('P74-K02|2013')!, byUnit.get('P74-K01|2014')! + byUnit.get('P74-K02|2014')!,
      byUnit.get('P74-K04|2015'), byUnit.get('P74-K04|2016'), byUnit.get('P74-K04|2017'),
    ]);
  });
});

describe('editions', () => {
  const EDITION = 'id number actor contentHash figureCount pendingTotal changeCount previous { number } xlsxUrl docxUrl changes { unionCode indicatorCode year scenario oldValue newValue }';
  const download = (path: string, as: 'admin' | 'viewer' | 'anonymous' = 'admin') => fetch(`${s.url}${path}`, { headers: s.auth(as) });

  it('freezes an edition; after a correction the next one lists exactly that change; earlier files stay as issued', async () => {
    const first = (await gqlOk(`mutation { generateReport(root: "TLD") { ${EDITION} } }`)).generateReport;
    expect(first).toMatchObject({ number: 1, actor: 'admin', changeCount: 0, previous: null, changes: [] });
    expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const xlsx1 = Buffer.from(await (await download(first.xlsxUrl)).arrayBuffer());
    const docxRes = await download(first.docxUrl);
    expect(docxRes.status).toBe(200);
    expect(docxRes.headers.get('content-disposition')).toBe(
      `attachment; filename="Bao-cao-tong-ket-TLD-lan-1.docx"; filename*=UTF-8''${encodeURIComponent('Báo cáo tổng kết TLD lần 1.docx')}`,
    );
    expect(xlsx1.subarray(0, 2).toString()).toBe('PK');

    // The correction: approve the proposal on P01 members 2015.
    const before = await gqlOk('{ figure(unionCode: "P01", indicatorCode: "members", year: 2015, scenario: ACTUAL) { value proposedValue } }');
    // Approved by a second reviewer on TLĐ: four-eyes keeps admin, who proposed it, from approving it.
    await gqlOk('mutation { createUser(username: "reviewer.tld", displayName: "Người duyệt TLĐ", password: "reviewer-tld-2026") { username } }');
    await gqlOk('mutation { grantRole(username: "reviewer.tld", role: REVIEWER, unionCode: "TLD") { id } }');
    const token = (await gqlOk('mutation { issueToken(username: "reviewer.tld", name: "tests") { token } }')).issueToken.token;
    const approved = await s.gql('mutation { approveFigures(selection: { cells: [{ unionCode: "P01", indicatorCode: "members", year: 2015, scenario: ACTUAL }] }) { movedCount } }', {}, { headers: { authorization: `Bearer ${token}` } });
    expect(approved.data?.approveFigures.movedCount, JSON.stringify(approved.errors)).toBe(1);
    const second = (await gqlOk(`mutation { generateReport(root: "TLD") { ${EDITION} } }`)).generateReport;
    expect(second.number).toBe(2);
    expect(second.previous).toEqual({ number: 1 });
    expect(second.changes).toEqual([{ unionCode: 'P01', indicatorCode: 'members', year: 2015, scenario: 'ACTUAL', oldValue: before.figure.value, newValue: before.figure.proposedValue }]);
    expect(second.contentHash).not.toBe(first.contentHash);
    const frozen = (await gqlOk(`query ($id: Int!) { reportEdition(id: $id) { report { tables { key rows { key values } } } } }`, { id: first.id })).reportEdition.report;
    expect(frozen.tables.find((t: any) => t.key === 'members').rows.find((r: any) => r.key === 'P01').values[2]).toBe(before.figure.value);
    // The first edition's file is byte for byte what was issued, now and for a viewer.
    expect(Buffer.compare(Buffer.from(await (await download(first.xlsxUrl, 'viewer')).arrayBuffer()), xlsx1)).toBe(0);
    const list = (await gqlOk('{ reportEditions(root: "TLD") { number changeCount } }', {}, 'viewer')).reportEditions;
    expect(list).toEqual([{ number: 2, changeCount: 1 }, { number: 1, changeCount: 0 }]);
  });

  it('reports progress by stage to a subscriber of the job', async () => {
    const sub = await s.subscribe('subscription { reportProgress(jobId: "job-1") { stage fraction } }');
    const done = gqlOk('mutation { generateReport(root: "TLD", jobId: "job-1") { number } }');
    const stages: string[] = [];
    for (;;) {
      const e = await sub.next();
      stages.push(e.data.reportProgress.stage);
      if (e.data.reportProgress.stage === 'done') break;
    }
    sub.close();
    await done;
    expect(stages[0]).toBe('load');
    expect(stages).toEqual(expect.arrayContaining(['assemble', 'xlsx', 'docx', 'save', 'done']));
  });

  it('is issued by admins and reviewers within their subtree only; files need a caller who reads the root', async () => {
    const viewer = await s.gql('mutation { generateReport(root: "TLD") { number } }', {}, { as: 'viewer' });
    expect(viewer.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const outside = await s.gql('mutation { generateReport(root: "TLD") { number } }', {}, { as: 'reviewer' });
    expect(outside.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const inside = await s.gql(`mutation { generateReport(root: "P06") { number actor id } }`, {}, { as: 'reviewer' });
    expect(inside.errors).toBeUndefined();
    expect(inside.data!.generateReport).toMatchObject({ number: 1, actor: 'reviewer.backan' });
    expect((await download('/reports/1.xlsx', 'anonymous')).status).toBe(401);
    const reviewerRead = await fetch(`${s.url}/reports/1.xlsx`, { headers: s.auth('reviewer') });
    expect(reviewerRead.status).toBe(404); // TLĐ's edition is outside Bắc Kạn's reviewer's subtree
    expect((await download('/reports/999.docx')).status).toBe(404);
    expect((await download('/reports/abc.pdf')).status).toBe(404);
    const unknown = await s.gql('{ report(root: "NOPE") { rootCode } }');
    expect(unknown.errors![0]!.extensions.code).toBe('NOT_FOUND');
  });
});
