/**
 * Allocating the plan's national goal down the tree (issue 16), as data: the keys that share a
 * parent's total among its children, the paths the years between follow, and the notes an
 * allocation attaches where a key had no data. The arithmetic lives in server/src/domain/allocation.ts.
 */

export type AllocationKeyCode = 'forecastWorkers' | 'members' | 'equalGrowth';

export interface AllocationKeyDef {
  code: AllocationKeyCode;
  labelVi: string;
  labelEn: string;
  descriptionVi: string;
  descriptionEn: string;
}

export const ALLOCATION_KEYS: readonly AllocationKeyDef[] = [
  {
    code: 'forecastWorkers',
    labelVi: 'theo tỷ trọng CNVCLĐ dự báo',
    labelEn: 'share of forecast workers',
    descriptionVi: 'Mỗi đơn vị nhận phần của cấp trên theo tỷ trọng số CNVCLĐ dự báo năm cuối kế hoạch.',
    descriptionEn: 'Each union gets its parent’s total in proportion to its forecast workers in the plan’s last year.',
  },
  {
    code: 'members',
    labelVi: 'theo tỷ trọng đoàn viên hiện có',
    labelEn: 'share of today’s members',
    descriptionVi: 'Mỗi đơn vị nhận phần của cấp trên theo tỷ trọng đoàn viên năm gốc (đã duyệt).',
    descriptionEn: 'Each union gets its parent’s total in proportion to its approved members in the base year.',
  },
  {
    code: 'equalGrowth',
    labelVi: 'tăng đều',
    labelEn: 'equal growth',
    descriptionVi: 'Mỗi đơn vị giữ số hiện có (năm gốc, đã duyệt) và nhận phần tăng (hoặc giảm) chia đều giữa các đơn vị cùng cấp.',
    descriptionEn: 'Each union keeps its approved base-year value and gets an equal part of its parent’s growth (or decline).',
  },
];

export function allocationKey(code: AllocationKeyCode): AllocationKeyDef | undefined {
  return ALLOCATION_KEYS.find((k) => k.code === code);
}

/** Who allocates: these roles granted over the whole hierarchy (the department at TLĐ). */
export const ALLOCATION_ROLES = ['admin', 'reviewer'] as const;

export type AllocationPathCode = 'linear' | 'compound';

export const ALLOCATION_PATHS: readonly { code: AllocationPathCode; labelVi: string; labelEn: string; descriptionEn: string }[] = [
  { code: 'linear', labelVi: 'tăng đều mỗi năm', labelEn: 'equal steps', descriptionEn: 'The same change each year from the base year to the goal.' },
  { code: 'compound', labelVi: 'tốc độ tăng đều', labelEn: 'equal rate', descriptionEn: 'The same growth rate each year; equal steps where the base is zero or missing.' },
];

/**
 * The base year (today: the last approved actual year) and the plan's years; the goal is for `to`.
 * Years from–(to − 1) are interpolated between the base and the goal.
 */
export const ALLOCATION_YEARS = { base: 2017, from: 2018, to: 2023 } as const;

export type AllocationNoteCode = 'noKeyData' | 'noKeyDataAll' | 'zeroKeyAll' | 'noBase' | 'belowZero' | 'compoundFromZero' | 'forecastNotRun' | 'forecastStale' | 'ratioOverMax';

/** What an allocation says where it could not follow its key as stated; never a silent zero. */
export const ALLOCATION_NOTES: Record<AllocationNoteCode, { vi: string; en: string }> = {
  noKeyData: {
    vi: 'không có số liệu cho khóa phân bổ: nhận tỷ trọng bình quân của các đơn vị cùng cấp',
    en: 'no data for the key: given the average share of its siblings',
  },
  noKeyDataAll: {
    vi: 'không đơn vị cùng cấp nào có số liệu cho khóa phân bổ: chia đều',
    en: 'no sibling has data for the key: shared equally',
  },
  zeroKeyAll: {
    vi: 'khóa phân bổ bằng 0 ở mọi đơn vị cùng cấp: chia đều',
    en: 'the key is zero for every sibling: shared equally',
  },
  noBase: {
    vi: 'không có số liệu năm gốc đã duyệt: các năm giữa đi theo tỷ lệ của cấp trên',
    en: 'no approved base-year value: the years between follow the parent’s proportion',
  },
  belowZero: {
    vi: 'phần giảm chia đều vượt số hiện có: giữ ở 0, phần còn lại chia cho các đơn vị khác',
    en: 'an equal part of the decline exceeds its base: kept at 0, the rest shared by the others',
  },
  compoundFromZero: {
    vi: 'năm gốc bằng 0: các năm giữa tăng đều mỗi năm',
    en: 'base of zero: the years between take equal steps',
  },
  // The preview reads the stored forecasts (with reviewers' overrides in force); where one is missing or stale it computes it then.
  forecastNotRun: {
    vi: 'chưa có dự báo lưu (chưa chạy dự báo): dùng dự báo tính ngay từ số thực hiện đã duyệt; hãy chạy dự báo để lưu',
    en: 'no stored forecast (the forecasts were not run): forecast now from the approved actuals; run the forecasts to store it',
  },
  // A ratio goal shared by a key other than its denominator can give a union more than its forecast denominator.
  ratioOverMax: {
    vi: 'phần phân bổ vượt dự báo mẫu số: tỷ lệ tương ứng trên mức tối đa',
    en: 'the allocation exceeds the forecast denominator: the implied ratio is over its maximum',
  },
  forecastStale: {
    vi: 'dự báo lưu đã cũ (số thực hiện đã duyệt thay đổi): dùng dự báo tính lại ngay; hãy chạy dự báo để lưu',
    en: 'the stored forecast is stale (the approved actuals changed): forecast again now; run the forecasts to store it',
  },
};

export type PlanGapFlagCode = 'overTwiceHistorical' | 'belowForecast';

/**
 * What the gap view flags: in a union's target (approved, else proposed, else allocated), and in each
 * of those columns on its own (PLAN_GAP_COLUMNS); `short` is the badge, the text its explanation.
 */
export const PLAN_GAP_FLAGS: Record<PlanGapFlagCode, { vi: string; en: string; shortVi: string; shortEn: string }> = {
  overTwiceHistorical: {
    vi: 'cần tốc độ tăng hằng năm hơn gấp đôi tốc độ 2013–2017 của đơn vị',
    en: 'needs more than twice the union’s own 2013–2017 yearly growth',
    shortVi: '> 2× tốc độ cũ',
    shortEn: '> 2× past rate',
  },
  belowForecast: { vi: 'chỉ tiêu thấp hơn dự báo', en: 'the target is below the forecast', shortVi: '< dự báo', shortEn: '< forecast' },
};

export type PlanGapColumnCode = 'allocated' | 'proposed' | 'approved';

/** The gap view's target columns, each judged by the flags on its own (the order they are shown in). */
export const PLAN_GAP_COLUMNS: readonly PlanGapColumnCode[] = ['allocated', 'proposed', 'approved'];

export type ForecastOverrideState = 'inForce' | 'superseded' | 'lapsed';

/** Where a reviewer's override of a forecast stands; kept append-only, so every override stays in the trail. */
export const FORECAST_OVERRIDE_STATES: Record<ForecastOverrideState, { vi: string; en: string }> = {
  inForce: { vi: 'đang áp dụng', en: 'in force' },
  superseded: { vi: 'đã được thay bằng điều chỉnh sau', en: 'replaced by a later override' },
  lapsed: {
    vi: 'hết hiệu lực: số thực hiện đã duyệt thay đổi từ lúc điều chỉnh, áp dụng số tính toán; hãy điều chỉnh lại nếu vẫn cần',
    en: 'lapsed: the approved actuals changed since the override, the computed value applies; override again if still needed',
  },
};
