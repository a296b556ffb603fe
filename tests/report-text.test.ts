/**
 * The report carries the text (issue 15): an edition's Word document prints the root's APPROVED
 * sections in part II's order among the figures — a rich section (heading, bold, nested lists, a table)
 * comes back through LibreOffice as text; a draft, a submitted text and a newer unapproved version of an
 * approved section never appear, and what is not approved is named. Here on a level-2 union's own edition
 * (part III.1: every level holds its review).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_LABELS } from '@unionhub/schema';
import { startTestServer, type GqlResponse, type TestServer } from './harness.js';
import { docxText, officeDir } from './office.js';

let s: TestServer;
let office: ReturnType<typeof officeDir>;
beforeAll(async () => {
  s = await startTestServer();
  office = officeDir();
}, 180_000);
afterAll(async () => {
  await s?.close();
  office?.remove();
});

type Doc = { type: string; content?: Doc[]; text?: string; attrs?: Record<string, unknown>; marks?: { type: string }[] };
const t = (text: string, ...marks: { type: string }[]): Doc => ({ type: 'text', text, ...(marks.length ? { marks } : {}) });
const p = (...content: Doc[]): Doc => ({ type: 'paragraph', content });
const item = (text: string, ...more: Doc[]): Doc => ({ type: 'listItem', content: [p(t(text)), ...more] });
const doc = (...content: Doc[]): Doc => ({ type: 'doc', content });
const cell = (type: string, text: string): Doc => ({ type, content: [p(t(text))] });

const RICH = doc(
  { type: 'heading', attrs: { level: 3 }, content: [t('Triển khai ở huyện Chợ Đồn')] },
  p(t('Ban Thường vụ ban hành '), t('kế hoạch số 27', { type: 'bold' }), t(' ngày 02/01/2014.')),
  { type: 'bulletList', content: [item('Tuyên truyền tại 14 xã', { type: 'orderedList', content: [item('Hội nghị quý I'), item('Hội nghị quý III')] }), item('Kiểm tra hằng năm')] },
  { type: 'table', content: [
    { type: 'tableRow', content: [cell('tableHeader', 'Năm'), cell('tableHeader', 'Đoàn viên mới')] },
    { type: 'tableRow', content: [cell('tableCell', '2016'), cell('tableCell', '1.734')] },
  ] },
);
const DRAFT_WORDS = 'Đoạn nháp chưa gửi về mô hình tổ công đoàn';
const NEWER_WORDS = 'Bản sửa sau khi duyệt chưa được duyệt lại';
const UNION = 'P06-H02';

const ok = <T>(r: GqlResponse<T>): T => {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
};
const save = (section: string, d: Doc, base: number) =>
  s.gql('mutation ($u: String!, $s: String!, $d: SectionDocument!, $b: Int!) { saveSection(unionCode: $u, section: $s, document: $d, baseVersion: $b) { version } }', { u: UNION, s: section, d, b: base }, { as: 'reporter' });

async function editionText(): Promise<string> {
  const g = ok(await s.gql(`mutation { generateReport(root: "${UNION}") { docxUrl report { texts { section version } } } }`, {}, { as: 'admin' }));
  const res = await fetch(`${s.url}${g.generateReport.docxUrl}`, { headers: s.auth('admin') });
  expect(res.status).toBe(200);
  return docxText(office.dir, Buffer.from(await res.arrayBuffer()));
}

describe("a level-2 union's own edition carries its approved text", () => {
  it('prints the approved rich section in its place and never a draft, a submitted text or a newer version', async () => {
    const v1 = ok(await save('organising', RICH, 0)).saveSection.version;
    ok(await s.gql(`mutation { submitSection(unionCode: "${UNION}", section: "organising") { status } }`, {}, { as: 'reporter' }));
    ok(await s.gql(`mutation { approveSection(unionCode: "${UNION}", section: "organising", version: ${v1}) { status } }`, {}, { as: 'reviewer' }));
    // Another section: saved and submitted, never approved.
    ok(await save('models', doc(p(t(DRAFT_WORDS))), 0));
    ok(await s.gql(`mutation { submitSection(unionCode: "${UNION}", section: "models") { status } }`, {}, { as: 'reporter' }));

    const report = ok(await s.gql(`{ report(root: "${UNION}") { texts { section titleVi version plainText } } }`, {}, { as: 'admin' })).report;
    const organising = report.texts.find((x: { section: string }) => x.section === 'organising');
    expect(organising).toMatchObject({ version: v1 });
    expect(organising.plainText).toContain('kế hoạch số 27');
    expect(report.texts.find((x: { section: string }) => x.section === 'models')).toMatchObject({ version: null, plainText: '' });
    // Part II's order: organising first, then the others as the catalogue has them.
    expect(report.texts[0].section).toBe('organising');

    const text = await editionText();
    for (const shown of ['Triển khai ở huyện Chợ Đồn', 'kế hoạch số 27', 'Tuyên truyền tại 14 xã', 'Hội nghị quý III', 'Kiểm tra hằng năm', 'Đoàn viên mới', '1.734']) expect(text).toContain(shown);
    expect(text).not.toContain(DRAFT_WORDS);
    // What is not approved is named (the models section among them), and said so in its place.
    expect(text).toContain(REPORT_LABELS.textsMissing);
    expect(text).toContain(REPORT_LABELS.textNotApproved);
    // The text stands before the figures of the results, which keep their own heading.
    expect(text.indexOf('kế hoạch số 27')).toBeLessThan(text.indexOf('I. Kết quả phát triển đoàn viên'));

    // A newer version of the approved section, not approved: the edition still prints the approved one.
    ok(await save('organising', doc(p(t(NEWER_WORDS))), v1));
    const again = await editionText();
    expect(again).toContain('kế hoạch số 27');
    expect(again).not.toContain(NEWER_WORDS);
  });
});
