/**
 * Commendation proposals (issue 15) over real HTTP: proposing a collective and an individual, what is
 * refused (VALIDATION, FORBIDDEN, a rejection without a reason, a second decision), the rank and %
 * achieved they cite against the report's ranking table, the annex of an edition's Word document read
 * back through LibreOffice, and the approved list as a workbook.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENDATION_ANNEX, formatViNumber, RANKING_KEYS } from '@unionhub/schema';
import { startTestServer, type GqlOptions, type TestServer } from './harness.js';
import { docxText, officeDir } from './office.js';

let s: TestServer;
let office: ReturnType<typeof officeDir>;

const FIELDS = 'id kind union { code name } personName position achievement rank percentAchieved status reason proposedBy proposedAt decidedBy decidedAt';
const PROPOSE = `mutation ($input: ProposeCommendationInput!) { proposeCommendation(input: $input) { ${FIELDS} } }`;
const DECIDE = `mutation ($id: ID!, $approve: Boolean!, $reason: String) { decideCommendation(id: $id, approve: $approve, reason: $reason) { ${FIELDS} } }`;
const LIST = `query ($root: String) { commendationProposals(root: $root) { ${FIELDS} } }`;
const HANOI = { user: 'reporter.hanoi' };

const propose = (input: Record<string, unknown>, opts: GqlOptions) => s.gql(PROPOSE, { input }, opts);
const decide = (id: string, approve: boolean, reason: string | null, opts: GqlOptions = {}) => s.gql(DECIDE, { id, approve, reason }, opts);
const count = async () => Number((await s.sql('select count(*) as n from commendation_proposal'))[0]!.n);
const codeOf = (e: { errors?: { extensions: { code: string } }[] }) => e.errors?.[0]?.extensions.code;

/** The ranking table of the root's report as the approved figures stand: row key → [rank, % of the first key]. */
async function rankingOf(root: string): Promise<Map<string, [number | null, number | null]>> {
  const r = await s.gql(`{ report(root: "${root}") { tables { key columns { key } rows { key kind values } } } }`);
  expect(r.errors).toBeUndefined();
  const t = r.data!.report.tables.find((x: { key: string }) => x.key === 'ranking');
  const col = (k: string) => t.columns.findIndex((c: { key: string }) => c.key === k);
  return new Map(t.rows.map((row: { key: string; values: (number | null)[] }) => [row.key, [row.values[col('rank')], row.values[col(RANKING_KEYS[0]!)]]]));
}

beforeAll(async () => {
  office = officeDir();
  s = await startTestServer();
  // The ranking needs approved actuals: the ranking keys of every level-1 union, 2013–2017 (targets are approved in the seed).
  const cells = await s.sql<{ unionCode: string; indicatorCode: string; year: number }>(
    `select u.code as "unionCode", i.code as "indicatorCode", f.year from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.level = 1 and f.scenario = 'actual' and f.year between 2013 and 2017 and i.code in (${RANKING_KEYS.map(() => '?').join(',')})`, [...RANKING_KEYS]);
  const r = await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c, lenient: true }) { movedCount } }', { c: cells.map((c) => ({ ...c, scenario: 'ACTUAL' })) });
  expect(r.errors).toBeUndefined();
  expect(r.data!.approveFigures.movedCount).toBeGreaterThan(1000);
  await s.gql('mutation { createUser(username: "reporter.hanoi", displayName: "Người báo cáo Hà Nội", password: "a-long-password") { username } }');
  await s.gql('mutation { grantRole(username: "reporter.hanoi", role: REPORTER, unionCode: "P01") { id } }');
}, 120_000);
afterAll(async () => {
  await s?.close();
  office?.remove();
});

describe('proposing', () => {
  it('a collective: a level-1 union in TLĐ\'s list, citing its rank and % achieved as the report\'s ranking table has them', async () => {
    const r = await propose({ kind: 'COLLECTIVE', unionCode: 'P01', achievement: 'Kết nạp vượt chỉ tiêu trong doanh nghiệp FDI' }, HANOI);
    expect(r.errors).toBeUndefined();
    const p = r.data!.proposeCommendation;
    expect(p).toMatchObject({ kind: 'COLLECTIVE', union: { code: 'P01' }, status: 'PROPOSED', proposedBy: 'reporter.hanoi', personName: null, decidedBy: null });
    const [rank, percent] = (await rankingOf('TLD')).get('P01')!;
    expect(rank).not.toBeNull();
    expect([p.rank, p.percentAchieved]).toEqual([rank, percent]);
  });

  it('an individual: name, position, union, achievement; citing the row of its level-1 union', async () => {
    const r = await propose({ kind: 'INDIVIDUAL', unionCode: 'P06-H02', personName: '  Lương Thị Mai ', position: 'Chủ tịch CĐCS', achievement: 'Thành lập 5 CĐCS' }, { as: 'reporter' });
    expect(r.errors).toBeUndefined();
    const p = r.data!.proposeCommendation;
    expect(p).toMatchObject({ kind: 'INDIVIDUAL', union: { code: 'P06-H02' }, personName: 'Lương Thị Mai', position: 'Chủ tịch CĐCS', status: 'PROPOSED' });
    const [rank, percent] = (await rankingOf('TLD')).get('P06')!;
    expect([p.rank, p.percentAchieved]).toEqual([rank, percent]);
  });

  it('in a province\'s own list: a level-2 union cites its row of the province\'s ranking', async () => {
    const r = await propose({ root: 'P06', kind: 'COLLECTIVE', unionCode: 'P06-H03', achievement: 'Hoàn thành chỉ tiêu' }, { as: 'reporter' });
    expect(r.errors).toBeUndefined();
    const p = r.data!.proposeCommendation;
    const [rank, percent] = (await rankingOf('P06')).get('P06-H03')!;
    expect([p.rank, p.percentAchieved]).toEqual([rank, percent]);
  });

  it('bad input is VALIDATION and writes nothing', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'INDIVIDUAL', unionCode: 'P06-H02', achievement: 'Thành tích' }, 'commendation.nameRequired'],
      [{ kind: 'INDIVIDUAL', unionCode: 'P06-H02', personName: '   ', achievement: 'Thành tích' }, 'commendation.nameRequired'],
      [{ kind: 'COLLECTIVE', unionCode: 'P99-X01', achievement: 'Thành tích' }, 'union.unknown'],
      [{ kind: 'COLLECTIVE', unionCode: 'P06-H04', personName: 'Ai đó', achievement: 'Thành tích' }, 'commendation.noPerson'],
      [{ kind: 'COLLECTIVE', unionCode: 'P06-H04', achievement: '  ' }, 'commendation.achievementRequired'],
      [{ kind: 'COLLECTIVE', unionCode: 'TLD', achievement: 'Thành tích' }, 'commendation.outsideRoot'],
      [{ root: 'P06', kind: 'COLLECTIVE', unionCode: 'P01', achievement: 'Thành tích' }, 'commendation.outsideRoot'],
      [{ kind: 'COLLECTIVE', unionCode: 'P06-H04', achievement: 'x'.repeat(4_001) }, 'input.tooLong'],
    ];
    for (const [input, key] of cases) {
      const r = await propose(input, { as: 'admin' });
      expect(codeOf(r), JSON.stringify(input)).toBe('VALIDATION');
      expect(r.errors![0]!.extensions.key, JSON.stringify(input)).toBe(key);
    }
    expect(await count()).toBe(before);
  });

  it('outside one\'s grants, or as a viewer, is FORBIDDEN', async () => {
    const before = await count();
    expect(codeOf(await propose({ kind: 'COLLECTIVE', unionCode: 'P01', achievement: 'Thành tích' }, { as: 'reporter' }))).toBe('FORBIDDEN');
    expect(codeOf(await propose({ kind: 'COLLECTIVE', unionCode: 'P06', achievement: 'Thành tích' }, HANOI))).toBe('FORBIDDEN');
    expect(codeOf(await propose({ kind: 'COLLECTIVE', unionCode: 'P02', achievement: 'Thành tích' }, { as: 'viewer' }))).toBe('FORBIDDEN');
    expect(await count()).toBe(before);
  });
});

describe('deciding', () => {
  const find = async (code: string, root = 'TLD') => (await s.gql(LIST, { root })).data!.commendationProposals.find((p: { union: { code: string }; status: string }) => p.union.code === code && p.status === 'PROPOSED');

  it('FORBIDDEN for a reporter (NOT_FOUND where it reads nothing), for a reviewer below the list\'s root, and for the proposer deciding their own', async () => {
    const hanoi = await find('P01');
    // Outside what the caller reads, the proposal is not there for it at all.
    expect(codeOf(await decide(hanoi.id, true, null, { as: 'reporter' }))).toBe('NOT_FOUND');
    expect(codeOf(await decide(hanoi.id, true, null, HANOI))).toBe('FORBIDDEN');
    const byAdmin = await propose({ kind: 'COLLECTIVE', unionCode: 'P01-H03', achievement: 'Thành tích' }, { as: 'admin' });
    expect(codeOf(await decide(byAdmin.data!.proposeCommendation.id, true, null, HANOI))).toBe('FORBIDDEN');
    const mine = await propose({ kind: 'COLLECTIVE', unionCode: 'P02', achievement: 'Thành tích' }, { as: 'admin' });
    expect(codeOf(await decide(mine.data!.proposeCommendation.id, true, null, { as: 'admin' }))).toBe('FORBIDDEN');
    const individual = await find('P06-H02');
    expect(codeOf(await decide(individual.id, true, null, { as: 'reviewer' }))).toBe('FORBIDDEN');
    expect((await find('P01')).status).toBe('PROPOSED');
    expect((await find('P06-H02')).status).toBe('PROPOSED');
  });

  it('a rejection needs a reason; decided once', async () => {
    const hanoi = await find('P01');
    for (const reason of [null, '', '   ']) {
      const r = await decide(hanoi.id, false, reason);
      expect(codeOf(r)).toBe('VALIDATION');
      expect(r.errors![0]!.extensions.key).toBe('commendation.reasonRequired');
    }
    const r = await decide(hanoi.id, false, 'Chưa có số liệu năm 2017 được duyệt');
    expect(r.errors).toBeUndefined();
    expect(r.data!.decideCommendation).toMatchObject({ status: 'REJECTED', reason: 'Chưa có số liệu năm 2017 được duyệt', decidedBy: 'admin' });
    expect(codeOf(await decide(hanoi.id, true, null))).toBe('CONFLICT');
  });

  it('approved by a reviewer above; a province\'s reviewer decides its own list', async () => {
    const individual = await find('P06-H02');
    const r = await decide(individual.id, true, null);
    expect(r.data!.decideCommendation).toMatchObject({ status: 'APPROVED', decidedBy: 'admin', personName: 'Lương Thị Mai' });
    const own = await find('P06-H03', 'P06');
    const o = await decide(own.id, true, null, { as: 'reviewer' });
    expect(o.errors).toBeUndefined();
    expect(o.data!.decideCommendation.status).toBe('APPROVED');
  });

  it('a viewer sees the approved ones only', async () => {
    const all = (await s.gql(LIST, { root: 'TLD' })).data!.commendationProposals as { status: string }[];
    const seen = (await s.gql(LIST, { root: 'TLD' }, { as: 'viewer' })).data!.commendationProposals as { status: string }[];
    expect(new Set(all.map((p) => p.status))).toEqual(new Set(['APPROVED', 'REJECTED', 'PROPOSED']));
    expect(seen.length).toBe(all.filter((p) => p.status === 'APPROVED').length);
    expect(seen.every((p) => p.status === 'APPROVED')).toBe(true);
  });
});

describe('the approved list in the edition and as a workbook', () => {
  it('the edition\'s DOCX has the annex with the approved proposals, not the rejected or pending ones', async () => {
    const g = await s.gql('mutation { generateReport(root: "TLD") { docxUrl report { tables { key columns { key } rows { key values } } } } }');
    expect(g.errors).toBeUndefined();
    const res = await fetch(`${s.url}${g.data!.generateReport.docxUrl}`, { headers: s.auth('admin') });
    const text = await docxText(office.dir, Buffer.from(await res.arrayBuffer()));
    const annex = text.slice(text.indexOf(COMMENDATION_ANNEX.title));
    expect(text).toContain(COMMENDATION_ANNEX.title);
    for (const shown of ['Lương Thị Mai', 'Nguyễn Thị Thu Hà', 'LĐLĐ tỉnh Bắc Kạn', 'Bình Dương', 'Hoàn thành vượt chỉ tiêu kết nạp đoàn viên']) expect(annex).toContain(shown);
    for (const hidden of ['Hoàng Văn Dũng', 'Duy trì tỷ lệ đoàn viên cao', 'Kết nạp vượt chỉ tiêu trong doanh nghiệp FDI', 'Dẫn đầu tỉnh']) expect(annex).not.toContain(hidden);
    // The rank and % cited are the edition's own ranking table's (Bắc Kạn's row for its individual).
    const [rank, percent] = (await rankingOf('TLD')).get('P06')!;
    const line = annex.slice(annex.indexOf('Lương Thị Mai'), annex.indexOf('Lương Thị Mai') + 400);
    expect(line).toContain(String(rank));
    expect(line).toContain(formatViNumber(percent!, 1));
  }, 120_000);

  it('the XLSX opens and lists them (through a download ticket too)', async () => {
    const t = await s.gql('mutation { downloadTicket(path: "/reports/commendations.xlsx?root=TLD") { url } }');
    expect(t.errors).toBeUndefined();
    const res = await fetch(`${s.url}${t.data!.downloadTicket.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.getWorksheet(COMMENDATION_ANNEX.sheet)!;
    const rows = ws.getSheetValues().slice(6).filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(ws.getRow(5).values).toEqual([undefined, ...COMMENDATION_ANNEX.columns]);
    const names = rows.map((r) => `${r[2]}|${r[3]}`);
    expect(names).toEqual(expect.arrayContaining(['LĐLĐ tỉnh Bắc Kạn|', expect.stringContaining('|Nguyễn Thị Thu Hà'), expect.stringContaining('|Lương Thị Mai')]));
    expect(names.join(' ')).not.toMatch(/Hoàng Văn Dũng|Y tế/);
    expect(rows.length).toBe((await s.gql(LIST, { root: 'TLD' })).data!.commendationProposals.filter((p: { status: string }) => p.status === 'APPROVED').length);
    const mai = rows.find((r) => r[3] === 'Lương Thị Mai')!;
    const [rank, percent] = (await rankingOf('TLD')).get('P06')!;
    expect([mai[6], mai[7]]).toEqual([rank, percent]);
    // Someone who reads nothing of the root gets nothing.
    const refused = await fetch(`${s.url}/reports/commendations.xlsx?root=P01`, { headers: s.auth('reporter') });
    expect(refused.status).toBe(403);
  });
});
