/**
 * The report's plan section (issue 16): per plan indicator, the root's forecast beside the approved
 * target as a chart, drawn as React SVG from the same geometry the Word file's image is rendered
 * from (schema's planChartGeometry), in the page's language, with the notes that say where a
 * forecast or target is missing, stale or overridden.
 */
import { PLAN_FORECAST_LABELS, planChartGeometry, type ChartGeometry } from '@unionhub/schema';
import type { Lang } from './i18n.ts';

export interface PlanForecastRow {
  indicator: string;
  year: number;
  forecast: number | null;
  target: number | null;
  state: string;
  notes: { code: string; year: number | null; vi: string; en: string }[];
}

/** The rows grouped per indicator, in the order they came. */
function byIndicator(rows: PlanForecastRow[]): { indicator: string; rows: PlanForecastRow[] }[] {
  const out = new Map<string, PlanForecastRow[]>();
  for (const r of rows) (out.get(r.indicator) ?? out.set(r.indicator, []).get(r.indicator)!).push(r);
  return [...out].map(([indicator, list]) => ({ indicator, rows: list.sort((a, b) => a.year - b.year) }));
}

function ChartSvg({ g, noData }: { g: ChartGeometry; noData: string }) {
  const { plot } = g;
  return (
    <svg viewBox={`0 0 ${g.width} ${g.height}`} width={g.width} height={g.height} role="img" aria-label={g.title} className="plan-forecast-svg">
      <text x={g.width / 2} y={18} textAnchor="middle" fontSize="14">{g.title}</text>
      {g.yTicks.map((t) => (
        <g key={t.label}>
          <line x1={plot.left} x2={plot.right} y1={t.y} y2={t.y} stroke="#e0e0e0" />
          <text x={plot.left - 6} y={t.y + 3} textAnchor="end" fontSize="10">{t.label}</text>
        </g>
      ))}
      <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} stroke="#888" />
      {g.xTicks.map((t) => <text key={t.label} x={t.x} y={plot.bottom + 15} textAnchor="middle" fontSize="10">{t.label}</text>)}
      {g.empty && <text x={(plot.left + plot.right) / 2} y={(plot.top + plot.bottom) / 2} textAnchor="middle" fontSize="12" fill="#666">{noData}</text>}
      {g.lines.map((l) => (
        <g key={l.key} data-series={l.key}>
          {l.segments.map((seg, i) => <polyline key={i} points={seg} fill="none" stroke={l.color} strokeWidth="2.5" strokeDasharray={l.dash ?? undefined} />)}
          {l.points.map((p) => (
            <circle key={p.year} cx={p.x} cy={p.y} r="3.5" fill={l.key === 'target' ? l.color : '#fff'} stroke={l.color} strokeWidth="2"><title>{`${l.label} ${p.label}`}</title></circle>
          ))}
        </g>
      ))}
      {g.legend.map((e) => (
        <g key={e.label}>
          <line x1={e.x} x2={e.x + 24} y1={e.y - 4} y2={e.y - 4} stroke={e.color} strokeWidth="2.5" strokeDasharray={e.dash ?? undefined} />
          <text x={e.x + 30} y={e.y} fontSize="11">{e.label}</text>
        </g>
      ))}
    </svg>
  );
}

export function PlanForecastCharts({ rows, lang }: { rows: PlanForecastRow[]; lang: Lang }) {
  if (rows.length === 0) return null;
  return (
    <section className="plan-forecast-charts" data-testid="plan-forecast-charts">
      {byIndicator(rows).map(({ indicator, rows: list }) => {
        const g = planChartGeometry({ indicator, years: list.map((r) => r.year), forecast: list.map((r) => r.forecast), target: list.map((r) => r.target), lang });
        // Each note once: the indicator's own, then the years'.
        const notes = [...new Map(list.flatMap((r) => r.notes).map((n) => [`${n.code}|${n.year}`, n])).values()];
        return (
          <figure key={indicator} className="report-chart plan-forecast-chart" data-testid={`plan-forecast-chart-${indicator}`}>
            <ChartSvg g={g} noData={PLAN_FORECAST_LABELS.noData[lang]} />
            {notes.length > 0 && <figcaption><ul>{notes.map((n) => <li key={`${n.code}|${n.year}`} data-note={n.code}>{n[lang]}</li>)}</ul></figcaption>}
          </figure>
        );
      })}
    </section>
  );
}
