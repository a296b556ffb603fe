/**
 * The reporting round (issue 14) over real HTTP, the server's clock injected: expected unions across a
 * merge and a split, on time / late / missing / returned / extended at the boundary instants, blockers,
 * refusals, the seeded 2017 history and the chase list download.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { print } from 'graphql';
import { startTestServer, type As, type TestServer } from './harness.js';
import { clockOf } from '../server/src/config.js';
import { knexOf } from '../server/src/db/orm.js';
import { filledRoundCells } from './round-cells.js';
import {
  CreateReportingRoundMutation, GrantExtensionMutation, ReturnUnitReportMutation, RoundChaseListQuery, RoundOverviewQuery, RoundUnitQuery,
  SetRoundPartDeadlineMutation, SubmitUnitReportMutation,
} from '../schema/src/documents/index.js';

let s: TestServer;
let clock = new Date('2017-12-01T09:00:00+07:00');
const at = (iso: string) => { clock = new Date(iso); };
/** The last millisecond of 10/12/2017 in Asia/Ho_Chi_Minh, and the one after it. */
const DEADLINE = '2017-12-10T23:59:59.999+07:00';
const AFTER = '2017-12-11T00:00:00.000+07:00';

const doc = (d: Parameters<typeof print>[0]) => print(d);
const gql = (d: Parameters<typeof print>[0], vars: Record<string, unknown>, as: As = 'admin') => s.gql(doc(d), vars, { as });

async function createRound(input: Record<string, unknown>): Promise<string> {
  const r = await gql(CreateReportingRoundMutation, { input: { name: 'Đợt thử', periodFrom: 2013, periodTo: 2017, year: 2017, deadline: '2017-12-10', levels: [1, 2], ...input } });
  expect(r.errors).toBeUndefined();
  return r.data!.createReportingRound.id;
}
const submit = (roundId: string, unionCode: string, as: As = 'admin') => gql(SubmitUnitReportMutation, { roundId, unionCode }, as);
const unit = async (id: string, unionCode: string, as: As = 'admin') => {
  const r = await gql(RoundUnitQuery, { id, unionCode }, as);
  expect(r.errors).toBeUndefined();
  return r.data!.reportingRound.unit;
};
const events = async (roundId: string) => Number((await s.sql('select count(*) as n from unit_submission_event where round_id = ?', [Number(roundId)]))[0]!.n);

beforeAll(async () => {
  s = await startTestServer({ now: () => clock });
}, 120_000);
afterAll(async () => s?.close());

describe('the seeded 2017 round', () => {
  it('tells the level-1 story: 79 on time, 4 late (one by weeks), 4 missing; a return re-submitted; an extension kept on time', async () => {
    at('2018-01-05T09:00:00+07:00');
    const rounds = await s.gql('{ reportingRounds { id name deadline deadlineDate now } }');
    const round = rounds.data!.reportingRounds.find((r: { name: string }) => r.name.startsWith('Sơ kết 5 năm'));
    expect(round).toMatchObject({ deadline: '2017-12-10T16:59:59.999Z', deadlineDate: '2017-12-10', now: '2018-01-05T02:00:00.000Z' });
    const r = await gql(RoundOverviewQuery, { id: round.id, root: 'TLD', depth: 1 });
    expect(r.errors).toBeUndefined();
    const rows = r.data!.reportingRound.submissions as { union: { code: string }; status: string; daysLate: number | null; extension: unknown }[];
    const count = (st: string) => rows.filter((x) => x.status === st).length;
    expect(rows.length).toBe(87);
    expect([count('ON_TIME'), count('LATE'), count('MISSING'), count('RETURNED')]).toEqual([79, 4, 4, 0]);
    expect(rows.find((x) => x.union.code === 'P80')).toMatchObject({ status: 'LATE', daysLate: 19 });
    expect(rows.find((x) => x.union.code === 'P33')).toMatchObject({ status: 'ON_TIME', extension: { deadline: '2017-12-20T16:59:59.999Z' } });
    const n16 = await unit(round.id, 'N16');
    expect(n16.history.map((h: { kind: string }) => h.kind)).toEqual(['SUBMITTED', 'RETURNED', 'SUBMITTED']);
    expect(n16.status).toBe('ON_TIME');
    // The national figure counts every expected union once: the rows add up to `expected`.
    const c = r.data!.reportingRound.completeness;
    expect(c.onTime + c.late + c.missing + c.returned).toBe(c.expected);
    expect(c.expected).toBe(87 + Number((await s.sql('select count(*) as n from trade_union where level = 2 and valid_from <= 2017 and (valid_to is null or valid_to >= 2017)'))[0]!.n));
    // Every seeded cell the round asks is filled: the same count in plain SQL (actuals to 2017, targets to 2023, in each union's own years).
    const raw = await filledRoundCells(knexOf(s.orm), 2017);
    expect([c.cellsExpected, c.cellsFilled, c.cellsApproved]).toEqual([raw.filled, raw.filled, raw.approved]);
  });
});

describe('expected unions come from the round year\'s tree', () => {
  it('a split in 2016: the successors are expected, the predecessor is neither expected nor chased; the rate stays ≤ 100 %', async () => {
    at('2016-12-10T09:00:00+07:00');
    const id = await createRound({ year: 2016, periodTo: 2016, deadline: '2016-12-15', levels: [2], years: [2013, 2014, 2015, 2016], scenarios: ['ACTUAL'] });
    expect((await submit(id, 'P01-H05')).errors?.[0]?.extensions.code).toBe('VALIDATION');
    for (const code of ['P01-H31', 'P01-H32']) expect((await submit(id, code)).errors).toBeUndefined();
    const r = await gql(RoundOverviewQuery, { id, root: 'P01', depth: 1 });
    const codes = r.data!.reportingRound.submissions.map((x: { union: { code: string } }) => x.union.code);
    expect(codes).toEqual(expect.arrayContaining(['P01-H31', 'P01-H32']));
    expect(codes).not.toContain('P01-H05');
    const c = r.data!.reportingRound.completeness;
    expect(c.expected).toBe(Number((await s.sql("select count(*) as n from trade_union where code like 'P01-%' and valid_from <= 2016 and (valid_to is null or valid_to >= 2016)"))[0]!.n));
    expect(c.submitted).toBeLessThanOrEqual(c.expected);
    expect(c.expected).toBe(codes.length);
    // A union founded in 2016 owes only its own years' cells (44 indicators × 2016).
    expect((await unit(id, 'P01-H31')).cellsExpected).toBe(44);
    const chase = await gql(RoundChaseListQuery, { id, root: 'P01' });
    const chased = chase.data!.reportingRound.chaseList.map((x: { union: { code: string } }) => x.union.code);
    expect(chased).not.toContain('P01-H05');
    expect(chased).not.toContain('P01-H31');
  });

  it('a merge in 2015: the merged union is expected once, never its predecessors', async () => {
    at('2015-12-20T09:00:00+07:00');
    const id = await createRound({ year: 2015, periodTo: 2015, deadline: '2015-12-15', levels: [2], years: [2015], scenarios: ['ACTUAL'], indicators: ['members'] });
    for (const code of ['P74-K01', 'P74-K02']) expect((await submit(id, code)).errors?.[0]?.extensions.code).toBe('VALIDATION');
    expect((await submit(id, 'P74-K04')).errors).toBeUndefined();
    const r = await gql(RoundOverviewQuery, { id, root: 'P74', depth: 1 });
    const codes = r.data!.reportingRound.submissions.map((x: { union: { code: string } }) => x.union.code);
    expect(codes).toContain('P74-K04');
    expect(codes.filter((c: string) => c === 'P74-K01' || c === 'P74-K02')).toEqual([]);
    const c = r.data!.reportingRound.completeness;
    expect(c.submitted).toBe(1);
    expect(c.expected).toBe(codes.length);
    const chase = await gql(RoundChaseListQuery, { id, root: 'P74' });
    expect(chase.data!.reportingRound.chaseList.map((x: { union: { code: string } }) => x.union.code)).not.toEqual(expect.arrayContaining(['P74-K01']));
  });
});

describe('status at the boundary instants (deadline 10/12/2017 = 23:59:59.999 +07:00)', () => {
  let id: string;
  beforeAll(async () => {
    at('2017-12-01T09:00:00+07:00');
    id = await createRound({ levels: [1], years: [2017], scenarios: ['ACTUAL'], indicators: ['members'] });
  });

  it('on time at the last millisecond, late one millisecond later, missing before and after', async () => {
    expect((await unit(id, 'P12')).status).toBe('MISSING');
    expect((await unit(id, 'P12')).daysLate).toBeNull();
    expect(await unit(id, 'P12')).toMatchObject({ cellsExpected: 1, cellsFilled: 1, cellsApproved: 0 });
    at(DEADLINE);
    expect((await submit(id, 'P08')).data!.submitUnitReport).toMatchObject({ status: 'ON_TIME', daysLate: null, firstSubmittedAt: '2017-12-10T16:59:59.999Z' });
    at(AFTER);
    expect((await submit(id, 'P10')).data!.submitUnitReport).toMatchObject({ status: 'LATE', daysLate: 1 });
    expect(await unit(id, 'P12')).toMatchObject({ status: 'MISSING', daysLate: 1 });
  });

  it('returned until re-submitted (the first submission still decides on time), every step in the trail', async () => {
    at('2017-12-12T10:00:00+07:00');
    const r = await gql(ReturnUnitReportMutation, { roundId: id, unionCode: 'P08', reason: 'Thiếu số nữ' });
    expect(r.data!.returnUnitReport.status).toBe('RETURNED');
    expect((await gql(ReturnUnitReportMutation, { roundId: id, unionCode: 'P08', reason: 'again' })).errors?.[0]?.extensions.code).toBe('FORBIDDEN_TRANSITION');
    expect((await gql(ReturnUnitReportMutation, { roundId: id, unionCode: 'P10', reason: '' })).errors?.[0]?.extensions.code).toBe('VALIDATION');
    at('2017-12-13T10:00:00+07:00');
    const again = await submit(id, 'P08');
    expect(again.data!.submitUnitReport.status).toBe('ON_TIME');
    expect(again.data!.submitUnitReport.history.map((h: { kind: string; reason: string | null }) => [h.kind, h.reason])).toEqual([['SUBMITTED', null], ['RETURNED', 'Thiếu số nữ'], ['SUBMITTED', null]]);
    expect((await submit(id, 'P08')).errors?.[0]?.extensions.code).toBe('FORBIDDEN_TRANSITION');
  });

  it('an extension moves the deadline to the end of its day: on time at its last millisecond, late after', async () => {
    at('2017-12-11T09:00:00+07:00');
    for (const code of ['P14', 'P15']) {
      const x = await gql(GrantExtensionMutation, { roundId: id, unionCode: code, deadline: '2017-12-15', reason: 'Bão lũ' });
      expect(x.data!.grantExtension).toMatchObject({ status: 'MISSING', deadline: '2017-12-15T16:59:59.999Z', originalDeadline: '2017-12-10T16:59:59.999Z', extension: { reason: 'Bão lũ', grantedBy: 'admin' } });
    }
    at('2017-12-15T23:59:59.999+07:00');
    expect((await submit(id, 'P14')).data!.submitUnitReport).toMatchObject({ status: 'ON_TIME' });
    at('2017-12-16T00:00:00.000+07:00');
    expect((await submit(id, 'P15')).data!.submitUnitReport).toMatchObject({ status: 'LATE', daysLate: 1 });
    expect((await unit(id, 'P14')).history.map((h: { kind: string }) => h.kind)).toEqual(['EXTENDED', 'SUBMITTED']);
  });

  it('an extension not after the original deadline, or in a closed year, is VALIDATION and recorded nowhere', async () => {
    const before = await events(id);
    at('2017-12-11T09:00:00+07:00');
    expect((await gql(GrantExtensionMutation, { roundId: id, unionCode: 'P17', deadline: '2017-12-10', reason: 'x' })).errors?.[0]?.extensions.code).toBe('VALIDATION');
    expect((await gql(GrantExtensionMutation, { roundId: id, unionCode: 'P17', deadline: '2019-01-05', reason: 'x' })).errors?.[0]?.extensions.code).toBe('VALIDATION');
    at('2019-01-02T09:00:00+07:00');
    expect((await gql(GrantExtensionMutation, { roundId: id, unionCode: 'P17', deadline: '2018-12-30', reason: 'x' })).errors?.[0]?.extensions.code).toBe('VALIDATION');
    expect(await events(id)).toBe(before);
  });
});

describe('blockers and refusals', () => {
  it('a submission with something blocking lists every blocker (INCOMPLETE, 4xx) and records nothing', async () => {
    at('2017-12-05T09:00:00+07:00');
    const id = await createRound({ levels: [1, 2], years: [2015, 2016, 2017], scenarios: ['ACTUAL'] });
    // P38 carries a planted balance discrepancy in 2015; a blank cell is made on P06.
    await s.sql("delete from figure where union_id = (select id from trade_union where code = 'P06') and year = 2017 and scenario = 'actual' and indicator_id in (select id from indicator where code in ('members', 'funding'))");
    const res = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...s.auth('reporter') }, body: JSON.stringify({ query: doc(SubmitUnitReportMutation), variables: { roundId: id, unionCode: 'P06' } }) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as { errors: { extensions: { code: string; blockers: { kind: string; indicatorCode: string; year: number }[] } }[] };
    expect(body.errors[0]!.extensions.code).toBe('INCOMPLETE');
    expect(body.errors[0]!.extensions.blockers.map((b) => `${b.kind}:${b.indicatorCode}:${b.year}`).sort()).toEqual(['BLANK_CELL:funding:2017', 'BLANK_CELL:members:2017']);
    const p38 = await submit(id, 'P38');
    expect(p38.errors?.[0]?.extensions.code).toBe('INCOMPLETE');
    expect(p38.errors![0]!.extensions.blockers.some((b: { kind: string; discrepancyId: number }) => b.kind === 'OPEN_DISCREPANCY' && b.discrepancyId)).toBe(true);
    const page = await unit(id, 'P06', 'reporter');
    expect(page.blockers).toHaveLength(2);
    expect(page.canSubmit).toBe(true);
    // A viewer is told nothing of what blocks (the blockers carry discrepancies' values) and may not submit.
    expect(await unit(id, 'P06', 'viewer')).toMatchObject({ blockers: [], canSubmit: false });
    expect(await events(id)).toBe(0);
  });

  it('outside one\'s grants a submission, return or extension is FORBIDDEN (403)', async () => {
    at('2017-12-05T09:00:00+07:00');
    const id = await createRound({ levels: [1, 2], years: [2017], scenarios: ['ACTUAL'], indicators: ['grassroots'] });
    const res = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...s.auth('reporter') }, body: JSON.stringify({ query: doc(SubmitUnitReportMutation), variables: { roundId: id, unionCode: 'P08' } }) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('FORBIDDEN');
    expect((await submit(id, 'P06', 'viewer')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await submit(id, 'P06-H01', 'reviewer')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await submit(id, 'P06', 'reporter')).errors).toBeUndefined();
    // The reviewer of Bắc Kạn is not above Bắc Kạn itself, but is above its districts.
    expect((await gql(ReturnUnitReportMutation, { roundId: id, unionCode: 'P06', reason: 'x' }, 'reviewer')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await gql(GrantExtensionMutation, { roundId: id, unionCode: 'P06', deadline: '2017-12-20', reason: 'x' }, 'reviewer')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await gql(GrantExtensionMutation, { roundId: id, unionCode: 'P06-H01', deadline: '2017-12-20', reason: 'x' }, 'reviewer')).errors).toBeUndefined();
    expect((await gql(CreateReportingRoundMutation, { input: { name: 'x', periodFrom: 2013, periodTo: 2017, year: 2017, deadline: '2017-12-10', levels: [1] } }, 'reviewer')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(await events(id)).toBe(2);
  });

  it('viewers see completeness but not the chase list', async () => {
    at('2018-01-05T09:00:00+07:00');
    const ok = await gql(RoundOverviewQuery, { id: '1', root: 'TLD', depth: 1 }, 'viewer');
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.reportingRound.completeness.expected).toBeGreaterThan(1000);
    const refused = await gql(RoundChaseListQuery, { id: '1', root: 'TLD' }, 'viewer');
    expect(refused.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await fetch(`${s.url}/files/rounds/1/chase.csv`, { headers: s.auth('viewer') })).status).toBe(403);
  });
});

describe('the chase list download', () => {
  it('CSV (UTF-8 with a BOM) and XLSX list the late, missing and returned with their reporters', async () => {
    at('2018-01-05T09:00:00+07:00');
    const chase = await gql(RoundChaseListQuery, { id: '1', root: 'TLD' });
    const entries = chase.data!.reportingRound.chaseList as { union: { code: string }; status: string; reporters: { name: string; email: string | null }[] }[];
    expect(entries.find((e) => e.union.code === 'N11')).toMatchObject({ status: 'MISSING', reporters: [{ email: 'baocao.n11@congdoan.example' }] });
    expect(entries.find((e) => e.union.code === 'P06')?.reporters).toEqual([{ name: 'Người báo cáo — LĐLĐ Bắc Kạn', email: 'baocao.backan@congdoan.example' }]);
    expect(entries.some((e) => e.status === 'ON_TIME')).toBe(false);

    const csv = await fetch(`${s.url}/files/rounds/1/chase.csv?root=TLD`, { headers: s.auth('admin') });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="Danh-sach-don-doc-TLD-2018-01-05\.csv"/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Mã đơn vị,Tên đơn vị,Cấp,Tình trạng,Hạn nộp,Số ngày muộn,Gửi lần cuối,Người báo cáo,Thư điện tử');
    expect(lines.find((l) => l.startsWith('N11,'))).toMatch(/,Chưa gửi,10\/12\/2017,26,,Người báo cáo — Công đoàn Bưu điện Việt Nam,baocao\.n11@congdoan\.example$/);
    expect(lines.length - 1).toBe(entries.reduce((n, e) => n + Math.max(1, e.reporters.length), 0));

    const xlsx = await fetch(`${s.url}/files/rounds/1/chase.xlsx?root=P01`, { headers: s.auth('admin') });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const p01 = (await gql(RoundChaseListQuery, { id: '1', root: 'P01' })).data!.reportingRound.chaseList as { union: { code: string }; status: string }[];
    const table = rows.slice(rows.findIndex((r) => r[0] === 'Mã đơn vị') + 1);
    expect(table.map((r) => r[0])).toEqual(p01.map((e) => e.union.code));
    expect(table.find((r) => r[0] === 'P01-H02')?.[3]).toBe('Bị trả lại');
  });
});

describe('a bad root', () => {
  it('the download refuses it as the GraphQL field does: same code, same message', async () => {
    const root = 'P06 ; drop';
    const field = (await gql(RoundChaseListQuery, { id: '1', root })).errors?.[0];
    const res = await fetch(`${s.url}/files/rounds/1/chase.csv?root=${encodeURIComponent(root)}`, { headers: s.auth('admin') });
    expect(res.status).toBe(400);
    const file = ((await res.json()) as { code: string; message: string });
    expect(field?.extensions.code).toBe('VALIDATION');
    expect({ code: file.code, message: file.message }).toEqual({ code: field!.extensions.code, message: field!.message });
  });
});

describe("the report's cover knows the round", () => {
  it('an edition issued states how many level-1 unions reported and on time at that moment, and lists the missing', async () => {
    at('2018-01-05T09:00:00+07:00');
    const r = await s.gql('mutation { generateReport(root: "TLD") { id } }');
    expect(r.errors).toBeUndefined();
    const res = await fetch(`${s.url}/reports/${r.data!.generateReport.id}.xlsx`, { headers: s.auth('admin') });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const lines: string[] = [];
    wb.worksheets[0]!.eachRow((row) => lines.push((row.values as unknown[]).slice(1).map(String).join(' | ')));
    expect(lines.find((l) => l.startsWith('Đợt báo cáo «Sơ kết 5 năm'))).toMatch(/\(tính đến 09:00 05\/01\/2018\): 83 trên 87 đơn vị cấp tỉnh, ngành trung ương đã gửi báo cáo, 79 đúng hạn\.$/);
    const missing = lines.slice(lines.indexOf('Đơn vị chưa gửi báo cáo') + 1, lines.indexOf('Đơn vị chưa gửi báo cáo') + 5).map((l) => l.split(' | ')[1]);
    expect(missing.sort()).toEqual(['N11', 'P06', 'P58', 'T04']);
  }, 60_000);
});

describe('the clock', () => {
  it('CLOCK starts the server at that instant and runs on from it; an ID that is no round is none', async () => {
    const now = clockOf({ CLOCK: '2017-12-08T09:00:00+07:00' }, Date.now() - 5_000);
    expect(now().getTime() - Date.parse('2017-12-08T09:00:00+07:00')).toBeGreaterThanOrEqual(5_000);
    expect(clockOf({ CLOCK: undefined })().getFullYear()).toBeGreaterThan(2025);
    expect((await s.gql('{ reportingRound(id: "x1") { id } }')).data).toEqual({ reportingRound: null });
    expect((await submit('99999999999', 'P06')).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });
});

describe('one request, one instant, one read of a subtree', () => {
  /** Reads of the trail under P01: one per read of its unions' states (the scheduled reminders read TLĐ's). */
  let reads = 0;
  const count = (q: { sql: string; bindings?: unknown[] }) => {
    if (/from [`"]?unit_submission_event[`"]? [`"]?e[`"]?/i.test(q.sql) && /group by/i.test(q.sql) && q.bindings?.includes('/TLD/P01/')) reads++;
  };
  beforeAll(() => void knexOf(s.orm).on('query', count));
  afterAll(() => void knexOf(s.orm).off('query', count));
  const fields = {
    completeness: 'completeness(root: "P01") { expected onTime }',
    submissions: 'submissions(root: "P01") { union { code } status }',
  };

  it('submissions filters the subtree completeness read, whichever field comes first', async () => {
    at('2018-01-05T09:00:00+07:00');
    for (const order of [[fields.completeness, fields.submissions], [fields.submissions, fields.completeness]]) {
      reads = 0;
      const r = await s.gql(`{ reportingRound(id: "1") { ${order.join(' ')} } }`);
      expect(r.errors).toBeUndefined();
      expect(r.data!.reportingRound.submissions.length).toBeGreaterThan(5);
      expect(reads, order[0]).toBe(1);
    }
  });
});

describe("a level-1 union's own deadline", () => {
  it('set by two reviewers at once: one row, no error', async () => {
    at('2017-12-01T09:00:00+07:00');
    const id = await createRound({ levels: [1, 2], years: [2017], scenarios: ['ACTUAL'], indicators: ['grassroots'] });
    for (let i = 0; i < 3; i++) {
      const answers = await Promise.all(['2017-12-05', '2017-12-06'].map((deadline) => gql(SetRoundPartDeadlineMutation, { roundId: id, unionCode: 'P01', deadline })));
      expect(answers.map((a) => a.errors?.[0]?.extensions.code ?? null)).toEqual([null, null]);
    }
    const rows = await s.sql<{ deadline: unknown }>('select deadline from round_part where round_id = ?', [Number(id)]);
    expect(rows.length).toBe(1);
  });
});
