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
  return { level, trend, sse };
}

/** The schema's grid, every (alpha, beta, phi) in search order, with the products runHolt forms, once. */
interface HoltGrid {
  alpha: Float64Array;
  beta: Float64Array;
  phi: Float64Array;
  keepAlpha: Float64Array;
  keepTrend: Float64Array;
  level: Float64Array;
  trend: Float64Array;
  sse: Float64Array;
}
let holtGrid: HoltGrid | undefined;
function gridOfHolt(): HoltGrid {
  if (holtGrid) return holtGrid;
  const def = forecastMethod('holt');
  const grid = (code: string) => def.parameters.find((p) => p.code === code)!.grid!;
  const tries: [number, number, number][] = [];
  for (const a of grid('alpha')) for (const b of grid('beta')) for (const f of grid('phi')) tries.push([a, b, f]);
  const n = tries.length;
  holtGrid = {
    alpha: Float64Array.from(tries, (t) => t[0]),
    beta: Float64Array.from(tries, (t) => t[1]),
    phi: Float64Array.from(tries, (t) => t[2]),
    keepAlpha: Float64Array.from(tries, (t) => 1 - t[0]),
    // (1 - beta) * phi as runHolt multiplies it, left to right: the same doubles.
    keepTrend: Float64Array.from(tries, (t) => (1 - t[1]) * t[2]),
    level: new Float64Array(n),
    trend: new Float64Array(n),
    sse: new Float64Array(n),
  };
  return holtGrid;
}

/**
 * Every try of the grid run side by side, one pass over the values: the same arithmetic as runHolt
 * per try (so the same sums), without a call per try — every union's series is fit and backtested
 * (bench/plan.ts). The first try is taken whatever its error (even one that overflows); a later one
 * only if strictly less.
 */
function bestHoltTry(values: readonly number[]): number {
  const { alpha, beta, phi, keepAlpha, keepTrend, level, trend, sse } = gridOfHolt();
  const n = alpha.length;
  const first = values[0]!;
  const slope = values[1]! - first;
  // t = 1, where the trend was initialised from: no error counted.
  const y1 = values[1]!;
  for (let k = 0; k < n; k++) {
    const nextLevel = alpha[k]! * y1 + keepAlpha[k]! * (first + phi[k]! * slope);
    trend[k] = beta[k]! * (nextLevel - first) + keepTrend[k]! * slope;
    level[k] = nextLevel;
    sse[k] = 0;
  }
  for (let t = 2; t < values.length; t++) {
    const y = values[t]!;
    for (let k = 0; k < n; k++) {
      const l = level[k]!;
      const tr = trend[k]!;
      const oneStep = l + phi[k]! * tr;
      sse[k] = sse[k]! + (y - oneStep) ** 2;
      const nextLevel = alpha[k]! * y + keepAlpha[k]! * oneStep;
      trend[k] = beta[k]! * (nextLevel - l) + keepTrend[k]! * tr;
      level[k] = nextLevel;
    }
  }
  let best = 0;
  for (let k = 1; k < n; k++) if (sse[k]! < sse[best]!) best = k;
  return best;
}

/** Damped-trend Holt; alpha, beta, phi chosen by least in-sample SSE over the schema's grid (first wins ties). */
export function fitHolt(points: readonly YearPoint[]): Fit {
  const def = forecastMethod('holt');
  if (points.length < def.minYears) return { ok: false, reason: 'tooShort' };
  const filled = fillGaps(points);
  const values = filled.map((p) => p.value);
  const g = gridOfHolt();
  const k = bestHoltTry(values);
  const [alpha, beta, phi] = [g.alpha[k]!, g.beta[k]!, g.phi[k]!];
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
