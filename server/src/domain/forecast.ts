/**
 * Forecast one yearly series for the plan (issue 16 foundation): fit every method on the actuals,
 * backtest each (FORECAST_BACKTESTS), keep its MAPE, choose the lowest error (ties → the simpler
 * method) and explain the choice in vi and en. Pure: no GraphQL, HTTP or database here.
 *
 * Input values may be null (a year not reported) and the series may start late (a union founded
 * in 2016): missing years are dropped, a method without enough years is skipped with a reason.
 * Zeros are kept as values; CAGR skips a series starting or ending at zero, and a backtest year whose
 * actual is zero is left out of the MAPE (the percentage is undefined there).
 */
import {
  FORECAST_BACKTESTS,
  FORECAST_HORIZON,
  FORECAST_METHODS,
  FORECAST_SKIP_REASONS,
  forecastMethod,
  type ForecastMethodCode,
  type ForecastSkipReason,
} from '@unionhub/schema';
import { formatEnNumber, formatViNumber } from '@unionhub/schema/numbers';
import { FITS, type YearPoint } from './forecast-methods.js';

export type { YearPoint } from './forecast-methods.js';

export interface BacktestPoint {
  year: number;
  actual: number;
  predicted: number;
  /** Absolute percentage error, in % (|actual − predicted| / |actual| · 100). */
  ape: number;
}

export interface MethodForecast {
  method: ForecastMethodCode;
  /** Null with `skipped` when the method could not be fitted on the full series. */
  parameters: Record<string, number> | null;
  skipped: ForecastSkipReason | null;
  /** Whole numbers ≥ 0, one per horizon year; empty when skipped. */
  forecast: YearPoint[];
  backtest: BacktestPoint[];
  /** Mean of the backtest APEs, in %; null when no backtest year could be scored. */
  mape: number | null;
}

export interface SeriesForecast {
  chosen: ForecastMethodCode | null;
  /** Why there is no forecast at all (every method skipped). */
  skipped: ForecastSkipReason | null;
  methods: MethodForecast[];
  explanation: { vi: string; en: string };
}

export interface ForecastOptions {
  from?: number;
  to?: number;
  actualFrom?: number;
  actualTo?: number;
}

function clean(series: readonly { year: number; value: number | null }[], from: number, to: number): YearPoint[] {
  return series
    .filter((p): p is YearPoint => p.value !== null && Number.isFinite(p.value) && p.year >= from && p.year <= to)
    .sort((a, b) => a.year - b.year);
}

function backtest(method: ForecastMethodCode, points: readonly YearPoint[]): BacktestPoint[] {
  const out: BacktestPoint[] = [];
  for (const bt of FORECAST_BACKTESTS) {
    const actual = points.find((p) => p.year === bt.year)?.value;
    if (actual === undefined || actual === 0) continue;
    const fit = FITS[method](points.filter((p) => p.year <= bt.fitTo));
    if (!fit.ok) continue;
    const predicted = fit.predict(bt.year);
    out.push({ year: bt.year, actual, predicted, ape: (Math.abs(actual - predicted) / Math.abs(actual)) * 100 });
  }
  return out.sort((a, b) => a.year - b.year);
}

function forecastMethodOn(method: ForecastMethodCode, points: readonly YearPoint[], from: number, to: number): MethodForecast {
  const fit = FITS[method](points);
  if (!fit.ok) return { method, parameters: null, skipped: fit.reason, forecast: [], backtest: [], mape: null };
  const forecast: YearPoint[] = [];
  // Counts: rounded only here, at the end, and never below zero.
  for (let year = from; year <= to; year++) forecast.push({ year, value: Math.max(0, Math.round(fit.predict(year))) });
  const bt = backtest(method, points);
  const mape = bt.length ? bt.reduce((s, p) => s + p.ape, 0) / bt.length : null;
  return { method, parameters: fit.parameters, skipped: null, forecast, backtest: bt, mape };
}

/**
 * Lowest MAPE wins; equal MAPE (to 1e-9 %) → lower simplicity. When no method could be backtested
 * (exactly three years), the simplest fitted method is used and the explanation says so.
 */
export function chooseMethod(methods: readonly MethodForecast[]): ForecastMethodCode | null {
  // One sort of the fitted methods: backtested ones first by error (the simpler on a tie), then the rest by simplicity.
  const simplicity = (m: MethodForecast) => forecastMethod(m.method).simplicity;
  const fitted = methods.filter((m) => m.skipped === null).sort((a, b) => {
    if ((a.mape === null) !== (b.mape === null)) return a.mape === null ? 1 : -1;
    const d = a.mape !== null && b.mape !== null ? a.mape - b.mape : 0;
    return Math.abs(d) > 1e-9 ? d : simplicity(a) - simplicity(b);
  });
  return fitted[0]?.method ?? null;
}

function yearsText(methods: readonly MethodForecast[]): string {
  const years = [...new Set(methods.flatMap((m) => m.backtest.map((b) => b.year)))].sort((a, b) => a - b);
  return years.length > 1 ? `${years[0]}–${years[years.length - 1]}` : String(years[0] ?? '');
}

/** "damped trend (Holt): 1.8 % error on 2016–2017; linear trend 4.2 %; …" — chosen first, from the data. */
export function explain(chosen: ForecastMethodCode | null, methods: readonly MethodForecast[]): { vi: string; en: string } {
  const ordered = [...methods].sort((a, b) => (a.method === chosen ? -1 : b.method === chosen ? 1 : 0));
  const span = yearsText(methods);
  const part = (m: MethodForecast, lang: 'vi' | 'en'): string => {
    const def = forecastMethod(m.method);
    const label = lang === 'vi' ? def.labelVi : def.labelEn;
    const fmt = lang === 'vi' ? formatViNumber : formatEnNumber;
    if (m.skipped) return `${label}: ${lang === 'vi' ? 'bỏ qua' : 'skipped'} (${FORECAST_SKIP_REASONS[m.skipped][lang]})`;
    if (m.mape === null) return `${label}: ${FORECAST_SKIP_REASONS.noBacktest[lang]}`;
    const err = `${fmt(m.mape, 1)} %`;
    if (m.method !== chosen) return `${label} ${err}`;
    return lang === 'vi' ? `${label}: sai số ${err} trên ${span}` : `${label}: ${err} error on ${span}`;
  };
  const lead = (lang: 'vi' | 'en') => (chosen ? '' : lang === 'vi' ? 'Không có dự báo: ' : 'No forecast: ');
  return {
    vi: lead('vi') + ordered.map((m) => part(m, 'vi')).join('; '),
    en: lead('en') + ordered.map((m) => part(m, 'en')).join('; '),
  };
}

/** Forecast one series with every method, backtested; the chosen method's forecast is the plan's. */
export function forecastSeries(series: readonly { year: number; value: number | null }[], options: ForecastOptions = {}): SeriesForecast {
  const { from, to, actualFrom, actualTo } = { ...FORECAST_HORIZON, ...options };
  const points = clean(series, actualFrom, actualTo);
  const methods = FORECAST_METHODS.map((def) => forecastMethodOn(def.code, points, from, to));
  const chosen = chooseMethod(methods);
  // Every method skipped: linear only skips for too few years, so its reason speaks for the series.
  const skipped: ForecastSkipReason | null = chosen ? null : (methods[0]!.skipped ?? 'tooShort');
  return { chosen, skipped, methods, explanation: explain(chosen, methods) };
}

/** The chosen method's forecast, or [] when there is none. */
export function chosenForecast(result: SeriesForecast): YearPoint[] {
  return result.methods.find((m) => m.method === result.chosen)?.forecast ?? [];
}
