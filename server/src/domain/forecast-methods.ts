/**
 * The three forecast methods as pure fits: each takes yearly points (sorted, no gaps in the values
 * themselves — missing years are simply absent) and returns its parameters and a predictor.
 * Least squares comes from simple-statistics; CAGR and damped Holt are short enough to own
 * (simple-statistics has neither).
 */
import { linearRegression } from 'simple-statistics';
import { forecastMethod, type ForecastMethodCode, type ForecastSkipReason } from '@unionhub/schema';

export interface YearPoint {
  year: number;
  value: number;
}

export type Fit =
  | { ok: true; parameters: Record<string, number>; predict: (year: number) => number }
  | { ok: false; reason: ForecastSkipReason };

/** Linear trend: x is the year offset from the first point, so gaps simply drop out of the fit. */
export function fitLinear(points: readonly YearPoint[]): Fit {
  if (points.length < forecastMethod('linear').minYears) return { ok: false, reason: 'tooShort' };
  const x0 = points[0]!.year;
  const { m, b } = linearRegression(points.map((p) => [p.year - x0, p.value]));
  return { ok: true, parameters: { slope: m, intercept: b }, predict: (year) => b + m * (year - x0) };
}

/** Compound growth between the first and last point, continued from the last point. */
export function fitCagr(points: readonly YearPoint[]): Fit {
  if (points.length < forecastMethod('cagr').minYears) return { ok: false, reason: 'tooShort' };
  const first = points[0]!;
  const last = points[points.length - 1]!;
  // A rate from or to zero is undefined (or −100 %); a negative count has no growth rate.
  if (first.value <= 0 || last.value <= 0) return { ok: false, reason: 'nonPositive' };
  const rate = (last.value / first.value) ** (1 / (last.year - first.year)) - 1;
  return { ok: true, parameters: { rate }, predict: (year) => last.value * (1 + rate) ** (year - last.year) };
}

/** Holt needs evenly spaced steps: interior missing years are filled by straight-line interpolation. */
export function fillGaps(points: readonly YearPoint[]): YearPoint[] {
  const out: YearPoint[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const prev = points[i - 1];
    if (prev) {
      for (let y = prev.year + 1; y < p.year; y++) {
        out.push({ year: y, value: prev.value + ((p.value - prev.value) * (y - prev.year)) / (p.year - prev.year) });
      }
    }
    out.push(p);
  }
  return out;
}

interface HoltState {
  level: number;
  trend: number;
  sse: number;
}

/** Runs damped Holt over the values; sse sums the one-step errors from the third value on. */
function runHolt(values: readonly number[], alpha: number, beta: number, phi: number): HoltState {
  const state = { level: 0, trend: 0, sse: 0 };
  state.sse = holtSse(values, alpha, beta, phi, state);
  return state;
}

/**
 * The same run's sse, and its last level and trend into `end` if given. Allocates nothing: the grid
 * search runs it 405 times per fit, and every union's series is fit and backtested (bench/plan.ts).
 */
function holtSse(values: readonly number[], alpha: number, beta: number, phi: number, end?: HoltState): number {
  let level = values[0]!;
  let trend = values[1]! - values[0]!;
  let sse = 0;
  for (let t = 1; t < values.length; t++) {
    const y = values[t]!;
    const oneStep = level + phi * trend;
    // t = 1 is where the trend was initialised from, so its error says nothing about the parameters.
    if (t >= 2) sse += (y - oneStep) ** 2;
    const nextLevel = alpha * y + (1 - alpha) * oneStep;
    trend = beta * (nextLevel - level) + (1 - beta) * phi * trend;
    level = nextLevel;
  }
  if (end) {
    end.level = level;
    end.trend = trend;
  }
  return sse;
}

/** Damped-trend Holt; alpha, beta, phi chosen by least in-sample SSE over the schema's grid (first wins ties). */
export function fitHolt(points: readonly YearPoint[]): Fit {
  const def = forecastMethod('holt');
  if (points.length < def.minYears) return { ok: false, reason: 'tooShort' };
  const filled = fillGaps(points);
  const values = filled.map((p) => p.value);
  const grid = (code: string) => def.parameters.find((p) => p.code === code)!.grid!;
  const [alphas, betas, phis] = [grid('alpha'), grid('beta'), grid('phi')];
  // The first try is taken whatever its error (even one that overflows); a later one only if strictly less.
  let [alpha, beta, phi, least] = [alphas[0]!, betas[0]!, phis[0]!, holtSse(values, alphas[0]!, betas[0]!, phis[0]!)];
  for (const a of alphas)
    for (const b of betas)
      for (const f of phis) {
        const sse = holtSse(values, a, b, f);
        if (sse < least) [alpha, beta, phi, least] = [a, b, f, sse];
      }
  const state = runHolt(values, alpha, beta, phi);
  const lastYear = filled[filled.length - 1]!.year;
  return {
    ok: true,
    parameters: { alpha, beta, phi },
    predict: (year) => {
      // level + (phi + phi² + … + phi^h) · trend
      let damp = 0;
      for (let h = 1; h <= year - lastYear; h++) damp += phi ** h;
      return state.level + damp * state.trend;
    },
  };
}

export const FITS: Record<ForecastMethodCode, (points: readonly YearPoint[]) => Fit> = {
  linear: fitLinear,
  cagr: fitCagr,
  holt: fitHolt,
};
