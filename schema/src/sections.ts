/**
 * The written report (issue 15) as data: the sections every union writes, in the order of part II of
 * the programme document (then part I.3's assessment of Kết luận 80), the document format the editor
 * and the server share (nodes, marks and their attributes), the statuses of a section and the tag a
 * compiler puts on a good passage. The server's validator and the client's editor read the same table.
 */
import type { ReportSection } from './report.js';

export type SectionAddressee = 'PARTY' | 'STATE' | 'TLD';

export interface ReportSectionSpec {
  code: string;
  order: number;
  /** Where in the programme document: "II.1" (results 2013–2017), "II.2" (2018–2023), "II.3" (recommendations), "I.3" (Kết luận 80). */
  part: 'II.1' | 'II.2' | 'II.3' | 'I.3';
  titleVi: string;
  titleEn: string;
  guidanceVi: string;
  guidanceEn: string;
  /** Levels that write it: 0 TLĐ (the national text), 1 provinces and central unions, 2 direct superior unions. */
  levels: readonly number[];
  /** Counted in what a union must submit in a round that requires sections. */
  required: boolean;
  addressee: SectionAddressee | null;
  /** The report's table section that also fills this place (results, grading, plan). */
  figures: ReportSection | null;
}

/** The summing-up starts at the direct superior unions (part III.1): grassroots unions write no section. */
const WRITERS = [0, 1, 2] as const;

export const REPORT_SECTION_CATALOGUE: readonly ReportSectionSpec[] = [
  {
    code: 'organising', part: 'II.1', titleVi: 'Triển khai, tổ chức thực hiện Chương trình', titleEn: 'Organising the programme',
    guidanceVi: 'Nêu cách đơn vị phổ biến Chương trình, ban hành kế hoạch, phân công chỉ đạo và kiểm tra việc thực hiện ở các cấp.',
    guidanceEn: 'How the union made the programme known, issued its own plan, assigned who leads it and checked progress at each level.',
    levels: WRITERS, required: true, addressee: null, figures: null,
  },
  {
    code: 'surveys', part: 'II.1', titleVi: 'Khảo sát, nắm tình hình công nhân lao động và doanh nghiệp', titleEn: 'Surveys of workers and enterprises',
    guidanceVi: 'Cho biết đơn vị đã khảo sát, tổng hợp số liệu về người lao động và doanh nghiệp trên địa bàn, ngành ra sao và dùng kết quả vào việc gì.',
    guidanceEn: 'How the union surveyed and counted workers and enterprises in its area or sector, and what it used the results for.',
    levels: WRITERS, required: false, addressee: null, figures: null,
  },
  {
    code: 'advising', part: 'II.1', titleVi: 'Tham mưu cấp ủy, phối hợp với chính quyền và người sử dụng lao động', titleEn: 'Advising Party committees; working with authorities and employers',
    guidanceVi: 'Nêu việc tham mưu để cấp ủy Đảng lãnh đạo, phối hợp với cơ quan chuyên môn, chính quyền và chủ doanh nghiệp trong vận động phát triển đoàn viên, thành lập CĐCS.',
    guidanceEn: 'How the union won the Party committees\' lead and worked with agencies, local authorities and employers to recruit members and found grassroots unions.',
    levels: WRITERS, required: false, addressee: null, figures: null,
  },
  {
    code: 'recruiting', part: 'II.1', titleVi: 'Nội dung, phương thức vận động phát triển đoàn viên, thành lập CĐCS', titleEn: 'How members were recruited; new ways that worked',
    guidanceVi: 'Mô tả nội dung, cách tuyên truyền, vận động người lao động và người sử dụng lao động; nêu rõ những cách làm mới, có hiệu quả.',
    guidanceEn: 'What the union told workers and employers and how; name the new ways that worked.',
    levels: WRITERS, required: true, addressee: null, figures: null,
  },
  {
    code: 'models', part: 'II.1', titleVi: 'Đổi mới hoạt động, mô hình và cơ cấu tổ chức CĐCS', titleEn: 'Models and structure of grassroots unions',
    guidanceVi: 'Nêu những việc đã làm để đổi mới nội dung, phương thức hoạt động CĐCS, nhất là mô hình, cơ cấu tổ chức, hướng dẫn CĐCS thành viên, công đoàn bộ phận, tổ công đoàn.',
    guidanceEn: 'What changed in how grassroots unions work, above all their models and structure and the guidance to member unions, sections and groups.',
    levels: WRITERS, required: false, addressee: null, figures: null,
  },
  {
    code: 'training', part: 'II.1', titleVi: 'Đào tạo, bồi dưỡng cán bộ công đoàn', titleEn: 'Training union officials',
    guidanceVi: 'Nêu các lớp đào tạo, bồi dưỡng năng lực, nghiệp vụ cho cán bộ công đoàn cấp trên trực tiếp cơ sở và cán bộ CĐCS.',
    guidanceEn: 'The training given to officials of direct superior unions and of grassroots unions.',
    levels: WRITERS, required: false, addressee: null, figures: null,
  },
  {
    code: 'results', part: 'II.1', titleVi: 'Kết quả phát triển đoàn viên, thành lập CĐCS 2013–2017', titleEn: 'Results 2013–2017',
    guidanceVi: 'Nhận xét kết quả 5 năm so với chỉ tiêu; bảng số liệu do hệ thống lập từ số đã duyệt.',
    guidanceEn: 'Comment on the five years\' results against the targets; the tables come from the approved figures.',
    levels: WRITERS, required: true, addressee: null, figures: 'results',
  },
  {
    code: 'grading', part: 'II.1', titleVi: 'Kết quả đánh giá, xếp loại CĐCS hằng năm', titleEn: 'Yearly grading of grassroots unions',
    guidanceVi: 'Nhận xét kết quả xếp loại CĐCS từng năm; bảng số liệu do hệ thống lập.',
    guidanceEn: 'Comment on each year\'s grading of grassroots unions; the tables come from the figures.',
    levels: WRITERS, required: false, addressee: null, figures: 'grading',
  },
  {
    code: 'conditions', part: 'II.1', titleVi: 'Điều kiện và kinh phí thực hiện Chương trình', titleEn: 'Conditions and funding',
    guidanceVi: 'Đánh giá con người, phương tiện và kinh phí đã dành cho Chương trình và mức độ đáp ứng.',
    guidanceEn: 'Assess the people, means and money given to the programme and whether they were enough.',
    levels: WRITERS, required: false, addressee: null, figures: null,
  },
  {
    code: 'causes', part: 'II.1', titleVi: 'Nguyên nhân của kết quả và tồn tại, hạn chế', titleEn: 'Causes of results and shortcomings',
    guidanceVi: 'Phân tích nguyên nhân chủ quan, khách quan của kết quả đạt được và của những tồn tại, hạn chế.',
    guidanceEn: 'The causes, within the union and outside it, of what was achieved and of what fell short.',
    levels: WRITERS, required: true, addressee: null, figures: null,
  },
  {
    code: 'lessons', part: 'II.1', titleVi: 'Bài học kinh nghiệm', titleEn: 'Lessons learned',
    guidanceVi: 'Rút ra những bài học từ 5 năm thực hiện Chương trình.',
    guidanceEn: 'The lessons the five years taught.',
    levels: WRITERS, required: true, addressee: null, figures: null,
  },
  {
    code: 'forecast', part: 'II.2', titleVi: 'Dự báo tình hình doanh nghiệp và đội ngũ CNVCLĐ', titleEn: 'Forecast of enterprises and the workforce',
    guidanceVi: 'Dự báo sự phát triển doanh nghiệp và lực lượng lao động của địa phương, ngành, đơn vị những năm tới.',
    guidanceEn: 'How enterprises and the workforce of the area, sector or unit are expected to grow in the coming years.',
    levels: WRITERS, required: false, addressee: null, figures: null,
  },
  {
    code: 'plan', part: 'II.2', titleVi: 'Kế hoạch phát triển đoàn viên, thành lập CĐCS 2018–2023', titleEn: 'The 2018–2023 plan',
    guidanceVi: 'Trình bày mục tiêu, chỉ tiêu giai đoạn 2018–2023; bảng chỉ tiêu do hệ thống lập.',
    guidanceEn: 'The aims and targets for 2018–2023; the target tables come from the plan.',
    levels: WRITERS, required: true, addressee: null, figures: 'plan',
  },
  {
    code: 'solutions', part: 'II.2', titleVi: 'Giải pháp, nhất là ở doanh nghiệp ngoài Nhà nước và doanh nghiệp có vốn FDI', titleEn: 'Solutions, above all in private and foreign-invested enterprises',
    guidanceVi: 'Đề ra giải pháp cụ thể để vận động, tuyên truyền hiệu quả hơn và nâng chất lượng hoạt động CĐCS, đặc biệt ở doanh nghiệp ngoài Nhà nước và FDI.',
    guidanceEn: 'Concrete measures to recruit better and raise grassroots unions\' quality, above all in private and foreign-invested enterprises.',
    levels: WRITERS, required: true, addressee: null, figures: null,
  },
  {
    code: 'recommendations.party', part: 'II.3', titleVi: 'Kiến nghị với Đảng', titleEn: 'Recommendations to the Party',
    guidanceVi: 'Những đề xuất với các cấp ủy Đảng về phát triển đoàn viên, thành lập và nâng chất lượng CĐCS.',
    guidanceEn: 'What the union asks of the Party on recruiting members, founding grassroots unions and their quality.',
    levels: WRITERS, required: false, addressee: 'PARTY', figures: null,
  },
  {
    code: 'recommendations.state', part: 'II.3', titleVi: 'Kiến nghị với Nhà nước', titleEn: 'Recommendations to the State',
    guidanceVi: 'Những đề xuất với Nhà nước, chính quyền các cấp (chính sách, pháp luật, phối hợp).',
    guidanceEn: 'What the union asks of the State and local authorities (policy, law, cooperation).',
    levels: WRITERS, required: false, addressee: 'STATE', figures: null,
  },
  {
    code: 'recommendations.tld', part: 'II.3', titleVi: 'Kiến nghị với Tổng Liên đoàn', titleEn: 'Recommendations to TLĐ',
    guidanceVi: 'Những đề xuất với Tổng Liên đoàn về hướng dẫn, chính sách và hỗ trợ.',
    guidanceEn: 'What the union asks of TLĐ: guidance, policy and support.',
    levels: [1, 2], required: false, addressee: 'TLD', figures: null,
  },
  {
    code: 'conclusion80', part: 'I.3', titleVi: 'Đánh giá thực hiện Kết luận 80-KL/TW', titleEn: 'Assessment of Conclusion 80-KL/TW',
    guidanceVi: 'Đánh giá việc xây dựng tổ chức Đảng, đoàn thể trong doanh nghiệp tư nhân và doanh nghiệp có vốn đầu tư nước ngoài, nêu rõ nguyên nhân chủ quan, khách quan.',
    guidanceEn: 'Assess building the Party and mass organisations in private and foreign-invested enterprises, with the causes inside and outside the union.',
    levels: [0, 1], required: false, addressee: null, figures: null,
  },
].map((s, i) => ({ ...s, order: i + 1 }) as ReportSectionSpec);

export function reportSection(code: string): ReportSectionSpec | undefined {
  return REPORT_SECTION_CATALOGUE.find((s) => s.code === code);
}

/** The sections a union of this level writes, in order. */
export function sectionsOfLevel(level: number): ReportSectionSpec[] {
  return REPORT_SECTION_CATALOGUE.filter((s) => s.levels.includes(level));
}

/** An attribute a node or mark may carry: an integer (within bounds or one of a few values) or a link target. */
export type SectionAttrSpec = { kind: 'int'; min: number; max: number; values?: readonly number[]; required?: boolean } | { kind: 'href'; required: true };

export interface SectionNodeSpec {
  attrs: Readonly<Record<string, SectionAttrSpec>>;
  /** The node types allowed directly inside; absent for leaves (text, hardBreak). */
  content?: readonly string[];
  /** Marks allowed (text only). */
  marks?: boolean;
}

const BLOCKS = ['paragraph', 'heading', 'bulletList', 'orderedList', 'table', 'blockquote'] as const;
const INLINE = ['text', 'hardBreak'] as const;
const SPAN = { colspan: { kind: 'int', min: 1, max: 50 }, rowspan: { kind: 'int', min: 1, max: 500 } } as const satisfies Record<string, SectionAttrSpec>;

/** The document's nodes (Tiptap names), their attributes and what each may contain (docs: /work/notes/section-doc.md). */
export const SECTION_NODES: Readonly<Record<string, SectionNodeSpec>> = {
  doc: { attrs: {}, content: BLOCKS },
  paragraph: { attrs: {}, content: INLINE },
  heading: { attrs: { level: { kind: 'int', min: 2, max: 4, values: [2, 3, 4], required: true } }, content: INLINE },
  bulletList: { attrs: {}, content: ['listItem'] },
  orderedList: { attrs: { start: { kind: 'int', min: 0, max: 100_000 } }, content: ['listItem'] },
  listItem: { attrs: {}, content: ['paragraph', 'bulletList', 'orderedList'] },
  table: { attrs: {}, content: ['tableRow'] },
  tableRow: { attrs: {}, content: ['tableHeader', 'tableCell'] },
  tableHeader: { attrs: SPAN, content: ['paragraph'] },
  tableCell: { attrs: SPAN, content: ['paragraph'] },
  blockquote: { attrs: {}, content: ['paragraph', 'bulletList', 'orderedList'] },
  hardBreak: { attrs: {} },
  text: { attrs: {}, marks: true },
};

/** The marks text may carry. A link's href is http(s):, mailto: or an in-app "#/…" link; nothing else. */
export const SECTION_MARKS: Readonly<Record<string, { attrs: Readonly<Record<string, SectionAttrSpec>> }>> = {
  bold: { attrs: {} },
  italic: { attrs: {} },
  link: { attrs: { href: { kind: 'href', required: true } } },
};

/** What a link may point at (the server refuses anything else: javascript:, data:, vbscript:, relative paths…). */
export const SECTION_HREF = /^(https?:\/\/[^\s<>"]+|mailto:[^\s<>"]+|#\/[^\s<>"]*)$/i;

/** Deepest nesting of nodes a document may have. */
export const SECTION_MAX_DEPTH = 12;

export type SectionStatus = 'EMPTY' | 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'RETURNED';
export const SECTION_STATUSES: readonly { status: SectionStatus; labelVi: string; labelEn: string }[] = [
  { status: 'EMPTY', labelVi: 'Chưa viết', labelEn: 'Not written' },
  { status: 'DRAFT', labelVi: 'Bản nháp', labelEn: 'Draft' },
  { status: 'SUBMITTED', labelVi: 'Đã gửi', labelEn: 'Submitted' },
  { status: 'APPROVED', labelVi: 'Đã duyệt', labelEn: 'Approved' },
  { status: 'RETURNED', labelVi: 'Bị trả lại', labelEn: 'Returned' },
];
export const SECTION_EVENT_KINDS = ['SAVED', 'SUBMITTED', 'APPROVED', 'RETURNED'] as const;
export type SectionEventKind = (typeof SECTION_EVENT_KINDS)[number];

/** The tag a compiler puts on a passage worth spreading. */
export const GOOD_PRACTICE = { code: 'good_practice', labelVi: 'cách làm mới, có hiệu quả', labelEn: 'a new way that worked' } as const;
