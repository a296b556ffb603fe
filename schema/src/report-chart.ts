/**
 * The report's forecast-and-target chart as geometry (issue 16): one pure function from a plan
 * indicator's years, forecast and target to axes, ticks, two polylines with their points and a
 * legend, in the page's language. The client draws it as React SVG, the server as an SVG string
 * rasterised into the DOCX: the same numbers in both, so the Word chart is the page's chart.
 */
import { indicator as catalogueIndicator, indicatorLabel } from './indicators.js';
import { formatEnNumber, formatViNumber } from './numbers.js';
import { fillSentence, PLAN_FORECAST_LABELS as P } from './report.js';

export type ChartLang = 'vi' | 'en';

export interface ChartPoint {
  x: number;
  y: number;
  year: number;
  value: number;
  /** The value in full, in the chart's language (a tooltip). */
  label: string;
}

export interface ChartLine {
  key: 'forecast' | 'target';
  label: string;
  color: string;
  /** SVG stroke-dasharray, or null for a solid line. */
  dash: string | null;
  points: ChartPoint[];
  /** Runs of consecutive years with a value, as SVG polyline `points`: a missing year breaks the line. */
  segments: string[];
}

export interface ChartGeometry {
  width: number;
  height: number;
  title: string;
  /** The plot area: ticks and lines lie within it. */
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  lines: ChartLine[];
  legend: { x: number; y: number; label: string; color: string; dash: string | null }[];
  /** Nothing to draw (no forecast and no target): the chart says so instead of an empty frame. */
  empty: boolean;
}

export interface PlanChartInput {
  indicator: string;
  years: readonly number[];
  forecast: readonly (number | null)[];
  target: readonly (number | null)[];
  lang: ChartLang;
}

const SIZE = { width: 480, height: 260 };
const PAD = { left: 64, right: 16, top: 34, bottom: 52 };
const STYLE = {
  target: { color: '#0b4f8a', dash: null },
  forecast: { color: '#e65100', dash: '6 4' },
} as const;

/** A round step near range/ticks: 1, 2 or 5 × 10^k. */
function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** An axis value in the chart's language, in millions or thousands when large ("10,2 tr" / "10.2 M"). */
export function chartNumber(v: number, lang: ChartLang, step: number): string {
  const fmt = lang === 'vi' ? formatViNumber : formatEnNumber;
  const scaled = (unit: number, word: string) => {
    // Enough decimals to tell neighbouring ticks apart.
    const digits = Math.max(0, Math.min(3, Math.ceil(-Math.log10(step / unit) - 1e-9)));
    return `${fmt(v / unit, digits)} ${word}`;
  };
  if (Math.abs(v) >= 1e6) return scaled(1e6, P.million[lang]);
  if (Math.abs(v) >= 1e4) return scaled(1e3, P.thousand[lang]);
  return fmt(v, 0);
}

export function planChartGeometry(input: PlanChartInput): ChartGeometry {
  const { width, height } = SIZE;
  const plot = { left: PAD.left, top: PAD.top, right: width - PAD.right, bottom: height - PAD.bottom };
  const def = catalogueIndicator(input.indicator);
  const name = def ? indicatorLabel(def, input.years[input.years.length - 1] ?? 0, input.lang) : input.indicator;
  const title = fillSentence(P.chartTitle[input.lang], { indicator: name, from: String(input.years[0] ?? ''), to: String(input.years[input.years.length - 1] ?? '') }) ?? name;
  const values = [...input.forecast, ...input.target].filter((v): v is number => v !== null && Number.isFinite(v));
  const empty = values.length === 0;
  let lo = empty ? 0 : Math.min(...values);
  let hi = empty ? 1 : Math.max(...values);
  if (lo === hi) [lo, hi] = [lo - Math.max(1, Math.abs(lo) * 0.05), hi + Math.max(1, Math.abs(hi) * 0.05)];
  const step = niceStep(hi - lo, 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  if (lo < 0 && Math.min(...(values.length ? values : [0])) >= 0) lo = 0;
  const y = (v: number) => plot.bottom - ((v - lo) / (hi - lo)) * (plot.bottom - plot.top);
  const band = (plot.right - plot.left) / Math.max(1, input.years.length);
  const x = (i: number) => plot.left + band * (i + 0.5);
  const yTicks: ChartGeometry['yTicks'] = [];
  for (let v = lo, k = 0; v <= hi + step / 2 && k < 50; v = lo + step * ++k) yTicks.push({ y: y(v), label: chartNumber(v, input.lang, step) });
  const full = input.lang === 'vi' ? formatViNumber : formatEnNumber;
  const line = (key: 'forecast' | 'target', vals: readonly (number | null)[]): ChartLine => {
    const points: ChartPoint[] = [];
    const segments: string[] = [];
    let run: string[] = [];
    vals.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        if (run.length) segments.push(run.join(' '));
        run = [];
        return;
      }
      const p = { x: x(i), y: y(v), year: input.years[i]!, value: v, label: `${input.years[i]}: ${full(v, 0)}` };
      points.push(p);
      run.push(`${p.x.toFixed(1)},${p.y.toFixed(1)}`);
    });
    if (run.length) segments.push(run.join(' '));
    return { key, label: P[key][input.lang], color: STYLE[key].color, dash: STYLE[key].dash, points, segments };
  };
  const lines = [line('target', input.target), line('forecast', input.forecast)];
  const legend = lines.map((l, i) => ({ x: plot.left + i * 150, y: height - 14, label: l.label, color: l.color, dash: l.dash }));
  return {
    width, height, title, plot, empty, lines, legend,
    xTicks: input.years.map((yr, i) => ({ x: x(i), label: String(yr) })),
    yTicks,
  };
}
