/**
 * The consolidated report ("Báo cáo tổng kết") as data: its periods, the rows of each table, the
 * ranking rule for commendation, the section headings (following part II of the programme
 * document) and every Vietnamese word the renderers print. The server assembles and renders from
 * this; nothing here is code that branches on a label.
 */

import { FORECAST_SERIES } from './forecast.js';

/** The programme period reported on and the plan period that follows it. */
export const REPORT_PERIOD = { from: 2013, to: 2017 } as const;
export const REPORT_PLAN = { from: 2018, to: 2023 } as const;
/** Bumped when the report's shape changes, so content hashes of different shapes never collide (2: the plan's forecast beside its targets). */
export const REPORT_SPEC_VERSION = 2;

/** One row of the national results table: an indicator, with its target and % achieved when `target`. */
export interface ReportIndicatorRow {
  indicator: string;
  target?: boolean;
}

/** Table 1: national results per year (members, new members, grassroots unions, coverage). */
export const NATIONAL_ROWS: readonly ReportIndicatorRow[] = [
  { indicator: 'members', target: true },
  { indicator: 'members.women' },
  { indicator: 'members.admitted', target: true },
  { indicator: 'members.left' },
  { indicator: 'grassroots', target: true },
  { indicator: 'grassroots.founded', target: true },
  { indicator: 'grassroots.dissolved' },
  { indicator: 'enterprises.eligible' },
  { indicator: 'enterprises.unionised' },
  { indicator: 'coverage', target: true },
];

/** Grades counted in "graded" (the base of each grade's %); `ungraded` are new unions not yet eligible. */
export const GRADES = ['grade.strong', 'grade.fair', 'grade.average', 'grade.weak'] as const;
export const UNGRADED = 'grade.ungraded';

/** The plan table: targets per year of the plan period. */
export const PLAN_ROWS: readonly string[] = [
  'members', 'members.admitted', 'grassroots', 'grassroots.founded', 'enterprises.eligible', 'enterprises.unionised', 'coverage', 'officials.trained',
];

/**
 * The plan's indicators shown with their forecast beside the target (issue 16): those of the plan
 * table that the plan also forecasts (FORECAST_SERIES), in the plan table's order.
 */
export const PLAN_FORECAST_ROWS: readonly string[] = PLAN_ROWS.filter((code) => FORECAST_SERIES.some((s) => s.indicator === code));

export type PlanForecastNoteCode = 'notRun' | 'skipped' | 'stale' | 'overridden' | 'targetIncomplete' | 'method';

/**
 * What the forecast-and-target table says of a forecast or target it cannot show as it stands —
 * never a silent blank. `{name}` filled from the note's params (fillSentence).
 */
export const PLAN_FORECAST_NOTES: Record<PlanForecastNoteCode, { vi: string; en: string }> = {
  notRun: { vi: '{indicator}: chưa chạy dự báo cho {unionName}, chưa có số dự báo.', en: '{indicator}: the forecasts were never run for {unionName}; there is no forecast.' },
  skipped: { vi: '{indicator}: không dự báo được ({reason}).', en: '{indicator}: no forecast could be made ({reason}).' },
  stale: {
    vi: '{indicator}: dự báo đã cũ — số thực hiện đã duyệt thay đổi sau lần dự báo {computedAt}; cần chạy lại dự báo.',
    en: '{indicator}: the forecast is stale — the approved actuals changed after it was computed on {computedAt}; run the forecasts again.',
  },
  overridden: { vi: '{indicator} năm {year}: số dự báo do người duyệt điều chỉnh ({by}: {reason}).', en: '{indicator} {year}: forecast overridden by a reviewer ({by}: {reason}).' },
  targetIncomplete: { vi: '{indicator} năm {year}: chỉ tiêu còn ô chưa duyệt (tổng chưa đầy đủ).', en: '{indicator} {year}: some target cells are not approved (the total is incomplete).' },
  method: { vi: '{indicator}: {explanation}', en: '{indicator}: {explanation}' },
};

/** Words of the forecast-and-target table and chart (the chart's legend follows the page's language). */
export const PLAN_FORECAST_LABELS = {
  forecast: { vi: 'Dự báo', en: 'Forecast' },
  target: { vi: 'Chỉ tiêu giao', en: 'Target' },
  targetVsForecast: { vi: 'Chỉ tiêu so với dự báo (%)', en: 'Target as % of forecast' },
  chartTitle: { vi: '{indicator}: dự báo và chỉ tiêu {from}–{to}', en: '{indicator}: forecast and target {from}–{to}' },
  noData: { vi: 'Chưa có số dự báo và chỉ tiêu đã duyệt', en: 'No forecast and no approved target' },
  million: { vi: 'tr', en: 'M' },
  thousand: { vi: 'nghìn', en: 'k' },
  basis: {
    vi: 'Dự báo của {unionName} lập từ số thực hiện đã duyệt 2013–2017 (điều chỉnh của người duyệt đang áp dụng được tính); chỉ tiêu là tổng chỉ tiêu đã duyệt của các đơn vị.',
    en: 'The forecast of {unionName} is made from approved actuals 2013–2017 (with reviewers\' overrides in force); the target is the sum of the units\' approved targets.',
  },
} as const;

/**
 * Ranking of level-1 units for commendation (khen thưởng): by % achieved of the first key over the
 * period, ties broken by the next keys. A unit without an approved % is not ranked.
 */
export const RANKING_KEYS: readonly string[] = ['members.admitted', 'grassroots.founded', 'members'];

/** Headings of the Word document, in the order of part II of the programme document. */
export const REPORT_SECTIONS = {
  results: 'I. Kết quả phát triển đoàn viên, thành lập công đoàn cơ sở 5 năm (2013–2017)',
  grading: 'II. Kết quả đánh giá xếp loại công đoàn cơ sở hằng năm',
  units: 'III. Kết quả thực hiện chỉ tiêu của các đơn vị và xếp hạng thi đua',
  plan: 'IV. Kế hoạch phát triển đoàn viên, thành lập công đoàn cơ sở giai đoạn 2018–2023',
  pending: 'Phụ lục: Số liệu chưa được duyệt',
} as const;
export type ReportSection = keyof typeof REPORT_SECTIONS;

/** Every other word the report prints (Vietnamese; the report is a Vietnamese document). */
export const REPORT_LABELS = {
  title: 'BÁO CÁO TỔNG KẾT',
  subtitle: 'Chương trình phát triển đoàn viên công đoàn giai đoạn 2013–2018',
  basis: 'Căn cứ Chương trình số 1643/CTr-TLĐ ngày 04/11/2013 của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam khoá XI.',
  coverSheet: 'Bìa',
  edition: 'Lần phát hành',
  generatedAt: 'Thời điểm lập',
  generatedBy: 'Người lập',
  contentHash: 'Mã kiểm tra nội dung (SHA-256)',
  scope: 'Phạm vi',
  approvedOnly: 'Báo cáo chỉ dùng số liệu đã được duyệt. Ô đã duyệt có đề xuất sửa chưa duyệt: dùng số đã duyệt.',
  pendingIntro: 'Số ô chưa được duyệt (không đưa vào báo cáo), theo chỉ tiêu, năm và loại số liệu:',
  nothingPending: 'Tất cả số liệu dùng cho báo cáo đã được duyệt.',
  /** Issue 15: the written sections. Only approved text is printed; the rest is named. */
  textNotApproved: 'Chưa có nội dung được duyệt cho phần này.',
  textsMissing: 'Các phần viết chưa được duyệt (không đưa vào báo cáo)',
  textsAllApproved: 'Tất cả các phần viết đã được duyệt.',
  figuresOfSection: 'Số liệu (lập từ số đã duyệt)',
  pendingTotal: 'Tổng số ô chưa được duyệt',
  withProposal: 'Ô đã duyệt đang có đề xuất sửa (dùng số đã duyệt)',
  changesIntro: 'Thay đổi so với lần phát hành trước',
  noPrevious: 'Đây là lần phát hành đầu tiên.',
  noChanges: 'Không có số liệu nào thay đổi so với lần phát hành trước.',
  indicator: 'Chỉ tiêu',
  unitOfMeasure: 'Đơn vị tính',
  unit: 'Đơn vị',
  year: 'Năm',
  scenario: 'Loại số liệu',
  actual: 'Thực hiện',
  target: 'Chỉ tiêu giao',
  achieved: '% thực hiện',
  rank: 'Xếp hạng',
  period: 'Cả giai đoạn',
  growth: 'Tăng/giảm 2017 so với 2013 (%)',
  notApproved: 'chưa duyệt',
  of: 'trên',
  cells: 'ô',
  total: 'Toàn quốc',
  subtotal: 'Cộng',
  graded: 'Số CĐCS được xếp loại',
  share: 'tỷ lệ (%)',
  comprising: 'gồm',
  mergedOrSplit: 'số các năm trước cộng từ các đơn vị tiền thân',
  oldValue: 'Số cũ',
  newValue: 'Số mới',
  noData: 'chưa có số liệu được duyệt',
  incompleteYears: 'Năm còn ô chưa duyệt (tổng chưa đầy đủ)',
  percentNote: 'Các tỷ lệ được tính lại từ tổng, không lấy bình quân.',
} as const;

/** Titles of the tables (one sheet each in the workbook; sheet names ≤ 31 characters). */
export const REPORT_TABLES = {
  national: { section: 'results', sheet: 'Toàn quốc 2013-2017', title: 'Bảng 1. Kết quả phát triển đoàn viên, thành lập CĐCS toàn quốc 2013–2017' },
  grading: { section: 'grading', sheet: 'Xếp loại CĐCS', title: 'Bảng 2. Kết quả xếp loại CĐCS toàn quốc 2013–2017' },
  admitted: { section: 'units', sheet: 'Kết nạp theo đơn vị', title: 'Bảng 3. Kết nạp đoàn viên mới theo đơn vị, so với chỉ tiêu giao' },
  founded: { section: 'units', sheet: 'Thành lập CĐCS theo đơn vị', title: 'Bảng 4. Thành lập CĐCS mới theo đơn vị, so với chỉ tiêu giao' },
  members: { section: 'units', sheet: 'Đoàn viên theo đơn vị', title: 'Bảng 5. Tổng số đoàn viên theo đơn vị' },
  coverage: { section: 'units', sheet: 'DN và xếp loại 2017', title: 'Bảng 6. Doanh nghiệp có CĐCS và xếp loại CĐCS theo đơn vị năm 2017' },
  ranking: { section: 'units', sheet: 'Xếp hạng thi đua', title: 'Bảng 7. Xếp hạng thi đua các đơn vị (căn cứ đề xuất khen thưởng)' },
  plan: { section: 'plan', sheet: 'Kế hoạch 2018-2023', title: 'Bảng 8. Chỉ tiêu giai đoạn 2018–2023 toàn quốc' },
  planUnits: { section: 'plan', sheet: 'Kế hoạch theo đơn vị', title: 'Bảng 9. Chỉ tiêu giai đoạn 2018–2023 theo đơn vị' },
  planForecast: { section: 'plan', sheet: 'Dự báo và chỉ tiêu', title: 'Bảng 10. Dự báo và chỉ tiêu giao giai đoạn 2018–2023' },
} as const satisfies Record<string, { section: ReportSection; sheet: string; title: string }>;
export type ReportTableKey = keyof typeof REPORT_TABLES;

/**
 * Sentences for the key results, `{name}` filled from the report's figures; a sentence whose
 * figures are not all approved is replaced by its subject and REPORT_LABELS.noData.
 */
export const REPORT_SENTENCES = {
  members: 'Năm {lastYear}, toàn quốc có {members} đoàn viên, đạt {membersAchieved}% chỉ tiêu giao, tăng {membersGrowth}% so với năm {firstYear}.',
  admitted: 'Trong {years} năm ({firstYear}–{lastYear}) kết nạp mới {admitted} đoàn viên, đạt {admittedAchieved}% chỉ tiêu giao.',
  founded: 'Thành lập mới {founded} CĐCS, đạt {foundedAchieved}% chỉ tiêu giao; giải thể {dissolved} CĐCS.',
  coverage: 'Năm {lastYear}, {coverage}% doanh nghiệp thuộc diện thành lập đã có CĐCS.',
  grading: 'Năm {lastYear}, {strongShare}% CĐCS được xếp loại là CĐCS vững mạnh.',
  leaders: 'Các đơn vị dẫn đầu về kết nạp đoàn viên mới so với chỉ tiêu: {leaders}.',
  plan: 'Kế hoạch giai đoạn {planFrom}–{planTo}: đến năm {planTo} đạt {planMembers} đoàn viên; kết nạp mới {planAdmitted} đoàn viên, thành lập mới {planFounded} CĐCS.',
} as const;
export const SENTENCE_SUBJECTS: Record<keyof typeof REPORT_SENTENCES, string> = {
  members: 'Tổng số đoàn viên',
  admitted: 'Kết nạp đoàn viên mới',
  founded: 'Thành lập CĐCS mới',
  coverage: 'Tỷ lệ doanh nghiệp có CĐCS',
  grading: 'Xếp loại CĐCS',
  leaders: 'Xếp hạng thi đua',
  plan: 'Kế hoạch giai đoạn sau',
};

/** Which years of the report a sentence's figures are of. */
export type SentenceYears = 'first' | 'last' | 'period' | 'planLast' | 'plan';
/**
 * The figures each sentence is built from (a ratio counts as its stored parts). A unit the sentence
 * speaks for (one of the root's children in one of those years) is covered when all of its cells
 * among these are approved; the sentence states how many units are covered.
 */
export const SENTENCE_FIGURES: Record<keyof typeof REPORT_SENTENCES, readonly { indicator: string; scenario: 'actual' | 'target'; years: SentenceYears }[]> = {
  members: [
    { indicator: 'members', scenario: 'actual', years: 'last' }, { indicator: 'members', scenario: 'target', years: 'last' },
    { indicator: 'members', scenario: 'actual', years: 'first' },
  ],
  admitted: [{ indicator: 'members.admitted', scenario: 'actual', years: 'period' }, { indicator: 'members.admitted', scenario: 'target', years: 'period' }],
  founded: [
    { indicator: 'grassroots.founded', scenario: 'actual', years: 'period' }, { indicator: 'grassroots.founded', scenario: 'target', years: 'period' },
    { indicator: 'grassroots.dissolved', scenario: 'actual', years: 'period' },
  ],
  coverage: [{ indicator: 'coverage', scenario: 'actual', years: 'last' }],
  grading: [
    { indicator: 'grade.strong', scenario: 'actual', years: 'last' }, { indicator: 'grade.fair', scenario: 'actual', years: 'last' },
    { indicator: 'grade.average', scenario: 'actual', years: 'last' }, { indicator: 'grade.weak', scenario: 'actual', years: 'last' },
  ],
  leaders: [{ indicator: 'members.admitted', scenario: 'actual', years: 'period' }, { indicator: 'members.admitted', scenario: 'target', years: 'period' }],
  plan: [
    { indicator: 'members', scenario: 'target', years: 'planLast' }, { indicator: 'members.admitted', scenario: 'target', years: 'plan' },
    { indicator: 'grassroots.founded', scenario: 'target', years: 'plan' },
  ],
};

/**
 * A sentence over approved figures of only some units: below `minShare` of its units it is not
 * printed (its subject and `withheld` instead), else it is printed with `partial` at its end. With
 * every unit covered it is printed as it stands.
 */
export const SENTENCE_COVERAGE = {
  minShare: 0.5,
  partial: '(theo số đã duyệt của {covered}/{total} đơn vị)',
  withheld: 'mới có số đã duyệt của {covered}/{total} đơn vị, chưa đủ để nêu số chung',
} as const;

/** Fill a sentence; null when a placeholder has no value. */
export function fillSentence(template: string, values: Record<string, string | null | undefined>): string | null {
  let missing = false;
  const text = template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = values[k];
    if (v === null || v === undefined || v === '') missing = true;
    return v ?? '';
  });
  return missing ? null : text;
}

// ---------- the report's shape, shared by the server's renderers and the client ----------

/** How a column's numbers are shown: whole counts, percentages (points, one decimal), ranks. */
export type ReportFormat = 'integer' | 'percent' | 'decimal' | 'rank';

export interface ReportColumn {
  key: string;
  label: string;
  format: ReportFormat;
}

export interface ReportRow {
  key: string;
  label: string;
  /** Parallel to the table's columns; null when nothing approved is behind the cell. */
  values: (number | null)[];
  /** 'total' rows sum the rows above; 'group' rows only head a group. */
  kind: 'row' | 'total' | 'group';
  /** Per-row format override (a % row inside a table of counts). */
  format?: ReportFormat;
  note?: string;
}

export interface ReportTableData {
  key: ReportTableKey;
  section: ReportSection;
  sheet: string;
  title: string;
  /** The first column's heading (the rows' labels). */
  rowHeading: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  notes: string[];
}

/** The format a cell is shown in: a column's own non-count format wins, else the row's. */
export function cellFormat(column: ReportColumn, row: ReportRow): ReportFormat {
  return column.format !== 'integer' ? column.format : (row.format ?? 'integer');
}
