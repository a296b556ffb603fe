/**
 * Forecasting for the 2018–2023 plan (issue 16), as data: the methods with their parameters, the
 * series the plan forecasts, the years fitted and forecast, and the backtests that choose a method.
 * The arithmetic lives in server/src/domain/forecast*.ts; this shelf only says what exists.
 */

export type ForecastMethodCode = 'linear' | 'cagr' | 'holt';

export interface ForecastParameterDef {
  code: string;
  labelVi: string;
  labelEn: string;
  descriptionVi: string;
  descriptionEn: string;
  /** Values tried when the parameter is chosen by fitting (Holt); absent when it is computed directly. */
  grid?: readonly number[];
}

export interface ForecastMethodDef {
  code: ForecastMethodCode;
  labelVi: string;
  labelEn: string;
  descriptionVi: string;
  descriptionEn: string;
  /** 1 = simplest; on equal backtest error the simpler method wins. */
  simplicity: number;
  /** Fewest yearly values the method is fitted on; shorter series skip it with a reason. */
  minYears: number;
  parameters: readonly ForecastParameterDef[];
}

const tenths = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

export const FORECAST_METHODS: readonly ForecastMethodDef[] = [
  {
    code: 'linear',
    labelVi: 'xu hướng tuyến tính',
    labelEn: 'linear trend',
    descriptionVi: 'Đường thẳng bình phương tối thiểu qua các năm thực hiện, kéo dài tới các năm kế hoạch.',
    descriptionEn: 'A least-squares straight line through the actual years, extended to the plan years.',
    simplicity: 1,
    minYears: 3,
    parameters: [
      { code: 'slope', labelVi: 'độ dốc', labelEn: 'slope', descriptionVi: 'Mức tăng mỗi năm.', descriptionEn: 'Change per year.' },
      { code: 'intercept', labelVi: 'hệ số chặn', labelEn: 'intercept', descriptionVi: 'Giá trị của đường thẳng tại năm đầu chuỗi.', descriptionEn: 'Value of the line at the series’ first year.' },
    ],
  },
  {
    code: 'cagr',
    labelVi: 'tăng trưởng kép hằng năm',
    labelEn: 'compound annual growth',
    descriptionVi: 'Tốc độ tăng bình quân giữa năm đầu và năm cuối, áp dụng tiếp từ năm cuối.',
    descriptionEn: 'The average yearly growth rate between the first and last year, continued from the last year.',
    simplicity: 2,
    minYears: 3,
    parameters: [
      { code: 'rate', labelVi: 'tốc độ tăng', labelEn: 'growth rate', descriptionVi: '(cuối / đầu)^(1 / số năm) − 1.', descriptionEn: '(last / first)^(1 / years) − 1.' },
    ],
  },
  {
    code: 'holt',
    labelVi: 'xu hướng tắt dần (Holt)',
    labelEn: 'damped trend (Holt)',
    descriptionVi: 'San bằng mũ hai tham số với xu hướng tắt dần; tham số chọn theo sai số bình phương nhỏ nhất trong mẫu trên một lưới nhỏ.',
    descriptionEn: 'Double exponential smoothing with a damped trend; parameters chosen by least in-sample squared one-step error over a small grid.',
    simplicity: 3,
    minYears: 3,
    parameters: [
      { code: 'alpha', labelVi: 'alpha (mức)', labelEn: 'alpha (level)', descriptionVi: 'Trọng số của giá trị mới khi cập nhật mức.', descriptionEn: 'Weight of the new value when updating the level.', grid: tenths },
      { code: 'beta', labelVi: 'beta (xu hướng)', labelEn: 'beta (trend)', descriptionVi: 'Trọng số của thay đổi mới khi cập nhật xu hướng.', descriptionEn: 'Weight of the new change when updating the trend.', grid: tenths },
      { code: 'phi', labelVi: 'phi (tắt dần)', labelEn: 'phi (damping)', descriptionVi: 'Mỗi năm xu hướng còn lại phần phi (< 1).', descriptionEn: 'Share of the trend kept each further year (< 1).', grid: [0.8, 0.85, 0.9, 0.95, 0.98] },
    ],
  },
];

export function forecastMethod(code: ForecastMethodCode): ForecastMethodDef {
  return FORECAST_METHODS.find((m) => m.code === code)!;
}

/** The series the plan forecasts (indicator codes of indicators.ts); workers also by sector. */
export const FORECAST_SERIES: readonly { indicator: string; bySector: boolean }[] = [
  { indicator: 'workers', bySector: true },
  { indicator: 'enterprises.eligible', bySector: false },
  { indicator: 'members', bySector: false },
  { indicator: 'grassroots', bySector: false },
];

/** Fitted on approved actuals `actualFrom`–`actualTo`, forecast `from`–`to`. */
export const FORECAST_HORIZON = { actualFrom: 2013, actualTo: 2017, from: 2018, to: 2023 } as const;

/** Each backtest fits the actuals up to `fitTo` and forecasts `year`; MAPE is taken over these years. */
export const FORECAST_BACKTESTS: readonly { fitTo: number; year: number }[] = [
  { fitTo: 2016, year: 2017 },
  { fitTo: 2015, year: 2016 },
];

export type ForecastSkipReason = 'tooShort' | 'nonPositive' | 'noBacktest';

export const FORECAST_SKIP_REASONS: Record<ForecastSkipReason, { vi: string; en: string }> = {
  tooShort: { vi: 'không đủ số năm thực hiện', en: 'too few actual years' },
  nonPositive: { vi: 'năm đầu hoặc năm cuối bằng 0 hoặc âm', en: 'first or last value is zero or negative' },
  noBacktest: { vi: 'không kiểm tra ngược được (thiếu năm hoặc giá trị thực bằng 0)', en: 'no backtest possible (missing years or zero actuals)' },
};
