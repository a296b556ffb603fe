/**
 * Issue 12, items 5–7, through the real server: every parameter is bounded before it is expanded
 * and only after the caller is known; uploads cannot explode (zip bombs, entry and shared-string
 * floods; only callers who may import somewhere can upload at all, refused before the body is read);
 * every number written is finite and within its unit's maximum on every write path, and values
 * already stored out of range cannot make a read fail.
 */
import { request } from 'node:http';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNITS, indicator } from '@unionhub/schema';
import { startTestServer, type As, type TestServer } from './harness.js';
import { entryFlood, sharedStringFlood, zipBomb } from './zip-files.js';
import { knexOf } from '../server/src/db/orm.js';
import { recheck } from '../server/src/domain/reconcile.js';
import { writeFigures } from '../server/src/domain/figure-writes.js';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { CellBatchError } from '../server/src/domain/errors.js';
import { LIMITS } from '../server/src/config.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const codes = (r: { errors?: { extensions: { code: string } }[] }) => (r.errors ?? []).map((e) => e.extensions.code);

async function get(path: string, as: As = 'admin', method = 'GET') {
  const res = await fetch(`${s.url}${path}`, { method, headers: s.auth(as) });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, any>) : text };
}

/** Everything a write leaves behind. */
async function footprint() {
  const [r] = await s.sql<{ revisions: number; versions: number; proposals: number }>(
    `select (select count(*) from figure_revision) as revisions, (select sum(version) from figure) as versions,
            (select count(*) from figure where proposed_value is not null) as proposals`,
  );
  return { revisions: Number(r!.revisions), versions: Number(r!.versions), proposals: Number(r!.proposals) };
}

/** A workbook in the export layout (the columns an import needs) with these rows. */
async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Số liệu');
  ws.addRow(['unit_code', 'indicator_code', 'year', 'scenario', 'value']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(body: Buffer, as: As = 'reporter', action = 'preview') {
  const res = await fetch(`${s.url}/imports/${action}`, { method: 'POST', headers: s.auth(as), body: body as unknown as BodyInit });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** The largest RSS of this process (the server runs in it) while `work` runs. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Send the headers and the first 64 kB of a `declared`-byte body, then wait for an answer without
 * sending the rest: only a server that answers before reading the body answers at all.
 */
function answerWhileSending(path: string, headers: Record<string, string>, declared: number): Promise<{ status: number; body: Record<string, any>; sent: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, { method: 'POST', headers: { ...headers, 'content-length': String(declared) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        clearTimeout(hang);
        resolve({ status: res.statusCode!, body: JSON.parse(text), sent });
        req.destroy();
      });
    });
    req.on('error', (e) => reject(e));
    const chunk = Buffer.alloc(64 * 1024, 0x50);
    req.write(chunk);
    const sent = chunk.length;
    // Not a speed limit: the rest of the body never comes, so a server that waits for it never answers.
    const hang = setTimeout(() => {
      req.destroy();
      reject(new Error('no answer while the body was still being sent: the server waited for (read) the body'));
    }, 10_000);
  });
}

// ---------------------------------------------------------------------------------------------

describe('5. parameters are bounded before they are expanded, after authentication', () => {
  it('answers an anonymous export with any years 401 before parsing them', async () => {
    for (const years of ['1000-9999', '2014', '1000-999999999', `${'1000-9999,'.repeat(1000)}1000-9999`]) {
      for (const method of ['GET', 'HEAD']) {
        const r = await get(`/exports/figures.csv?years=${years}`, 'anonymous', method);
        expect(r.status, `${method} years=${years.slice(0, 30)}`).toBe(401);
        if (method === 'GET') expect((r.body as Record<string, any>).code).toBe('UNAUTHENTICATED');
      }
    }
    // A bad credential is refused before parsing too.
    const res = await fetch(`${s.url}/exports/figures.json?years=1000-999999999`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
  });

  it('refuses a signed-in export whose parameters are too long or span too much, naming the parameter', async () => {
    const cases: [string, string][] = [
      ['years=1000-9999', 'years'],
      ['years=1000-999999999', 'years'],
      ['years=2017-2014', 'years'],
      ['years=2014-2017,9999999999999999999999', 'years'],
      [`years=${'2014,'.repeat(200)}2015`, 'years'],
      [`years=${'2014,'.repeat(15)}2015`, 'years'],
      ['years=2014-2015-2016', 'years'],
      [`indicators=${'members,'.repeat(2_000)}members`, 'indicators'],
      [`root=${'P'.repeat(5_000)}`, 'root'],
    ];
    for (const [query, field] of cases) {
      const r = await get(`/exports/figures.csv?${query}`, 'admin');
      expect(r.status, query.slice(0, 40)).toBe(400);
      const body = r.body as Record<string, any>;
      expect(body.code, query.slice(0, 40)).toBe('VALIDATION');
      expect(body.message, query.slice(0, 40)).toMatch(new RegExp(`^${field}`));
    }
    // What is within bounds still exports.
    const ok = await get('/exports/figures.json?root=P06-H01&years=2014-2015,2017&indicators=members,members.women&scenario=actual', 'admin');
    expect(ok.status).toBe(200);
    expect((ok.body as Record<string, any>).selection.years).toEqual([2014, 2015, 2017]);
  });

  it('refuses GraphQL list arguments of 100,000 items with VALIDATION naming the argument', async () => {
    const years = Array.from({ length: 100_000 }, () => 2014);
    const many = Array.from({ length: 100_000 }, () => 'members');
    const cases: [string, Record<string, unknown>, string][] = [
      ['query ($y: [Int!]) { approvedFigures(filter: { root: "P06", years: $y }) { totalCount } }', { y: years }, 'filter.years'],
      ['query ($i: [String!]) { approvedFigures(filter: { root: "P06", indicators: $i }) { totalCount } }', { i: many }, 'filter.indicators'],
      ['query ($y: [Int!]!) { grid(root: "P06", years: $y) { columns { year } } }', { y: years }, 'years'],
      ['query ($i: [String!]) { grid(root: "P06", years: [2014], indicators: $i) { columns { year } } }', { i: many }, 'indicators'],
      ['query ($y: [Int!]!) { approvalProgress(root: "P06", years: $y) { year } }', { y: years }, 'years'],
      ['query ($d: Int!) { approvalProgress(root: "P06", depth: $d, years: [2014]) { year } }', { d: 1_000_000 }, 'depth'],
      ['query ($s: [DiscrepancyState!]) { discrepancies(root: "P06", states: $s) { id } }', { s: Array.from({ length: 100_000 }, () => 'OPEN') }, 'states'],
      ['query ($r: String!) { approvedFigures(filter: { root: $r }) { totalCount } }', { r: 'P'.repeat(100_000) }, 'filter.root'],
      ['query ($q: String!) { unions(search: $q) { code } }', { q: 'x'.repeat(100_000) }, 'search'],
      ['query ($c: String!) { union(code: $c) { code } }', { c: 'x'.repeat(100_000) }, 'code'],
    ];
    for (const [query, variables, field] of cases) {
      const r = await s.gql(query, variables);
      // The grid's and the progress' cost grows with their years: the cost estimate may refuse them first.
      if (/grid|approvalProgress/.test(query) && codes(r)[0] === 'TOO_COMPLEX') continue;
      expect(codes(r), field).toEqual(['VALIDATION']);
      expect(r.errors![0]!.message, field).toMatch(field);
    }
  });

  it('bounds the import parameters (token, reason) before reading the upload', async () => {
    const http = await answerWhileSending(`/imports/apply?token=${'a'.repeat(5_000)}`, s.auth('reporter'), 5_000_000);
    expect(http.status).toBe(400);
    expect(http.body.code).toBe('VALIDATION');
    expect(http.body.message).toMatch(/^token/);
    const reason = await answerWhileSending(`/imports/apply?token=${'a'.repeat(32)}&reason=${'r'.repeat(5_000)}`, s.auth('reporter'), 5_000_000);
    expect(reason.status).toBe(400);
    expect(reason.body.message).toMatch(/^reason/);
    const gql = await s.gql('mutation ($t: String!) { importApply(file: "UEsDBA==", token: $t) { written } }', { t: 'a'.repeat(100_000) }, { as: 'reporter' });
    expect(codes(gql)).toEqual(['VALIDATION']);
    expect(gql.errors![0]!.message).toMatch('token');
  });

  it('bounds the GET /graphql parameters', async () => {
    const r = await fetch(`${s.url}/graphql?query=${encodeURIComponent('{ me { username } }')}&operationName=${'o'.repeat(300)}`, { headers: { ...s.auth('admin'), 'x-graphql-yoga-csrf': '1' } });
    expect(r.status).toBe(400);
    const big = await fetch(`${s.url}/graphql?query=${encodeURIComponent('{ me { username } }')}&variables=${encodeURIComponent(JSON.stringify({ pad: 'x'.repeat(12_000) }))}`, { headers: { ...s.auth('admin'), 'x-graphql-yoga-csrf': '1' } });
    expect(big.status).toBe(400);
    expect(((await big.json()) as Record<string, any>).errors[0].message).toMatch('variables');
  });

  it('refuses NUL in any text, as a variable or in the query, before it reaches the database (PostgreSQL cannot hold it)', async () => {
    const before = await s.sql('select count(*) as n from comment');
    const viaVariable = await s.gql('query ($c: String!) { figure(unionCode: $c, indicatorCode: "members", year: 2016, scenario: ACTUAL) { value } }', { c: 'P06\u0000' });
    expect(codes(viaVariable)).toEqual(['VALIDATION']);
    expect(viaVariable.errors![0]!.extensions.fields).toEqual(['unionCode']);
    const nested = await s.gql('mutation ($c: CellKey!, $t: String!) { commentFigure(cell: $c, text: $t) { version } }', { c: { unionCode: 'P06', indicatorCode: 'members', year: 2016, scenario: 'ACTUAL' }, t: 'ghi chú\u0000' });
    expect(codes(nested)).toEqual(['VALIDATION']);
    const literal = await s.gql('{ unions(search: "bac\\u0000kan") { code } }');
    expect(codes(literal)).toEqual(['VALIDATION']);
    expect(await s.sql('select count(*) as n from comment')).toEqual(before);
  });

  it('refuses a year no request may name, wherever it stands, before it reaches the database (PostgreSQL keeps years as smallint)', async () => {
    const literal = await s.gql('{ figure(unionCode: "P06", indicatorCode: "members", year: 99999, scenario: ACTUAL) { value } }');
    expect(codes(literal)).toEqual(['VALIDATION']);
    // A refusal of the request, not a fault: 400, never 500.
    const raw = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...s.auth('admin') }, body: JSON.stringify({ query: 'query ($y: Int!) { figures(unionCode: "P06", year: $y) { value } }', variables: { y: 40000 } }) });
    expect(raw.status).toBe(400);
    // The same text again and again (what the document knows is kept per parsed document): each request's own variables are judged.
    const byVariable = 'query ($y: Int!) { figure(unionCode: "P06", indicatorCode: "members", year: $y, scenario: ACTUAL) { value } }';
    expect((await s.gql(byVariable, { y: 2016 })).errors).toBeUndefined();
    const variable = await s.gql(byVariable, { y: 2 ** 31 - 1 });
    expect(codes(variable)).toEqual(['VALIDATION']);
    expect((await s.gql(byVariable, { y: 2017 })).errors).toBeUndefined();
    const inCell = await s.gql('mutation ($c: CellKey!) { commentFigure(cell: $c, text: "x") { version } }', { c: { unionCode: 'P06', indicatorCode: 'members', year: 40000, scenario: 'ACTUAL' } });
    expect(codes(inCell)).toEqual(['VALIDATION']);
    expect(inCell.errors![0]!.extensions.fields).toEqual(['cell.year']);
    const list = await s.gql('{ u: union(code: "P06") { children(year: -5) { code } } }');
    expect(codes(list)).toEqual(['VALIDATION']);
    // The years a request does name still answer.
    const fine = await s.gql('{ figure(unionCode: "P06", indicatorCode: "members", year: 2016, scenario: ACTUAL) { value } }');
    expect(fine.errors).toBeUndefined();
    expect(fine.data!.figure.value).toBeGreaterThan(0);
  });
});

describe('6. uploads cannot explode', () => {
  it('refuses a zip bomb (a sheet that inflates to 300 MB) with 413 before inflating it', async () => {
    const bomb = await zipBomb(300);
    expect(bomb.length).toBeLessThan(1_000_000);
    const { result, growth } = await peakRss(() => upload(bomb));
    expect(result.status).toBe(413);
    expect(result.body.code).toBe('TOO_LARGE');
    expect(result.body.errors[0].extensions.limit).toBe('MAX_UPLOAD_INFLATED_BYTES');
    expect(growth, `RSS grew by ${Math.round(growth / 1048576)} MB`).toBeLessThan(120 * 1024 * 1024);
  });

  it('refuses a bomb that declares a small size with 415 BAD_FILE, inflating no more than it declares', async () => {
    const liar = await zipBomb(300, 10_000);
    const { result, growth } = await peakRss(() => upload(liar));
    expect(result.status).toBe(415);
    expect(result.body.code).toBe('BAD_FILE');
    expect(growth, `RSS grew by ${Math.round(growth / 1048576)} MB`).toBeLessThan(120 * 1024 * 1024);
  });

  it('refuses an xlsx of 100,000 entries with 413', async () => {
    const flood = entryFlood(100_000);
    expect(flood.length).toBeLessThan(LIMITS.MAX_UPLOAD_BYTES);
    const { result, growth } = await peakRss(() => upload(flood));
    expect(result.status).toBe(413);
    expect(result.body.code).toBe('TOO_LARGE');
    expect(result.body.errors[0].extensions.limit).toBe('MAX_UPLOAD_ENTRIES');
    expect(growth, `RSS grew by ${Math.round(growth / 1048576)} MB`).toBeLessThan(120 * 1024 * 1024);
  });

  it('refuses an xlsx of 2,000,000 shared strings with 413', async () => {
    const flood = await sharedStringFlood(2_000_000);
    const { result, growth } = await peakRss(() => upload(flood));
    expect(result.status).toBe(413);
    expect(result.body.code).toBe('TOO_LARGE');
    expect(result.body.errors[0].extensions.limit).toBe('MAX_UPLOAD_SHARED_STRINGS');
    expect(growth, `RSS grew by ${Math.round(growth / 1048576)} MB`).toBeLessThan(120 * 1024 * 1024);
  });

  it('refuses the same files through GraphQL importPreview', async () => {
    const preview = (file: Buffer, as: As = 'reporter') => s.gql('mutation ($f: String!) { importPreview(file: $f) { rows } }', { f: file.toString('base64') }, { as });
    const bomb = await preview(await zipBomb(300));
    expect(codes(bomb)).toEqual(['TOO_LARGE']);
    expect(bomb.errors![0]!.extensions.limit).toBe('MAX_UPLOAD_INFLATED_BYTES');
    expect(codes(await preview(await zipBomb(300, 10_000)))).toEqual(['BAD_FILE']);
    const entries = await preview(entryFlood(LIMITS.MAX_UPLOAD_ENTRIES + 10));
    expect(codes(entries)).toEqual(['TOO_LARGE']);
    expect(entries.errors![0]!.extensions.limit).toBe('MAX_UPLOAD_ENTRIES');
    const strings = await preview(await sharedStringFlood(2_000_000));
    expect(strings.errors![0]!.extensions.limit).toBe('MAX_UPLOAD_SHARED_STRINGS');
    // A viewer may not import anywhere: refused before the file is even decoded.
    const viewer = await preview(entryFlood(1), 'viewer');
    expect(codes(viewer)).toEqual(['FORBIDDEN']);
  });

  it('refuses a viewer (and an anonymous caller) before reading the body', async () => {
    const headers = { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    const viewer = await answerWhileSending('/imports/preview', { ...headers, ...s.auth('viewer') }, 10_000_000);
    expect(viewer.status).toBe(403);
    expect(viewer.body.code).toBe('FORBIDDEN');
    const anonymous = await answerWhileSending('/imports/apply?token=x', headers, 10_000_000);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    // A caller with an edit right somewhere is not refused up front (its file is then judged).
    const reporter = await upload(entryFlood(1), 'reporter');
    expect(reporter.status).toBe(415);
    expect(reporter.body.code).toBe('BAD_FILE');
  });

  it('still imports an honest workbook', async () => {
    const r = await upload(await workbook([['P06-H01', 'members', 2015, 'actual', 1234]]));
    expect(r.status).toBe(200);
    expect(r.body.counts).toMatchObject({ rejected: 0, change: 1 });
  });
});

describe('7. every number is finite and in range, on every write path', () => {
  const maxOf = (code: string) => UNITS[indicator(code)!.unit].max;

  it('the catalogue gives each unit a maximum', () => {
    expect(maxOf('members')).toBe(200_000_000);
    expect(maxOf('grassroots')).toBe(10_000_000);
    expect(maxOf('enterprises.eligible')).toBe(10_000_000);
    expect(maxOf('funding')).toBe(1_000_000_000); // million VND: 10^15 VND
  });

  it('setFigures refuses 1e308, 1e16, over-the-maximum and negative values naming the cell; nothing is written', async () => {
    const before = await footprint();
    const values = [1e308, 1e16, maxOf('members') + 1, -1];
    const cells = values.map((value, i) => ({ unionCode: 'P06-H01', indicatorCode: 'members', year: 2018 + i, scenario: 'ACTUAL', value, expectedVersion: 0 }));
    const r = await s.gql('mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { value } } }', { c: cells });
    expect(codes(r)).toEqual(['VALIDATION', 'VALIDATION', 'VALIDATION', 'VALIDATION']);
    r.errors!.forEach((e, i) => {
      expect(e.extensions).toMatchObject({ index: i, unionCode: 'P06-H01', indicatorCode: 'members', year: 2018 + i, scenario: 'actual' });
    });
    expect(r.errors![0]!.message).toMatch(/at most 200[.,]?000[.,]?000/);
    // The maximum itself is accepted.
    const atMax = await s.gql('mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { value } } }', {
      c: [{ unionCode: 'P06-H01', indicatorCode: 'funding', year: 2023, scenario: 'ACTUAL', value: maxOf('funding'), expectedVersion: 0 }],
    });
    expect(atMax.errors).toBeUndefined();
    const after = await footprint();
    expect(after.revisions).toBe(before.revisions + 1);
    // Infinity cannot even be sent as a GraphQL Float (JSON 1e309): refused with a code, nothing written.
    const inf = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...s.auth('admin') },
      body: '{"query":"mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { value } } }","variables":{"c":[{"unionCode":"P06-H01","indicatorCode":"members","year":2022,"scenario":"ACTUAL","value":1e309,"expectedVersion":0}]}}',
    });
    const infBody = (await inf.json()) as Record<string, any>;
    expect(infBody.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(await footprint()).toEqual(after);
  });

  it('the domain write refuses NaN and Infinity naming the cell (whatever the transport)', async () => {
    const before = await footprint();
    const knex = knexOf(s.orm);
    const err = await writeFigures(knex, [
      { unionCode: 'P06-H01', indicatorCode: 'members', year: 2019, scenario: 'actual', value: Number.NaN, expectedVersion: 0 },
      { unionCode: 'P06-H01', indicatorCode: 'members', year: 2020, scenario: 'actual', value: Number.POSITIVE_INFINITY, expectedVersion: 0 },
    ], { access: SYSTEM_ACCESS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CellBatchError);
    const errors = (err as CellBatchError).errors;
    expect(errors.map((e) => e.code)).toEqual(['VALIDATION', 'VALIDATION']);
    expect(errors[1]!.details).toMatchObject({ unionCode: 'P06-H01', indicatorCode: 'members', year: 2020, scenario: 'actual' });
    expect(await footprint()).toEqual(before);
  });

  it('proposals have the same bound, naming the cell', async () => {
    // A cell the reviewer approves (the seeds' P06 actuals are submitted), then the reporter proposes on.
    const key = { unionCode: 'P06-H02', indicatorCode: 'members', year: 2016, scenario: 'ACTUAL' };
    const approve = await s.gql('mutation ($c: CellKey!) { approveFigures(selection: { cells: [$c] }) { moved { version status } } }', { c: key }, { as: 'reviewer' });
    expect(codes(approve)).toEqual([]);
    const cell = { code: key.unionCode, year: key.year, version: approve.data!.approveFigures.moved[0].version as number };
    const before = await footprint();
    for (const value of [1e16, 1e308, maxOf('members') + 1]) {
      const r = await s.gql('mutation ($c: CellKey!, $v: Float!, $e: Int!) { proposeFigure(cell: $c, value: $v, expectedVersion: $e) { proposedValue } }', {
        c: { unionCode: cell.code, indicatorCode: 'members', year: Number(cell.year), scenario: 'ACTUAL' }, v: value, e: Number(cell.version),
      }, { as: 'reporter' });
      expect(codes(r), String(value)).toEqual(['VALIDATION']);
      expect(r.errors![0]!.extensions).toMatchObject({ unionCode: cell.code, indicatorCode: 'members', year: Number(cell.year), scenario: 'actual' });
    }
    expect(await footprint()).toEqual(before);
  });

  it('imports have the same bound: the cell is rejected by row and column, nothing is written', async () => {
    const file = await workbook([['P06-H01', 'members', 2015, 'actual', 1e16], ['P06-H01', 'members', 2016, 'actual', 1e308], ['P06-H01', 'members', 2017, 'actual', 1000]]);
    const before = await footprint();
    const preview = await upload(file);
    expect(preview.status).toBe(200);
    expect(preview.body.rejects.map((r: Record<string, unknown>) => [r.row, r.column, r.field])).toEqual([[2, 'E', 'value'], [3, 'E', 'value']]);
    expect(preview.body.rejects[0].reason).toMatch(/at most/);
    const applied = await upload(file, 'reporter', `apply?token=${preview.body.token}`);
    expect(applied.status).toBe(400);
    expect(applied.body.code).toBe('VALIDATION');
    expect(await footprint()).toEqual(before);
  });

  it('a stored out-of-range pair (planted with SQL) cannot make a read fail', async () => {
    const children = (await s.gql('{ union(code: "P06") { children(year: 2015) { code } } }')).data!.union.children as { code: string }[];
    const [a, b] = children.map((c) => c.code);
    const cellOf = `(select id from figure where union_id = (select id from trade_union where code = ?) and indicator_id = (select id from indicator where code = 'members') and year = 2015 and scenario = 'actual')`;
    for (const code of [a, b]) await s.sql(`update figure set value = 1e308 where id = ${cellOf}`, [code]);
    // A revision and a proposal that are not even finite (stored before any check existed).
    await s.sql(`update figure_revision set after_value = ? where figure_id = ${cellOf}`, [Number.POSITIVE_INFINITY, a]);
    await s.sql(`update figure set proposed_value = ?, proposed_by = 'x', proposed_at = updated_at where id = ${cellOf} and status = 'approved'`, [Number.POSITIVE_INFINITY, b]);
    const knex = knexOf(s.orm);
    const ids = await s.sql<{ id: number }>('select id from trade_union where code in (?, ?)', [a, b]);
    const sync = await recheck(knex, ids.map((r) => ({ unionId: Number(r.id), indicatorCode: 'members', year: 2015, scenario: 'actual' as const })), 'test');
    expect(sync.found).toBeGreaterThan(0);

    const reads: [string, string][] = [
      ['discrepancies', '{ discrepancies(root: "P06", year: 2015, limit: 1000) { leftValue rightValue difference message drillDown { value } history { difference } } }'],
      ['grid', '{ grid(root: "P06", years: [2014, 2015, 2016], depth: 1) { rows { values } } }'],
      ['target grid', '{ grid(root: "P06", years: [2015], depth: 1, scenario: TARGET) { rows { values } } }'],
      ['figure', `{ figure(unionCode: "${a}", indicatorCode: "members", year: 2015, scenario: ACTUAL) { value proposedValue revisions { beforeValue afterValue } } }`],
      ['figures', `{ figures(unionCode: "${b}", year: 2015) { value proposedValue } }`],
      ['parent', '{ figure(unionCode: "P06", indicatorCode: "members", year: 2015, scenario: ACTUAL) { value } }'],
      ['report', '{ report(root: "P06") { tables { rows { values } } charts { members { values } } sentences { text } } }'],
      ['national report', '{ report(root: "TLD") { tables { rows { values } } charts { members { values } } } }'],
      ['progress', '{ approvalProgress(root: "P06", years: [2015]) { approved } }'],
      ['approvedFigures', '{ approvedFigures(filter: { root: "P06", years: [2015] }) { figures { value } } }'],
    ];
    for (const [name, query] of reads) {
      const r = await s.gql(query);
      expect(codes(r), name).toEqual([]);
    }
    const edition = await s.gql('mutation { generateReport(root: "P06") { id report { tables { rows { values } } } } }');
    expect(codes(edition)).toEqual([]);
    for (const ext of ['xlsx', 'docx']) expect((await get(`/reports/${edition.data!.generateReport.id}.${ext}`)).status).toBe(200);
    for (const ext of ['csv', 'json', 'xlsx']) {
      const res = await fetch(`${s.url}/exports/figures.${ext}?root=P06&years=2015`, { headers: s.auth('admin') });
      expect(res.status, ext).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      if (ext === 'json') expect(() => JSON.parse(bytes.toString())).not.toThrow();
      if (ext === 'xlsx') await new ExcelJS.Workbook().xlsx.load(bytes as never);
    }
  });
});
