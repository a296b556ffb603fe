/**
 * Exports of approved figures through the real server: CSV, XLSX and JSON of one selection
 * agree; only approved values leave (never a draft, a submitted value or a pending proposal),
 * for a viewer through HTTP and GraphQL alike; bad parameters are refused with a message.
 */
import { get } from 'node:http';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
/** A cell approved then given a pending proposal: its export is the approved value. */
const PROPOSED = { unionCode: 'P06-H02', indicatorCode: 'members', year: 2016, scenario: 'actual' };
let approvedValue = 0;
const PROPOSED_VALUE = 987_654;

beforeAll(async () => {
  s = await startTestServer();
  // Approve Bắc Kạn's actual figures of 2016 (targets are approved by the seed), then propose a correction to one.
  const moved = await s.gql(`mutation { approveFigures(selection: { subtree: { root: "P06", year: 2016, scenario: ACTUAL, onlyPassing: false } }) { movedCount } }`, {}, { as: 'reviewer' });
  expect(moved.errors).toBeUndefined();
  expect(moved.data!.approveFigures.movedCount).toBeGreaterThan(100);
  const f = await s.gql(`{ figure(unionCode: "P06-H02", indicatorCode: "members", year: 2016, scenario: ACTUAL) { value version status } }`);
  expect(f.data!.figure.status).toBe('APPROVED');
  approvedValue = f.data!.figure.value;
  const p = await s.gql(
    `mutation ($v: Int!) { proposeFigure(cell: { unionCode: "P06-H02", indicatorCode: "members", year: 2016, scenario: ACTUAL }, value: ${PROPOSED_VALUE}, expectedVersion: $v, reason: "test") { value proposedValue } }`,
    { v: f.data!.figure.version },
    { as: 'reporter' },
  );
  expect(p.errors).toBeUndefined();
  expect(p.data!.proposeFigure).toEqual({ value: approvedValue, proposedValue: PROPOSED_VALUE });
});
afterAll(() => s.close());

type Rec = Record<string, string | number | null>;
const COLUMNS = ['unit_code', 'unit_name', 'level', 'parent_code', 'indicator_code', 'indicator_name', 'year', 'scenario', 'value', 'approved_at', 'approved_by'];

async function download(path: string, as: Parameters<TestServer['auth']>[0] = 'admin') {
  return fetch(`${s.url}${path}`, { headers: s.auth(as) });
}

/** RFC 4180 parser (quoted fields with commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function csvRecords(text: string): Rec[] {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual(COLUMNS);
  const numeric = new Set(['level', 'year', 'value']);
  return rows.map((r) => Object.fromEntries(header!.map((k, i) => [k, r[i] === '' ? null : numeric.has(k) ? Number(r[i]) : r[i]!])));
}

async function xlsxRecords(buf: ArrayBuffer): Promise<{ rows: Rec[]; types: Set<string>; notes: Map<string, unknown> }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const ws = wb.getWorksheet('Số liệu')!;
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  expect(header).toEqual(COLUMNS);
  const rows: Rec[] = [];
  const types = new Set<string>();
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = (row.values as unknown[]).slice(1);
    types.add(typeof v[8]);
    rows.push(Object.fromEntries(COLUMNS.map((k, i) => [k, (v[i] ?? null) as never])));
  });
  const notes = new Map<string, unknown>();
  wb.getWorksheet('Ghi chú')!.eachRow((row) => notes.set(String(row.getCell(1).value), row.getCell(2).value));
  return { rows, types, notes };
}

const SELECTION = '?root=P06&years=2015-2017&scenario=all';

describe('exports', () => {
  it('CSV, XLSX and JSON of the same selection agree, row for row', async () => {
    const csvRes = await download(`/exports/figures.csv${SELECTION}`);
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csvRes.headers.get('content-disposition')).toMatch(/attachment; filename="unionhub-P06-2015-2017\.csv"/);
    const bytes = new Uint8Array(await csvRes.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for UTF-8
    const csvText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    expect(csvText).toContain('Bắc Kạn'); // Vietnamese survives
    const csv = csvRecords(csvText);

    const jsonRes = await download(`/exports/figures.json${SELECTION}`);
    expect(jsonRes.status).toBe(200);
    const json = (await jsonRes.json()) as { columns: string[]; figures: Rec[]; approved: number; notApproved: number };
    expect(json.columns).toEqual(COLUMNS);

    const xlsxRes = await download(`/exports/figures.xlsx${SELECTION}`);
    expect(xlsxRes.status).toBe(200);
    expect(xlsxRes.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const xlsx = await xlsxRecords(await xlsxRes.arrayBuffer());

    expect(csv.length).toBeGreaterThan(1000);
    expect(json.figures).toEqual(csv);
    expect(xlsx.rows).toEqual(csv);
    expect(xlsx.types).toEqual(new Set(['number'])); // values are numbers in the workbook, not text
    expect(json.approved).toBe(csv.length);

    // Exactly the approved, non-empty cells of the selection, checked against the database.
    const [db] = await s.sql<{ n: number }>(
      `select count(*) as n from figure f join trade_union u on u.id = f.union_id
        where u.path >= '/TLD/P06/' and u.path < '/TLD/P060' and f.year between 2015 and 2017 and f.status = 'approved' and f.value is not null`,
    );
    expect(csv.length).toBe(Number(db!.n));
    // And it says what is not approved yet: the submitted actuals of 2015 and 2017.
    const [pending] = await s.sql<{ n: number }>(
      `select count(*) as n from figure f join trade_union u on u.id = f.union_id
        where u.path >= '/TLD/P06/' and u.path < '/TLD/P060' and f.year between 2015 and 2017 and f.status <> 'approved' and f.value is not null`,
    );
    expect(Number(pending!.n)).toBeGreaterThan(0);
    expect(json.notApproved).toBe(Number(pending!.n));
    const head = await fetch(`${s.url}/exports/figures.csv${SELECTION}`, { method: 'HEAD', headers: s.auth('admin') });
    expect(Number(head.headers.get('x-not-approved-cells'))).toBe(Number(pending!.n));
    expect(Number(head.headers.get('x-approved-cells'))).toBe(csv.length);
    expect(csvRes.headers.get('trailer')).toBe('x-approved-cells, x-not-approved-cells');
    // …and the GET's trailers, counted in the same pass as the rows (node:http exposes trailers, fetch does not).
    const trailers = await new Promise<Record<string, string | undefined>>((resolve, reject) => {
      get(`${s.url}/exports/figures.csv${SELECTION}`, { headers: s.auth('admin') }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.trailers));
      }).on('error', reject);
    });
    expect(trailers).toEqual({ 'x-approved-cells': String(csv.length), 'x-not-approved-cells': String(pending!.n) });
    expect(xlsx.notes.get('Số ô chưa duyệt, không có trong tệp (cells not approved yet)')).toBe(Number(pending!.n));

    // The approved value of a cell with a pending proposal, never the proposal.
    const row = csv.find((r) => r.unit_code === PROPOSED.unionCode && r.indicator_code === PROPOSED.indicatorCode && r.year === 2016 && r.scenario === 'actual');
    expect(row?.value).toBe(approvedValue);
    expect(row?.approved_by).toBe('reviewer.backan');
    expect(String(row?.approved_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(csv.some((r) => r.value === PROPOSED_VALUE)).toBe(false);
    // Stable order: units by path, then scenario, year, catalogue order.
    const units = [...new Set(csv.map((r) => r.unit_code))];
    expect(units[0]).toBe('P06');
    expect(csv[0]).toMatchObject({ unit_code: 'P06', level: 1, parent_code: 'TLD', scenario: 'actual', year: 2016, indicator_code: 'workers' });
  });

  it('filters by indicators and scenario', async () => {
    const res = await download('/exports/figures.json?root=P06-H01&years=2018,2020&indicators=members,grassroots&scenario=target');
    const body = (await res.json()) as { figures: Rec[] };
    expect(body.figures.map((r) => `${r.indicator_code}|${r.year}|${r.scenario}`)).toEqual([
      'members|2018|target', 'grassroots|2018|target', 'members|2020|target', 'grassroots|2020|target',
    ]);
  });

  it('a viewer never gets an unapproved value, through HTTP or GraphQL', async () => {
    const approved = new Map(
      (await s.sql<{ k: string; value: number }>(
        `select u.code || '|' || i.code || '|' || f.year || '|' || f.scenario as k, f.value from figure f
           join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
          where u.path >= '/TLD/P06/' and u.path < '/TLD/P060' and f.status = 'approved' and f.value is not null`,
      )).map((r) => [r.k, r.value]),
    );
    const key = (r: Rec) => `${r.unit_code}|${r.indicator_code}|${r.year}|${r.scenario}`;
    const csv = csvRecords((await (await download('/exports/figures.csv?root=P06', 'viewer')).text()).replace(/^\uFEFF/, ''));
    const json = ((await (await download('/exports/figures.json?root=P06', 'viewer')).json()) as { figures: Rec[] }).figures;
    const xlsx = (await xlsxRecords(await (await download('/exports/figures.xlsx?root=P06', 'viewer')).arrayBuffer())).rows;
    const gqlRows: Rec[] = [];
    let after: string | null = null;
    do {
      const r: { errors?: unknown; data?: Record<string, any> | null } = await s.gql(
        `query ($after: String) { approvedFigures(filter: { root: "P06" }, first: 5000, after: $after) {
           figures { unitCode indicatorCode year scenario value } endCursor hasNextPage totalCount notApprovedCount } }`,
        { after },
        { as: 'viewer' },
      );
      expect(r.errors).toBeUndefined();
      const page: { figures: Record<string, any>[]; hasNextPage: boolean; endCursor: string } = r.data!.approvedFigures;
      for (const f of page.figures) gqlRows.push({ unit_code: f.unitCode, indicator_code: f.indicatorCode, year: f.year, scenario: f.scenario.toLowerCase(), value: f.value });
      after = page.hasNextPage ? page.endCursor : null;
    } while (after);
    for (const rows of [csv, json, xlsx, gqlRows]) {
      expect(rows.length).toBe(approved.size);
      for (const r of rows) expect(r.value).toBe(approved.get(key(r)));
      expect(rows.some((r) => r.value === PROPOSED_VALUE)).toBe(false);
    }
  });

  it('a caller sees only its grants: the reporter of Bắc Kạn exports nothing of Hà Nội', async () => {
    const res = await download('/exports/figures.csv?root=P01', 'reporter');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('FORBIDDEN');
    const national = await download('/exports/figures.json?root=TLD&years=2018', 'reporter');
    const units = new Set(((await national.json()) as { figures: Rec[] }).figures.map((r) => String(r.unit_code)));
    expect([...units].every((u) => u === 'P06' || u.startsWith('P06-'))).toBe(true);
    expect(units.size).toBeGreaterThan(5);
  });

  it('the national set streams: every approved cell, counted against the database', async () => {
    const res = await download('/exports/figures.csv');
    const lines = (await res.text()).split('\r\n').filter(Boolean).length - 1;
    const [db] = await s.sql<{ n: number }>(`select count(*) as n from figure where status = 'approved' and value is not null`);
    expect(lines).toBe(Number(db!.n));
    expect(lines).toBeGreaterThan(100_000);
  });

  it('refuses bad parameters, strangers and selections too large for GraphQL', async () => {
    for (const [query, message] of [
      ['?years=20x4', /years/],
      ['?years=2010-2012', /years must lie in 2013–2023/],
      ['?scenario=forecast', /scenario/],
      ['?indicators=coverage', /computed/],
      ['?root=NOPE', /Unknown union/],
      ['?root=a%20b', /root/],
    ] as const) {
      const res = await download(`/exports/figures.csv${query}`);
      expect(res.status, query).toBeGreaterThanOrEqual(400);
      expect(res.status, query).toBeLessThan(500);
      expect(((await res.json()) as { message: string }).message, query).toMatch(message);
    }
    expect((await download('/exports/figures.csv', 'anonymous')).status).toBe(401);
    expect((await fetch(`${s.url}/exports/figures.csv`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await download('/exports/figures.pdf')).status).toBe(404);
    const big = await s.gql('{ approvedFigures(filter: { root: "TLD" }) { totalCount } }', {}, { as: 'viewer' });
    expect(big.errors?.[0]?.extensions.code).toBe('VALIDATION');
    expect(big.errors?.[0]?.message).toMatch(/more than 50000.*\/exports\/figures\.csv/);
  });

  it('a browser session downloads through a download ticket, not with its CSRF token in the link', async () => {
    const signIn = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
      body: JSON.stringify({ query: 'mutation { signIn(username: "viewer.taichinh", password: "viewer-demo-2026") { csrfToken } }' }),
    });
    const csrf = ((await signIn.json()) as { data: { signIn: { csrfToken: string } } }).data.signIn.csrfToken;
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect((await fetch(`${s.url}/exports/figures.json?root=P06-H01`, { headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${s.url}/exports/figures.json?root=P06-H01&csrf=${encodeURIComponent(csrf)}`, { headers: { cookie } })).status).toBe(400);
    const ticket = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ query: 'mutation { downloadTicket(path: "/exports/figures.json?root=P06-H01") { url } }' }),
    });
    const { url } = ((await ticket.json()) as { data: { downloadTicket: { url: string } } }).data.downloadTicket;
    const ok = await fetch(`${s.url}${url}`, { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { figures: Rec[] }).figures.length).toBeGreaterThan(0);
  });
});
