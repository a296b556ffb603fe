/**
 * The written report (issue 15, server half) over real HTTP: a rich document's round trip through
 * save, versions and diff; HTML and script neutralised; documents refused with VALIDATION and
 * nothing written; grants (FORBIDDEN); two concurrent saves (one CONFLICT, no text lost); submit /
 * approve / send back by role; search without diacritics, ranked, with <mark> snippets, limited to
 * what the caller reads; the round's SECTION_MISSING blockers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKind, startTestServer, type As, type GqlResponse, type TestServer } from './harness.js';
import { MESSAGE_KEYS, renderMessage, type MessageParams } from '../schema/src/index.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  // A reporter granted one other province only (Hà Nội).
  await s.gql('mutation { createUser(username: "reporter.hanoi", displayName: "Người báo cáo — Hà Nội", password: "a-long-password") { username } }');
  await s.gql('mutation { grantRole(username: "reporter.hanoi", role: REPORTER, unionCode: "P01") { id } }');
}, 120_000);
afterAll(async () => s?.close());

type Doc = { type: string; content?: Doc[]; text?: string; attrs?: Record<string, unknown>; marks?: { type: string; attrs?: Record<string, unknown> }[] };
const t = (text: string, ...marks: Doc['marks'] & object) => ({ type: 'text', text, ...(marks.length ? { marks } : {}) });
const p = (...content: Doc[]): Doc => ({ type: 'paragraph', content });
const doc = (...content: Doc[]): Doc => ({ type: 'doc', content });
const item = (text: string): Doc => ({ type: 'listItem', content: [p(t(text))] });

const SECTION = 'id status version document html plainText updatedBy returnReason approvedVersion canEdit canSubmit canReview';
const SAVE = `mutation ($u: String!, $s: String!, $d: SectionDocument!, $b: Int!) { saveSection(unionCode: $u, section: $s, document: $d, baseVersion: $b) { ${SECTION} } }`;
const READ = `query ($u: String!, $s: String!) { unitSection(unionCode: $u, section: $s) { ${SECTION} versions { version savedBy bytes plainText html } history { kind version actor reason } comments { text author } } }`;
type Opts = { as?: As; user?: string };
const save = (u: string, section: string, d: unknown, b: number, o: Opts = {}) => s.gql(SAVE, { u, s: section, d, b }, o);
const read = async (u: string, section: string, o: Opts = {}) => {
  const r = await s.gql(READ, { u, s: section }, o);
  expect(r.errors).toBeUndefined();
  return r.data!.unitSection;
};
const ok = <T>(r: GqlResponse<T>): T => {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
};
/** Every message key a refusal of this file carried, with its params (the last describe checks them all). */
const saidKeys = new Map<string, MessageParams>();
const codeOf = (r: GqlResponse) => {
  for (const e of r.errors ?? []) if (typeof e.extensions.key === 'string') saidKeys.set(e.extensions.key, e.extensions.params ?? {});
  return r.errors?.[0]?.extensions.code;
};
const versionsKept = async () => Number((await s.sql('select count(*) as n from section_version'))[0]!.n);

const RICH = doc(
  { type: 'heading', attrs: { level: 3 }, content: [t('Công tác triển khai')] },
  p(t('Ban Thường vụ đã ban hành '), t('kế hoạch số 12', { type: 'bold' }), t(' và '), t('hướng dẫn', { type: 'italic' }), t(' của '), t('TLĐ', { type: 'link', attrs: { href: 'https://www.congdoan.vn/' } }), t('.')),
  { type: 'bulletList', content: [item('Phổ biến đến cấp huyện'), { type: 'listItem', content: [p(t('Kiểm tra định kỳ')), { type: 'orderedList', attrs: { start: 3 }, content: [item('Quý I'), item('Quý III')] }] }] },
  { type: 'table', content: [
    { type: 'tableRow', content: [{ type: 'tableHeader', content: [p(t('Năm'))] }, { type: 'tableHeader', attrs: { colspan: 2 }, content: [p(t('Kết quả'))] }] },
    { type: 'tableRow', content: [{ type: 'tableCell', content: [p(t('2017'))] }, { type: 'tableCell', content: [p(t('1.402'))] }, { type: 'tableCell', content: [p(t('21'))] }] },
  ] },
  { type: 'blockquote', content: [p(t('Trích: '), t('nguồn', { type: 'link', attrs: { href: '#/writing/P06/lessons?version=2' } }))] },
);

describe('the catalogue', () => {
  it("lists part II's sections in order, with levels, required, addressees and figures", async () => {
    const r = ok(await s.gql('{ reportSections { code order part levels required addressee figures } }'));
    const codes = r.reportSections.map((x: { code: string }) => x.code);
    expect(codes).toEqual(['organising', 'surveys', 'advising', 'recruiting', 'models', 'training', 'results', 'grading', 'conditions', 'causes', 'lessons',
      'forecast', 'plan', 'solutions', 'recommendations.party', 'recommendations.state', 'recommendations.tld', 'conclusion80']);
    expect(r.reportSections.map((x: { order: number }) => x.order)).toEqual(codes.map((_: string, i: number) => i + 1));
    expect(r.reportSections.find((x: { code: string }) => x.code === 'recommendations.state')).toMatchObject({ addressee: 'STATE', part: 'II.3' });
    expect(r.reportSections.find((x: { code: string }) => x.code === 'plan')).toMatchObject({ figures: 'plan', required: true });
    // A direct superior union writes every section but the assessment of Kết luận 80.
    const h01 = ok(await s.gql('{ unitSections(unionCode: "P06-H01") { section { code } status } }', {}, { as: 'reporter' }));
    expect(h01.unitSections.map((x: { section: { code: string } }) => x.section.code)).not.toContain('conclusion80');
    expect(h01.unitSections.length).toBe(17);
  });
});

describe('writing', () => {
  it('round-trips a rich document (heading, bold, italic, link, nested lists, table, quote): same document, HTML, plain text, versions and a word diff', async () => {
    const saved = ok(await save('P06-H02', 'organising', RICH, 0, { as: 'reporter' })).saveSection;
    expect(saved).toMatchObject({ status: 'DRAFT', version: 1, updatedBy: 'Người báo cáo — LĐLĐ Bắc Kạn', canEdit: true, canSubmit: true, canReview: false });
    const back = await read('P06-H02', 'organising', { as: 'reporter' });
    expect(back.document).toEqual(RICH);
    expect(back.html).toBe(
      '<h3>Công tác triển khai</h3><p>Ban Thường vụ đã ban hành <strong>kế hoạch số 12</strong> và <em>hướng dẫn</em> của '
      + '<a href="https://www.congdoan.vn/" target="_blank" rel="noopener noreferrer nofollow">TLĐ</a>.</p>'
      + '<ul><li><p>Phổ biến đến cấp huyện</p></li><li><p>Kiểm tra định kỳ</p><ol start="3"><li><p>Quý I</p></li><li><p>Quý III</p></li></ol></li></ul>'
      + '<table><tbody><tr><th><p>Năm</p></th><th colspan="2"><p>Kết quả</p></th></tr><tr><td><p>2017</p></td><td><p>1.402</p></td><td><p>21</p></td></tr></tbody></table>'
      + '<blockquote><p>Trích: <a href="#/writing/P06/lessons?version=2">nguồn</a></p></blockquote>',
    );
    expect(back.plainText).toBe(['Công tác triển khai', 'Ban Thường vụ đã ban hành kế hoạch số 12 và hướng dẫn của TLĐ.', '- Phổ biến đến cấp huyện', '- Kiểm tra định kỳ',
      '  3. Quý I', '  4. Quý III', 'Năm | Kết quả', '2017 | 1.402 | 21', 'Trích: nguồn'].join('\n'));

    const edited = structuredClone(RICH);
    edited.content![1]!.content![1]!.text = 'kế hoạch số 15';
    edited.content!.push(p(t('Bổ sung cuối kỳ.')));
    expect(ok(await save('P06-H02', 'organising', edited, 1, { as: 'reporter' })).saveSection.version).toBe(2);
    const after = await read('P06-H02', 'organising', { as: 'reporter' });
    expect(after.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(after.versions[1].plainText).toBe(back.plainText);
    expect(after.history.map((h: { kind: string; version: number }) => `${h.kind}${h.version}`)).toEqual(['SAVED1', 'SAVED2']);
    const diff = ok(await s.gql('{ unitSection(unionCode: "P06-H02", section: "organising") { diff(from: 1, to: 2) { kind text } } }', {}, { as: 'reporter' })).unitSection.diff as { kind: string; text: string }[];
    expect(diff.filter((d) => d.kind === 'REMOVED').map((d) => d.text.trim())).toEqual(['12']);
    expect(diff.filter((d) => d.kind === 'ADDED').map((d) => d.text.trim()).join(' ')).toBe('15 Bổ sung cuối kỳ.');
    expect(diff.filter((d) => d.kind !== 'ADDED').map((d) => d.text).join('')).toBe(back.plainText);
  });

  it('neutralises HTML and script in any text: escaped in html, never a tag or handler of its own', async () => {
    const evil = doc(p(t('<script>alert(1)</script>')), p(t('<img src=x onerror=alert(1)>'), t('" onmouseover="alert(1)', { type: 'bold' })),
      p(t('x', { type: 'link', attrs: { href: 'https://example.org/"><script>alert(1)</script>' } })));
    const bad = await save('P06-H02', 'surveys', evil, 0, { as: 'reporter' });
    // The link's href with markup in it is refused; the same text without the link is stored, escaped.
    expect(codeOf(bad)).toBe('VALIDATION');
    evil.content!.pop();
    const html = ok(await save('P06-H02', 'surveys', evil, 0, { as: 'reporter' })).saveSection.html as string;
    expect(html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>&lt;img src=x onerror=alert(1)&gt;<strong>&quot; onmouseover=&quot;alert(1)</strong></p>');
    expect(html).not.toMatch(/<(script|img)/i);
    for (const tag of html.match(/<[^>]*>/g)!) expect(tag).toMatch(/^<\/?(p|strong)>$/);
  });

  it.each([
    ['a javascript: link', doc(p(t('bấm', { type: 'link', attrs: { href: 'javascript:alert(1)' } }))), 'section.badHref'],
    ['a data: link', doc(p(t('bấm', { type: 'link', attrs: { href: 'data:text/html,<script>alert(1)</script>' } }))), 'section.badHref'],
    ['an unknown node type', doc({ type: 'image', attrs: { src: 'x' } }), 'section.unknownNode'],
    ['a disallowed mark', doc(p(t('gạch chân', { type: 'underline' }))), 'section.unknownMark'],
    ['an unknown attribute', doc({ type: 'paragraph', attrs: { style: 'color:red' }, content: [t('x')] }), 'section.badAttr'],
    ['a node in the wrong place', doc({ type: 'listItem', content: [p(t('x'))] }), 'section.misplacedNode'],
    ['a heading level 1', doc({ type: 'heading', attrs: { level: 1 }, content: [t('x')] }), 'section.badAttr'],
    ['not a document', { type: 'paragraph' }, 'section.notDocument'],
    ['an oversized document', doc(...Array.from({ length: 800 }, () => p(t('Đoàn viên công đoàn '.repeat(15))))), 'section.tooLarge'],
  ])('refuses %s with VALIDATION and writes nothing', async (_, d, key) => {
    const before = await versionsKept();
    const r = await save('P06-H02', 'advising', d, 0, { as: 'reporter' });
    expect(codeOf(r)).toBe('VALIDATION');
    expect(r.errors![0]!.extensions.key).toBe(key);
    expect(await versionsKept()).toBe(before);
    expect((await read('P06-H02', 'advising', { as: 'reporter' })).status).toBe('EMPTY');
  });

  it('refuses an unknown section, one the union does not write, a nesting too deep, an empty text, submitting without the right and a version that does not exist', async () => {
    expect(codeOf(await s.gql(READ, { u: 'P06', s: 'epilogue' }))).toBe('VALIDATION');
    expect(codeOf(await s.gql(READ, { u: 'P06-H01', s: 'conclusion80' }))).toBe('VALIDATION');
    let deep: Doc = { type: 'bulletList', content: [item('sâu')] };
    for (let i = 0; i < 7; i++) deep = { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('mức')), deep] }] };
    expect(codeOf(await save('P06-H02', 'advising', doc(deep), 0, { as: 'reporter' }))).toBe('VALIDATION');
    expect(codeOf(await save('P06-H02', 'advising', doc(p({ type: 'text', text: '' })), 0, { as: 'reporter' }))).toBe('VALIDATION');
    expect(codeOf(await s.gql('mutation { submitSection(unionCode: "P06", section: "recruiting") { status } }', {}, { as: 'viewer' }))).toBe('FORBIDDEN');
    expect(codeOf(await s.gql('{ unitSection(unionCode: "P06", section: "lessons") { diff(from: 1, to: 9) { text } } }'))).toBe('NOT_FOUND');
    expect([...saidKeys.keys()]).toEqual(expect.arrayContaining(['section.unknown', 'section.notWritten', 'section.tooDeep', 'section.badText', 'section.forbiddenSubmit', 'section.noVersion']));
  });

  it("refuses writing outside one's grants (FORBIDDEN) and reading another province's section", async () => {
    const r = await save('P01', 'organising', doc(p(t('Hà Nội'))), 0, { as: 'reporter' });
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(r.errors![0]!.extensions.key).toBe('section.forbiddenEdit');
    expect(codeOf(await s.gql(READ, { u: 'P06', s: 'lessons' }, { user: 'reporter.hanoi' }))).toBe('FORBIDDEN');
    // A reviewer reads and comments but does not write.
    expect(codeOf(await save('P06-H01', 'organising', doc(p(t('x'))), 0, { as: 'reviewer' }))).toBe('FORBIDDEN');
  });

  it('two concurrent saves from one version: exactly one CONFLICT, which carries the winner\'s text; both texts kept after the merge', async () => {
    for (const [section, base] of [['training', 0], ['conditions', 1]] as const) {
      if (base === 1) ok(await save('P06-H02', section, doc(p(t('Bản đầu.'))), 0, { as: 'reporter' }));
      const mine = doc(p(t('Bản của người báo cáo: mở 12 lớp tập huấn.')));
      const theirs = doc(p(t('Bản của Ban Tổ chức: mở 14 lớp tập huấn.')));
      const [a, b] = await Promise.all([save('P06-H02', section, mine, base, { as: 'reporter' }), save('P06-H02', section, theirs, base, { as: 'admin' })]);
      const codes = [codeOf(a), codeOf(b)];
      expect(codes.filter((c) => c === 'CONFLICT'), `${section}: ${JSON.stringify(codes)}`).toHaveLength(1);
      expect(codes.filter((c) => c === undefined)).toHaveLength(1);
      const [won, lost, lostDoc] = codeOf(a) ? [b, a, mine] : [a, b, theirs];
      const winner = won.data!.saveSection;
      const ext = lost.errors![0]!.extensions;
      expect(ext).toMatchObject({ key: 'section.conflict', currentVersion: base + 1, currentPlainText: winner.plainText, currentHtml: winner.html, currentDocument: winner.document });
      // The loser merges (keeps both) on top of the winner's version: nothing is lost.
      const merged = doc(...(ext.currentDocument as Doc).content!, ...lostDoc.content!);
      ok(await save('P06-H02', section, merged, ext.currentVersion, { as: codeOf(a) ? 'reporter' : 'admin' }));
      const kept = await read('P06-H02', section, { as: 'reporter' });
      expect(kept.plainText).toBe(`${winner.plainText}\n${lostDoc.content![0]!.content![0]!.text}`);
      expect(kept.versions.map((v: { version: number }) => v.version)).toEqual(base === 1 ? [3, 2, 1] : [2, 1]);
    }
  });
});

describe('submit, approve, send back', () => {
  it('the reporter submits, cannot approve; the reviewer above approves the version read; a newer version meanwhile is CONFLICT; sent back with a reason', async () => {
    const call = (m: string, args: string, as: As) => s.gql(`mutation { ${m}(unionCode: "P06-H01", section: "lessons"${args}) { status version approvedVersion returnReason canReview } }`, {}, { as });
    ok(await save('P06-H01', 'lessons', doc(p(t('Bài học: bám sát cơ sở.'))), 0, { as: 'reporter' }));
    expect(codeOf(await call('approveSection', ', version: 1', 'reviewer'))).toBe('FORBIDDEN_TRANSITION');
    expect(ok(await call('submitSection', '', 'reporter')).submitSection).toMatchObject({ status: 'SUBMITTED', version: 1 });
    expect(codeOf(await call('submitSection', '', 'reporter'))).toBe('FORBIDDEN_TRANSITION');
    expect(codeOf(await call('approveSection', ', version: 1', 'reporter'))).toBe('FORBIDDEN');
    expect((await read('P06-H01', 'lessons', { as: 'reviewer' })).canReview).toBe(true);
    // The reporter edits meanwhile: the submission is taken back (DRAFT) and the reviewer's read is stale.
    ok(await save('P06-H01', 'lessons', doc(p(t('Bài học: bám sát cơ sở, nắm chắc doanh nghiệp.'))), 1, { as: 'reporter' }));
    expect((await read('P06-H01', 'lessons', { as: 'reviewer' })).status).toBe('DRAFT');
    ok(await call('submitSection', '', 'reporter'));
    const stale = await call('approveSection', ', version: 1', 'reviewer');
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(stale.errors![0]!.extensions).toMatchObject({ key: 'section.approveConflict', currentVersion: 2 });
    expect(ok(await call('approveSection', ', version: 2', 'reviewer')).approveSection).toMatchObject({ status: 'APPROVED', approvedVersion: 2, canReview: false });
    expect(codeOf(await call('sendBackSection', ', reason: "  "', 'reviewer'))).toBe('VALIDATION');
    expect(ok(await call('sendBackSection', ', reason: "Thiếu số liệu minh họa"', 'reviewer')).sendBackSection).toMatchObject({ status: 'RETURNED', returnReason: 'Thiếu số liệu minh họa', approvedVersion: 2 });
    const h = await read('P06-H01', 'lessons', { as: 'reporter' });
    expect(h.history.map((e: { kind: string; version: number; reason: string | null }) => [e.kind, e.version, e.reason])).toEqual([
      ['SAVED', 1, null], ['SUBMITTED', 1, null], ['SAVED', 2, null], ['SUBMITTED', 2, null], ['APPROVED', 2, null], ['RETURNED', 2, 'Thiếu số liệu minh họa']]);
    expect(h.history[4].actor).toBe('Người duyệt — LĐLĐ Bắc Kạn');
    // The viewer reads the approved version only, without trail or versions.
    expect(await read('P06-H01', 'lessons', { as: 'viewer' })).toMatchObject({ status: 'APPROVED', version: 2, plainText: 'Bài học: bám sát cơ sở, nắm chắc doanh nghiệp.', versions: [], history: [] });
    // A save after a return is a draft again.
    expect(ok(await save('P06-H01', 'lessons', doc(p(t('Bài học đã bổ sung.'))), 2, { as: 'reporter' })).saveSection).toMatchObject({ status: 'DRAFT', version: 3, approvedVersion: 2 });
  });

  it("a reviewer of the province cannot approve the province's own section; an administrator above can, but not what they wrote (four-eyes)", async () => {
    ok(await save('P06', 'causes', doc(p(t('Nguyên nhân: đã bổ sung.'))), 0, { as: 'reporter' }));
    ok(await s.gql('mutation { submitSection(unionCode: "P06", section: "causes") { status } }', {}, { as: 'reporter' }));
    expect(codeOf(await s.gql('mutation { approveSection(unionCode: "P06", section: "causes", version: 1) { status } }', {}, { as: 'reviewer' }))).toBe('FORBIDDEN');
    expect(ok(await s.gql('mutation { approveSection(unionCode: "P06", section: "causes", version: 1) { status } }')).approveSection.status).toBe('APPROVED');
    ok(await save('P06', 'models', doc(p(t('Mô hình mới.'))), 0, { as: 'admin' }));
    ok(await s.gql('mutation { submitSection(unionCode: "P06", section: "models") { status } }'));
    const own = await s.gql('mutation { approveSection(unionCode: "P06", section: "models", version: 1) { status } }');
    expect([codeOf(own), own.errors![0]!.extensions.key]).toEqual(['FORBIDDEN', 'section.fourEyes']);
  });

  it('comments and tags a passage as good practice (the quote must be in that version)', async () => {
    const c = ok(await s.gql('mutation { commentSection(unionCode: "P06", section: "organising", text: "Nên nêu số liệu cụ thể") { version author text } }', {}, { as: 'reviewer' }));
    expect(c.commentSection).toMatchObject({ version: 2, author: 'Người duyệt — LĐLĐ Bắc Kạn' });
    const quote = 'Ban Thường vụ LĐLĐ tỉnh Bắc Kạn đã ban hành Kế hoạch số 27/KH-LĐLĐ';
    const tag = ok(await s.gql('mutation ($q: String!) { tagPassage(unionCode: "P06", section: "organising", version: 2, quote: $q) { union { code } section version quote } }', { q: quote }));
    expect(tag.tagPassage).toEqual({ union: { code: 'P06' }, section: 'organising', version: 2, quote });
    const missing = await s.gql('mutation { tagPassage(unionCode: "P06", section: "organising", version: 1, quote: "Kế hoạch số 27") { id } }');
    expect(codeOf(missing)).toBe('VALIDATION');
    expect(codeOf(await s.gql('mutation { tagPassage(unionCode: "P06", section: "organising", version: 2, quote: "Kế hoạch số 27") { id } }', {}, { as: 'reporter' }))).toBe('FORBIDDEN');
    const compiled = ok(await s.gql('{ compileSection(section: "organising", kinds: [PROVINCIAL_FEDERATION], regions: ["TDMNPB"]) { union { code name } status tags { quote } comments { text } } }'));
    const rows = compiled.compileSection as { union: { code: string; name: string }; status: string; tags: { quote: string }[] }[];
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.map((r) => r.union.name)).toEqual([...rows.map((r) => r.union.name)].sort((a, b) => a.localeCompare(b, 'vi')));
    expect(rows.find((r) => r.union.code === 'P06')).toMatchObject({ status: 'APPROVED', tags: [{ quote }] });
    expect(rows.some((r) => r.union.code === 'P01')).toBe(false);
  });
});

describe('search', () => {
  const SEARCH = 'query ($q: String!, $root: String) { searchSections(text: $q, root: $root) { union { code } section { code } status version snippet rank } }';
  type Hit = { union: { code: string }; section: { code: string }; status: string; snippet: string; rank: number };
  const search = async (q: string, o: Opts = {}, root = 'TLD') => ok(await s.gql(SEARCH, { q, root }, o)).searchSections as Hit[];

  beforeAll(async () => {
    ok(await save('P01', 'solutions', doc(p(t('Hà Nội vận động ở doanh nghiệp có vốn FDI trong các khu công nghiệp; doanh nghiệp FDI lớn được ưu tiên.'))), 0, { user: 'reporter.hanoi' }));
    ok(await save('P06-H02', 'forecast', doc(p(t('Dự báo: <b>doanh nghiệp</b> có vốn FDI sẽ tăng & mở rộng.'))), 0, { as: 'reporter' }));
  });

  it('finds "doanh nghiep FDI" (no diacritics) in the seeded text "doanh nghiệp có vốn FDI", ranked, with <mark> snippets escaped', async () => {
    const hits = await search('doanh nghiep FDI');
    const seeded = hits.find((h) => h.union.code === 'P27' && h.section.code === 'recruiting');
    expect(seeded).toMatchObject({ status: 'APPROVED' });
    expect((await read('P27', 'recruiting')).plainText).toContain('doanh nghiệp có vốn FDI');
    expect(seeded!.snippet).toContain('<mark>doanh</mark> <mark>nghiệp</mark>');
    expect(seeded!.snippet).toContain('<mark>FDI</mark>');
    expect(hits.some((h) => h.union.code === 'P01')).toBe(true);
    const ranks = hits.map((h) => h.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    // The text's own markup comes back escaped; <mark> is the only tag.
    const forecast = hits.find((h) => h.section.code === 'forecast')!;
    expect(forecast.snippet).toContain('<mark>doanh</mark> <mark>nghiệp</mark>');
    expect(forecast.snippet).not.toContain('<b>');
    // SQLite keeps the text's "<b>" as escaped text; PostgreSQL's ts_headline drops what looks like a tag.
    if (databaseKind() === 'sqlite') expect(forecast.snippet).toContain('&lt;b&gt;<mark>doanh</mark> <mark>nghiệp</mark>&lt;/b&gt;');
    for (const h of hits) for (const tag of h.snippet.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(/^<\/?mark>$/);
  });

  it("never shows a caller another province's sections; a viewer sees approved text only", async () => {
    const mine = await search('doanh nghiep FDI', { as: 'reporter' });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((h) => h.union.code.startsWith('P06'))).toBe(true);
    const hanoi = await search('doanh nghiep FDI', { user: 'reporter.hanoi' });
    expect(hanoi.every((h) => h.union.code.startsWith('P01'))).toBe(true);
    expect(hanoi.some((h) => h.section.code === 'solutions')).toBe(true);
    expect(await search('doanh nghiep FDI', { user: 'reporter.hanoi' }, 'P06')).toEqual([]);
    const viewer = await search('doanh nghiep FDI', { as: 'viewer' });
    expect(viewer.length).toBeGreaterThan(0);
    expect(viewer.every((h) => h.status === 'APPROVED')).toBe(true);
  });

  it('quoted phrases keep their words together; FTS syntax in the text is only words', async () => {
    expect((await search('"von FDI" doanh')).length).toBeGreaterThan(0);
    expect(await search('"FDI von"')).toEqual([]);
    for (const q of ['doanh* OR NEAR(fdi', '"', 'fdi" OR "x', ')(:^-', "'; drop table unit_section; --", 'NOT doanh']) {
      const r = await s.gql(SEARCH, { q, root: 'TLD' });
      expect(r.errors, q).toBeUndefined();
    }
  });
});

describe('the reporting round', () => {
  const ROUND = 'mutation ($r: Boolean) { createReportingRound(input: { name: "Đợt có phần viết", periodFrom: 2017, periodTo: 2017, year: 2017, deadline: "2017-12-10", levels: [1], indicators: ["members"], sectionsRequired: $r }) { id sectionsRequired } }';
  const blockers = async (id: string, union: string) =>
    ok(await s.gql(`{ reportingRound(id: "${id}") { unit(unionCode: "${union}") { blockers { kind sectionCode } } } }`)).reportingRound.unit.blockers as { kind: string; sectionCode: string | null }[];

  it('counts required sections not submitted or approved as SECTION_MISSING, only in rounds that require sections', async () => {
    const required = ok(await s.gql(ROUND, { r: true })).createReportingRound;
    expect(required.sectionsRequired).toBe(true);
    const missing = (await blockers(required.id, 'P06')).filter((b) => b.kind === 'SECTION_MISSING').map((b) => b.sectionCode);
    // Seeded: organising and recruiting approved, lessons returned; causes approved above; results, plan, solutions never written.
    expect(missing).toEqual(['results', 'lessons', 'plan', 'solutions']);
    const others = (await blockers(required.id, 'P08')).filter((b) => b.kind === 'SECTION_MISSING');
    expect(others.length).toBe(7);
    const plain = ok(await s.gql(ROUND, { r: null })).createReportingRound;
    expect(plain.sectionsRequired).toBe(false);
    expect((await blockers(plain.id, 'P06')).some((b) => b.kind === 'SECTION_MISSING')).toBe(false);
  });
});

describe('messages', () => {
  it('every section.* key was carried by a refusal above, and renders in Vietnamese and English with its params', () => {
    const keys = MESSAGE_KEYS.filter((k) => k.startsWith('section.'));
    expect(keys.filter((k) => !saidKeys.has(k))).toEqual([]);
    for (const k of keys) for (const lang of ['vi', 'en'] as const) expect(renderMessage(k, saidKeys.get(k)!, lang), `${k} ${lang}`).not.toMatch(/[{}]/);
  });
});
