/**
 * Reconciliation rules, as data. One rule serves every unit, year, scenario and split;
 * the engine (server/src/domain) interprets the `kind`. Tolerances are absolute for
 * equalities and relative (0.25 = 25 %) for plausibility.
 */
import type { Scenario } from './periods.js';

export type Severity = 'error' | 'warning';

interface RuleBase {
  id: string;
  labelVi: string;
  labelEn: string;
  severity: Severity;
  /** Targets are assigned per indicator, not as balanced stocks and flows: some rules check actuals only. */
  scenarios: readonly Scenario[];
}

const BOTH = ['actual', 'target'] as const;
const ACTUAL = ['actual'] as const;

export type RuleDef =
  /** A parent's figure equals the sum of its children's in that year's tree (summable indicators). */
  | (RuleBase & { kind: 'hierarchy'; tolerance: number })
  /** stock(y) = stock(y−1) + Σ inflows(y) − Σ outflows(y). */
  | (RuleBase & { kind: 'balance'; stock: string; inflows: string[]; outflows: string[]; tolerance: number })
  /** The sector parts of every total split by sector add up to it. */
  | (RuleBase & { kind: 'parts_sum'; dimension: 'sector'; tolerance: number })
  /** Parts (summed) equal a whole. */
  | (RuleBase & { kind: 'sum_equals'; parts: string[]; whole: string; tolerance: number })
  /** part ≤ whole; `part: '*.women'` means every women part against its total. */
  | (RuleBase & { kind: 'not_greater'; part: string; whole: string })
  /** |x(y) / x(y−1) − 1| ≤ tolerance, for stocks that move slowly. */
  | (RuleBase & { kind: 'year_over_year'; indicators: string[]; tolerance: number; minChange: number })
  /** Robust z-score of x(y) against the unit's own years: 0.6745·|x − median| / MAD ≤ threshold. */
  | (RuleBase & {
      kind: 'history_outlier';
      indicators: string[];
      threshold: number;
      /** MAD is never taken below this share of |median| nor below `minMad`, so tiny or flat series do not flag noise. */
      madFloorRatio: number;
      minMad: number;
      minYears: number;
    });

export const RULES: readonly RuleDef[] = [
  { id: 'hierarchy.sum', kind: 'hierarchy', severity: 'error', tolerance: 0, scenarios: BOTH,
    labelVi: 'Số liệu đơn vị cấp trên bằng tổng các đơn vị trực thuộc', labelEn: "Parent equals the sum of its children" },
  { id: 'balance.members', kind: 'balance', severity: 'error', tolerance: 0, scenarios: ACTUAL,
    stock: 'members', inflows: ['members.admitted'], outflows: ['members.left'],
    labelVi: 'Đoàn viên cuối năm = đầu năm + kết nạp − giảm', labelEn: 'Members at year end = last year + admitted − lost' },
  { id: 'balance.grassroots', kind: 'balance', severity: 'error', tolerance: 0, scenarios: ACTUAL,
    stock: 'grassroots', inflows: ['grassroots.founded'], outflows: ['grassroots.dissolved'],
    labelVi: 'CĐCS cuối năm = đầu năm + thành lập − giải thể', labelEn: 'Grassroots unions at year end = last year + founded − dissolved' },
  { id: 'group.sectors', kind: 'parts_sum', dimension: 'sector', severity: 'error', tolerance: 0, scenarios: BOTH,
    labelVi: 'Tổng các khu vực bằng tổng số', labelEn: 'Sectors add up to the total' },
  { id: 'group.women', kind: 'not_greater', part: '*.women', whole: '*', severity: 'error', scenarios: BOTH,
    labelVi: 'Số nữ không vượt tổng số', labelEn: 'Women do not exceed the total' },
  { id: 'group.grades', kind: 'sum_equals', severity: 'error', tolerance: 0, scenarios: BOTH,
    parts: ['grade.strong', 'grade.fair', 'grade.average', 'grade.weak', 'grade.ungraded'], whole: 'grassroots',
    labelVi: 'Các loại xếp loại + chưa xếp loại = số CĐCS', labelEn: 'Grades plus ungraded equal grassroots unions' },
  { id: 'group.unionised', kind: 'not_greater', part: 'enterprises.unionised', whole: 'enterprises.eligible', severity: 'error', scenarios: BOTH,
    labelVi: 'DN có CĐCS không vượt số DN', labelEn: 'Unionised enterprises do not exceed eligible ones' },
  { id: 'plausibility.change', kind: 'year_over_year', severity: 'warning', tolerance: 0.25, minChange: 50, scenarios: ACTUAL,
    indicators: ['workers', 'members', 'grassroots', 'enterprises.eligible'],
    labelVi: 'Biến động so với năm trước vượt ngưỡng', labelEn: 'Change from last year beyond tolerance' },
  { id: 'plausibility.history', kind: 'history_outlier', severity: 'warning', threshold: 3.5, madFloorRatio: 0.1, minMad: 5, minYears: 4, scenarios: ACTUAL,
    indicators: ['members.admitted', 'members.left', 'grassroots.founded', 'grassroots.dissolved', 'officials.trained', 'funding'],
    labelVi: 'Giá trị bất thường so với các năm của đơn vị', labelEn: "Value far outside the unit's own history" },
];

export function rule(id: string): RuleDef | undefined {
  return RULES.find((r) => r.id === id);
}

/**
 * What the two compared sides of a discrepancy are, per rule kind: `left` is stored as its
 * leftValue, `right` as its rightValue, and the difference is left − right.
 */
export const RULE_SIDES: Record<RuleDef['kind'], { leftVi: string; leftEn: string; rightVi: string; rightEn: string }> = {
  hierarchy: { leftVi: 'Số báo cáo', leftEn: 'Reported', rightVi: 'Tổng các đơn vị trực thuộc', rightEn: 'Sum of the units below' },
  balance: { leftVi: 'Số cuối năm', leftEn: 'At year end', rightVi: 'Năm trước + tăng − giảm', rightEn: 'Last year + in − out' },
  parts_sum: { leftVi: 'Tổng số', leftEn: 'Total', rightVi: 'Tổng các khu vực', rightEn: 'Sum of the sectors' },
  sum_equals: { leftVi: 'Tổng các phần', leftEn: 'Sum of the parts', rightVi: 'Tổng số', rightEn: 'Total' },
  not_greater: { leftVi: 'Phần', leftEn: 'Part', rightVi: 'Tổng số', rightEn: 'Total' },
  year_over_year: { leftVi: 'Năm nay', leftEn: 'This year', rightVi: 'Năm trước', rightEn: 'Last year' },
  history_outlier: { leftVi: 'Giá trị', leftEn: 'Value', rightVi: 'Trung vị các năm', rightEn: 'Median of the years' },
};
