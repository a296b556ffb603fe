/**
 * The indicator catalogue, as data. Base indicators are listed once with the splits they
 * are reported by; `INDICATORS` is the expanded list of every cell-level indicator
 * (a total, each of its sector parts, its "of whom women" part), in grid column order.
 */
import { FIRST_YEAR, LAST_YEAR } from './periods.js';

export type IndicatorKind = 'stock' | 'flow' | 'ratio';
export type UnitCode = 'person' | 'union' | 'enterprise' | 'percent' | 'person_time' | 'million_vnd';
export type SplitDimension = 'sector' | 'women';

export interface UnitDef {
  code: UnitCode;
  labelVi: string;
  labelEn: string;
  /** Counts take whole numbers only. */
  integer: boolean;
  /**
   * The largest value one cell may hold: far above any real union's figure, low enough that a sum
   * over every union of the country stays exact (and finite). Every write path checks it.
   */
  max: number;
}

export const UNITS: Record<UnitCode, UnitDef> = {
  // Vietnam has ~100 million people: no union counts more than twice that.
  person: { code: 'person', labelVi: 'người', labelEn: 'persons', integer: true, max: 200_000_000 },
  union: { code: 'union', labelVi: 'CĐCS', labelEn: 'unions', integer: true, max: 10_000_000 },
  enterprise: { code: 'enterprise', labelVi: 'doanh nghiệp', labelEn: 'enterprises', integer: true, max: 10_000_000 },
  percent: { code: 'percent', labelVi: '%', labelEn: '%', integer: false, max: 100 },
  // Training counts each course a person attends: a few times the persons at most.
  person_time: { code: 'person_time', labelVi: 'lượt người', labelEn: 'person-times', integer: true, max: 1_000_000_000 },
  // 10^9 million VND = 10^15 VND.
  million_vnd: { code: 'million_vnd', labelVi: 'triệu đồng', labelEn: 'million VND', integer: false, max: 1_000_000_000 },
};

export const SECTORS = [
  { code: 'public', labelVi: 'Khu vực hành chính sự nghiệp', labelEn: 'Public administration' },
  { code: 'state', labelVi: 'Doanh nghiệp nhà nước', labelEn: 'State-owned enterprises' },
  { code: 'private', labelVi: 'Doanh nghiệp ngoài nhà nước', labelEn: 'Private enterprises' },
  { code: 'fdi', labelVi: 'Doanh nghiệp có vốn đầu tư nước ngoài', labelEn: 'Foreign-invested enterprises' },
  { code: 'other', labelVi: 'Hợp tác xã, khác', labelEn: 'Cooperatives and other' },
] as const;
export type SectorCode = (typeof SECTORS)[number]['code'];

export const CATEGORIES = [
  { code: 'workforce', labelVi: 'Công nhân, viên chức, lao động', labelEn: 'Workers' },
  { code: 'members', labelVi: 'Đoàn viên', labelEn: 'Union members' },
  { code: 'grassroots', labelVi: 'Công đoàn cơ sở', labelEn: 'Grassroots unions' },
  { code: 'enterprises', labelVi: 'Doanh nghiệp', labelEn: 'Enterprises' },
  { code: 'grading', labelVi: 'Xếp loại CĐCS', labelEn: 'Grading of grassroots unions' },
  { code: 'training', labelVi: 'Đào tạo cán bộ', labelEn: 'Training of officials' },
  { code: 'funding', labelVi: 'Kinh phí', labelEn: 'Funding' },
] as const;
export type CategoryCode = (typeof CATEGORIES)[number]['code'];

/** A label that holds for a span of years (names changed over time). */
export interface DatedLabel {
  from: number;
  to: number;
  vi: string;
  en: string;
}

export type Aggregation =
  | { type: 'sum' }
  /** Recomputed from summed parts, never summed itself: numerator / denominator × scale. */
  | { type: 'ratio'; numerator: string; denominator: string; scale: number };

interface BaseIndicator {
  code: string;
  category: CategoryCode;
  labels: DatedLabel[];
  unit: UnitCode;
  kind: IndicatorKind;
  aggregation: Aggregation;
  splits: SplitDimension[];
  /** TLĐ assigns targets for this indicator (the "target" scenario exists). */
  targeted: boolean;
}

const always = (vi: string, en: string): DatedLabel[] => [{ from: FIRST_YEAR, to: LAST_YEAR, vi, en }];
const SUM: Aggregation = { type: 'sum' };

/** Grading names were changed from 2019 on. */
const grade = (code: string, before: [string, string], after: [string, string]): BaseIndicator => ({
  code,
  category: 'grading',
  labels: [
    { from: FIRST_YEAR, to: 2018, vi: before[0], en: before[1] },
    { from: 2019, to: LAST_YEAR, vi: after[0], en: after[1] },
  ],
  unit: 'union',
  kind: 'stock',
  aggregation: SUM,
  splits: [],
  targeted: false,
});

export const BASE_INDICATORS: readonly BaseIndicator[] = [
  { code: 'workers', category: 'workforce', labels: always('Tổng số CNVCLĐ', 'Workers'), unit: 'person', kind: 'stock', aggregation: SUM, splits: ['sector', 'women'], targeted: false },
  { code: 'members', category: 'members', labels: always('Tổng số đoàn viên', 'Union members'), unit: 'person', kind: 'stock', aggregation: SUM, splits: ['sector', 'women'], targeted: true },
  { code: 'members.admitted', category: 'members', labels: always('Đoàn viên kết nạp mới', 'New members admitted'), unit: 'person', kind: 'flow', aggregation: SUM, splits: ['sector', 'women'], targeted: true },
  { code: 'members.left', category: 'members', labels: always('Đoàn viên giảm', 'Members lost'), unit: 'person', kind: 'flow', aggregation: SUM, splits: [], targeted: false },
  { code: 'grassroots', category: 'grassroots', labels: always('Số CĐCS (kể cả nghiệp đoàn)', 'Grassroots unions'), unit: 'union', kind: 'stock', aggregation: SUM, splits: ['sector'], targeted: true },
  { code: 'grassroots.founded', category: 'grassroots', labels: always('CĐCS thành lập mới', 'Grassroots unions founded'), unit: 'union', kind: 'flow', aggregation: SUM, splits: ['sector'], targeted: true },
  { code: 'grassroots.dissolved', category: 'grassroots', labels: always('CĐCS giải thể', 'Grassroots unions dissolved'), unit: 'union', kind: 'flow', aggregation: SUM, splits: [], targeted: false },
  {
    code: 'enterprises.eligible',
    category: 'enterprises',
    labels: [
      { from: FIRST_YEAR, to: 2020, vi: 'Số DN từ 30 lao động trở lên', en: 'Enterprises with 30 or more workers' },
      { from: 2021, to: LAST_YEAR, vi: 'Số DN từ 25 lao động trở lên', en: 'Enterprises with 25 or more workers' },
    ],
    unit: 'enterprise', kind: 'stock', aggregation: SUM, splits: [], targeted: true,
  },
  { code: 'enterprises.unionised', category: 'enterprises', labels: always('Số DN đã có CĐCS', 'Of which with a grassroots union'), unit: 'enterprise', kind: 'stock', aggregation: SUM, splits: [], targeted: true },
  {
    code: 'coverage',
    category: 'enterprises',
    labels: always('Tỷ lệ DN có CĐCS', 'Coverage of eligible enterprises'),
    unit: 'percent', kind: 'ratio',
    aggregation: { type: 'ratio', numerator: 'enterprises.unionised', denominator: 'enterprises.eligible', scale: 100 },
    splits: [], targeted: true,
  },
  grade('grade.strong', ['CĐCS vững mạnh', 'Strong'], ['Hoàn thành xuất sắc nhiệm vụ', 'Excellent']),
  grade('grade.fair', ['CĐCS khá', 'Fair'], ['Hoàn thành tốt nhiệm vụ', 'Good']),
  grade('grade.average', ['CĐCS trung bình', 'Average'], ['Hoàn thành nhiệm vụ', 'Completed']),
  grade('grade.weak', ['CĐCS yếu', 'Weak'], ['Không hoàn thành nhiệm vụ', 'Not completed']),
  { code: 'grade.ungraded', category: 'grading', labels: always('CĐCS chưa đủ điều kiện xếp loại', 'Not yet eligible for grading'), unit: 'union', kind: 'stock', aggregation: SUM, splits: [], targeted: false },
  { code: 'officials.trained', category: 'training', labels: always('Cán bộ CĐ được đào tạo, bồi dưỡng', 'Union officials trained'), unit: 'person_time', kind: 'flow', aggregation: SUM, splits: [], targeted: true },
  { code: 'funding', category: 'funding', labels: always('Kinh phí cho phát triển đoàn viên', 'Funds spent on member development'), unit: 'million_vnd', kind: 'flow', aggregation: SUM, splits: [], targeted: false },
];

/** One cell-level indicator: a total, or one part of a total's split. */
export interface IndicatorDef extends Omit<BaseIndicator, 'splits'> {
  /** For a part: the total it belongs to. */
  total: string | null;
  split: { dimension: 'sector'; sector: SectorCode } | { dimension: 'women' } | null;
  /** The dimensions this total is split by (empty for parts). */
  splits: SplitDimension[];
  validFrom: number;
  validTo: number;
}

function expand(base: BaseIndicator): IndicatorDef[] {
  const total: IndicatorDef = { ...base, total: null, split: null, validFrom: FIRST_YEAR, validTo: LAST_YEAR };
  const parts: IndicatorDef[] = [];
  if (base.splits.includes('sector')) {
    for (const s of SECTORS) {
      parts.push({
        ...base,
        code: `${base.code}.sector.${s.code}`,
        labels: base.labels.map((l) => ({ ...l, vi: `${l.vi} — ${s.labelVi}`, en: `${l.en} — ${s.labelEn}` })),
        splits: [],
        total: base.code,
        split: { dimension: 'sector', sector: s.code },
        targeted: false,
        validFrom: FIRST_YEAR,
        validTo: LAST_YEAR,
      });
    }
  }
  if (base.splits.includes('women')) {
    parts.push({
      ...base,
      code: `${base.code}.women`,
      labels: base.labels.map((l) => ({ ...l, vi: `${l.vi} — trong đó nữ`, en: `${l.en} — of whom women` })),
      splits: [],
      total: base.code,
      split: { dimension: 'women' },
      targeted: false,
      validFrom: FIRST_YEAR,
      validTo: LAST_YEAR,
    });
  }
  return [total, ...parts];
}

export const INDICATORS: readonly IndicatorDef[] = BASE_INDICATORS.flatMap(expand);

const byCode = new Map(INDICATORS.map((i) => [i.code, i]));
export function indicator(code: string): IndicatorDef | undefined {
  return byCode.get(code);
}

/** The label in force in a given year (grading and threshold names changed over time). */
export function indicatorLabel(def: Pick<IndicatorDef, 'labels'>, year: number, lang: 'vi' | 'en' = 'vi'): string {
  const l = def.labels.find((x) => year >= x.from && year <= x.to) ?? def.labels[def.labels.length - 1]!;
  return lang === 'vi' ? l.vi : l.en;
}

export function isStored(def: IndicatorDef): boolean {
  return def.aggregation.type === 'sum';
}

export function acceptsScenario(def: IndicatorDef, scenario: 'actual' | 'target'): boolean {
  return scenario === 'actual' || def.targeted;
}
