/**
 * The plan section's forecast beside its target (issue 16): for the report's root, per plan year and
 * per indicator of PLAN_FORECAST_ROWS, the root's stored forecast (reviewers' overrides in force,
 * as `ownForecasts` gives it) and the approved target (the children's approved targets summed,
 * as the plan table has them). A forecast that was never run, could not be made or is stale, an
 * override and a target year not wholly approved each carry a note: never a silent blank.
 */
import {
  fillSentence, FORECAST_SKIP_REASONS, indicatorLabel, PLAN_FORECAST_LABELS as P, PLAN_FORECAST_NOTES, PLAN_FORECAST_ROWS, REPORT_LABELS as L, REPORT_PLAN, REPORT_TABLES,
  type PlanForecastNoteCode, type ReportRow, type ReportTableData,
} from '@unionhub/schema';
import type { Access } from './access.js';
import type { Db } from './db.js';
import { ownForecasts, type StoredForecast } from './plan-forecasts.js';
import { def, PLAN_YEARS, storedParts } from './report-coverage.js';
import { pct } from './report-values.js';
import type { TableContext } from './report-tables.js';

export interface PlanNote {
  code: PlanForecastNoteCode;
  /** The plan year it is about; null: the whole series. */
  year: number | null;
  vi: string;
  en: string;
}

export type PlanForecastState = 'ok' | 'stale' | 'notRun' | 'skipped';

/** One indicator's forecast and target over the plan years, with what must be said of them. */
export interface PlanForecastSeries {
  indicator: string;
  label: string;
  state: PlanForecastState;
  years: number[];
  /** The stored forecast with overrides in force; null where none (never run, could not be made). */
  forecast: (number | null)[];
  /** The approved target summed over the root's units; null where nothing approved. */
  target: (number | null)[];
  notes: PlanNote[];
}

const dateOf = (iso: string, lang: 'vi' | 'en') =>
  new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));

function note(code: PlanForecastNoteCode, year: number | null, params: (lang: 'vi' | 'en') => Record<string, string>): PlanNote {
  const fill = (lang: 'vi' | 'en') => fillSentence(PLAN_FORECAST_NOTES[code][lang], params(lang)) ?? PLAN_FORECAST_NOTES[code][lang];
  return { code, year, vi: fill('vi'), en: fill('en') };
}

/** The notes of one indicator's forecast: why there is none, or that it is stale, how it was made, which years a reviewer set. */
function forecastNotes(code: string, stored: StoredForecast | undefined, unionName: string): { state: PlanForecastState; notes: PlanNote[] } {
  const name = (lang: 'vi' | 'en') => indicatorLabel(def(code), REPORT_PLAN.from, lang);
  if (!stored) return { state: 'notRun', notes: [note('notRun', null, (lang) => ({ indicator: name(lang), unionName }))] };
  if (stored.method === null) {
    const reason = stored.skipped ?? 'tooShort';
    return { state: 'skipped', notes: [note('skipped', null, (lang) => ({ indicator: name(lang), reason: FORECAST_SKIP_REASONS[reason][lang] }))] };
  }
  const notes: PlanNote[] = [];
  if (stored.stale) notes.push(note('stale', null, (lang) => ({ indicator: name(lang), computedAt: dateOf(stored.computedAt, lang) })));
  notes.push(note('method', null, (lang) => ({ indicator: name(lang), explanation: stored.explanation[lang] })));
  for (const o of stored.overrides.filter((x) => x.state === 'inForce' && PLAN_YEARS.includes(x.year))) {
    notes.push(note('overridden', o.year, (lang) => ({ indicator: name(lang), year: String(o.year), by: o.by, reason: o.reason })));
  }
  return { state: stored.stale ? 'stale' : 'ok', notes };
}

/** The forecast and target series of the root for every indicator of PLAN_FORECAST_ROWS. */
export async function planForecastSeries(db: Db, access: Access, ctx: TableContext): Promise<PlanForecastSeries[]> {
  const out: PlanForecastSeries[] = [];
  const own = await ownForecasts(db, access, ctx.root.code, PLAN_FORECAST_ROWS);
  for (const code of PLAN_FORECAST_ROWS) {
    const stored = own.find((f) => f.indicator === code);
    const { state, notes } = forecastNotes(code, stored, ctx.root.name);
    const byYear = new Map((stored?.method ? stored.values : []).map((v) => [v.year, v.value]));
    const parts = storedParts(code);
    for (const year of PLAN_YEARS) {
      if (!ctx.pending.some((p) => p.scenario === 'target' && p.year === year && parts.includes(p.indicatorCode))) continue;
      notes.push(note('targetIncomplete', year, (lang) => ({ indicator: indicatorLabel(def(code), year, lang), year: String(year) })));
    }
    out.push({
      indicator: code, label: indicatorLabel(def(code), REPORT_PLAN.from), state, years: PLAN_YEARS,
      forecast: PLAN_YEARS.map((y) => byYear.get(y) ?? null),
      target: PLAN_YEARS.map((y) => ctx.v.value(ctx.all, code, y, 'target')),
      notes,
    });
  }
  return out;
}

/** What of the forecast the content hash covers: everything printed of it (values and notes); the targets are in the figures already. */
export function planForecastHashPart(series: readonly PlanForecastSeries[]): unknown {
  return series.map((s) => [s.indicator, s.state, s.forecast, s.notes.map((n) => n.vi)]);
}

/** Table 10: per indicator its forecast, its target and the target as % of the forecast, per plan year. */
export function planForecastTable(series: readonly PlanForecastSeries[], unionName: string): ReportTableData {
  const spec = REPORT_TABLES.planForecast;
  const rows: ReportRow[] = series.flatMap((s) => [
    { key: `${s.indicator}:forecast`, label: `${s.label} — ${P.forecast.vi.toLowerCase()}`, values: [...s.forecast], kind: 'row' as const, note: s.state === 'ok' ? undefined : s.notes[0]?.vi },
    { key: `${s.indicator}:target`, label: `${s.label} — ${P.target.vi.toLowerCase()}`, values: [...s.target], kind: 'row' as const },
    { key: `${s.indicator}:ratio`, label: `${s.label} — ${P.targetVsForecast.vi}`, values: s.target.map((t, i) => pct(t, s.forecast[i]!)), kind: 'row' as const, format: 'percent' as const },
  ]);
  return {
    key: 'planForecast', section: spec.section, sheet: spec.sheet, title: spec.title, rowHeading: L.indicator,
    columns: PLAN_YEARS.map((y) => ({ key: String(y), label: String(y), format: 'integer' })),
    rows,
    notes: [fillSentence(P.basis.vi, { unionName }) ?? P.basis.vi, ...series.flatMap((s) => s.notes.map((n) => n.vi))],
  };
}
