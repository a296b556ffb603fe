/**
 * The consolidated report page: the report as the approved figures stand (or a frozen edition),
 * hand-drawn SVG charts, the tables, what is not approved yet; issuing an edition with its stages
 * shown as they happen (reportProgress over SSE); editions with downloads and their changes.
 */
import { Fragment, lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { formatViNumber } from '@unionhub/schema/numbers';
import { roleOperations } from '@unionhub/schema/roles';
import { downloadOnClick, run, subscribe } from './api.ts';
import { t, type Lang, type Word } from './i18n.ts';
import { failureText } from './messages.ts';
import { UnionPicker } from './UnionPicker.tsx';
import { useReportRoot } from './useReportRoot.ts';
import type { ReportTextData } from './writing/ReportTexts.tsx';
import { PlanForecastCharts, type PlanForecastRow } from './PlanForecastCharts.tsx';
import './report.css';

// The written sections are shown through the editor's schema: loaded with it, when a report is open.
const ReportTexts = lazy(() => import('./writing/ReportTexts.tsx').then((m) => ({ default: m.ReportTexts })));

interface Column { key: string; label: string; format: string }
interface Row { key: string; label: string; kind: string; format: string | null; note: string | null; values: (number | null)[] }
interface Table { key: string; sectionTitle: string; title: string; rowHeading: string; columns: Column[]; rows: Row[]; notes: string[] }
interface Series { key: string; label: string; values: (number | null)[] }
interface ReportData {
  rootName: string;
  contentHash: string;
  pendingTotal: number;
  withProposal: number;
  tables: Table[];
  sentences: { key: string; text: string }[];
  charts: { years: number[]; members: Series[]; admitted: Series[]; grading: Series[] };
  pending: { label: string; year: number; scenario: string; count: number; expected: number }[];
  texts: ReportTextData[];
  planForecast: PlanForecastRow[];
}
interface Edition { id: number; number: number; createdAt: string; actor: string; contentHash: string; changeCount: number; pendingTotal: number; xlsxUrl: string; docxUrl: string }
interface Change { unionName: string; indicatorLabel: string; year: number; scenario: string; oldValue: number | null; newValue: number | null }

const REPORT_FIELDS = `rootName contentHash pendingTotal withProposal
  tables { key sectionTitle title rowHeading notes columns { key label format } rows { key label kind format note values } }
  sentences { key text }
  charts { years members { key label values } admitted { key label values } grading { key label values } }
  pending { label year scenario count expected }
  texts { section titleVi version document }
  planForecast { indicator year forecast target state notes { code year vi en } }`;
const EDITION_FIELDS = 'id number createdAt actor contentHash changeCount pendingTotal xlsxUrl docxUrl';
const STAGES = ['load', 'assemble', 'xlsx', 'docx', 'save', 'done'] as const;

const fmt = (v: number | null, format: string) => formatViNumber(v, format === 'percent' ? 1 : format === 'decimal' ? 2 : 0);
const cellFormat = (c: Column, r: Row) => (c.format !== 'integer' ? c.format : (r.format ?? 'integer'));

/** Follow a generation's stages over SSE; resolves once subscribed. */
function followProgress(jobId: string, onStage: (stage: string, fraction: number) => void, signal: AbortSignal): Promise<void> {
  return subscribe<{ reportProgress?: { stage: string; fraction: number } }>(
    `subscription { reportProgress(jobId: ${JSON.stringify(jobId)}) { stage fraction } }`,
    (d) => d.reportProgress && onStage(d.reportProgress.stage, d.reportProgress.fraction),
    signal,
  );
}

export function Report({ lang }: { lang: Lang }) {
  const [live, setLive] = useState<ReportData | null>(null);
  const [editions, setEditions] = useState<Edition[]>([]);
  const [shown, setShown] = useState<{ edition: Edition; report: ReportData; changes: Change[] } | null>(null);
  const [canIssue, setCanIssue] = useState(false);
  const [progress, setProgress] = useState<{ stage: string; fraction: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Any union's own report (part III.1): TLĐ, a province, a district federation…
  const [root, setRoot] = useReportRoot((e) => setError(failureText(e, lang)));
  const rootCode = root?.code ?? null;

  const load = useCallback(async () => {
    if (rootCode === null) return;
    const d = await run<{ report: ReportData; reportEditions: Edition[]; me: { grants: { role: string; union: { code: string } }[] }; union: { ancestors: { code: string }[] } }>(
      `query ($root: String!) { report(root: $root) { ${REPORT_FIELDS} } reportEditions(root: $root) { ${EDITION_FIELDS} } me { grants { role union { code } } } union(code: $root) { ancestors { code } } }`,
      { root: rootCode },
    );
    setLive(d.report);
    setEditions(d.reportEditions);
    // Issuing needs `report` on the root or above it.
    const chain = [...d.union.ancestors.map((a) => a.code), rootCode];
    setCanIssue(d.me.grants.some((g) => chain.includes(g.union.code) && (roleOperations(g.role.toLowerCase()) as readonly string[]).includes('report')));
  }, [rootCode]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- load sets state only after its await, not synchronously
    load().catch((e: Error) => setError(failureText(e, lang)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the language only words a refusal; it is no reason to reload
  }, [load]);

  const open = useCallback(async (id: number) => {
    const d = await run<{ reportEdition: Edition & { report: ReportData; changes: Change[] } }>(
      `query ($id: Int!) { reportEdition(id: $id) { ${EDITION_FIELDS} report { ${REPORT_FIELDS} } changes { unionName indicatorLabel year scenario oldValue newValue } } }`, { id },
    );
    const { report, changes, ...edition } = d.reportEdition;
    setShown({ edition, report, changes });
  }, []);

  const issue = async () => {
    setError(null);
    const jobId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const controller = new AbortController();
    setProgress({ stage: 'load', fraction: 0 });
    try {
      await followProgress(jobId, (stage, fraction) => setProgress({ stage, fraction }), controller.signal);
      const d = await run<{ generateReport: Edition }>(`mutation ($root: String!, $jobId: String) { generateReport(root: $root, jobId: $jobId) { ${EDITION_FIELDS} } }`, { root: rootCode, jobId }, true);
      setProgress({ stage: 'done', fraction: 1 });
      await load();
      await open(d.generateReport.id);
    } catch (e) {
      setError(failureText(e, lang));
    } finally {
      controller.abort();
      setTimeout(() => setProgress(null), 800);
    }
  };

  const report = shown?.report ?? live;
  const download = downloadOnClick((_, failure) => setError(failureText(failure, lang)));
  return (
    <div className="report-page" data-testid="report-page">
      <div className="report-toolbar">
        <h2>{t('reportTitle', lang)}{report ? ` — ${report.rootName}` : ''}</h2>
        <span className="report-root" data-testid="report-root">
          <UnionPicker lang={lang} onPick={(u) => { setShown(null); setError(null); setRoot({ code: u.code, name: u.name }); }} placeholder={t('reportPickRoot', lang)} />
        </span>
        {canIssue && <button type="button" onClick={issue} disabled={progress !== null} data-testid="generate-report">{t('generateReport', lang)}</button>}
        {shown && <button type="button" onClick={() => setShown(null)}>{t('livePreview', lang)}</button>}
      </div>
      {progress && (
        <div className="report-progress" role="progressbar" aria-valuenow={Math.round(progress.fraction * 100)} data-testid="report-progress">
          <div className="bar"><div style={{ width: `${Math.round(progress.fraction * 100)}%` }} /></div>
          <ol>
            {STAGES.map((s) => (
              <li key={s} className={STAGES.indexOf(s) < STAGES.indexOf(progress.stage as never) ? 'done' : s === progress.stage ? 'current' : ''}>{t(`stage_${s}` as Word, lang)}</li>
            ))}
          </ol>
        </div>
      )}
      {error && <p className="error">{error}</p>}
      <div className="report-body">
        <aside className="report-editions">
          <h3>{t('editions', lang)}</h3>
          {editions.length === 0 && <p>{t('noEditions', lang)}</p>}
          <ul>
            {editions.map((e) => (
              <li key={e.id} className={shown?.edition.id === e.id ? 'active' : ''}>
                <button type="button" className="link" onClick={() => open(e.id)}>
                  {t('edition', lang)} {e.number} — {new Date(e.createdAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}
                </button>
                <div className="meta">{e.actor} · {e.changeCount} {t('changedCells', lang)} · <code title={e.contentHash}>{e.contentHash.slice(0, 10)}</code></div>
                <a href={e.xlsxUrl} onClick={download}>XLSX</a> · <a href={e.docxUrl} onClick={download}>DOCX</a>
              </li>
            ))}
          </ul>
        </aside>
        <main className="report-main">
          {!report && <p>{t('loading', lang)}</p>}
          {shown && (
            <section className="report-changes" data-testid="report-changes">
              <h3>{t('edition', lang)} {shown.edition.number}: {t('changesSincePrevious', lang)}</h3>
              {shown.edition.number === 1 ? <p>{t('firstEdition', lang)}</p> : shown.changes.length === 0 ? <p>{t('noChanges', lang)}</p> : (
                <table className="report-table">
                  <thead><tr><th>{t('unit', lang)}</th><th>{t('indicator', lang)}</th><th>{t('years', lang)}</th><th>{t('oldValue', lang)}</th><th>{t('newValue', lang)}</th></tr></thead>
                  <tbody>
                    {shown.changes.map((c, i) => (
                      <tr key={i}><td>{c.unionName}</td><td>{c.indicatorLabel} ({t(c.scenario === 'ACTUAL' ? 'actual' : 'target', lang)})</td><td>{c.year}</td><td className="num">{fmt(c.oldValue, 'decimal')}</td><td className="num">{fmt(c.newValue, 'decimal')}</td></tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          )}
          {report && (
            <>
              <section className="report-pending" data-testid="report-pending">
                {report.pendingTotal === 0 ? <p>{t('allApproved', lang)}</p> : (
                  <p><strong>{t('notApprovedYet', lang)}: {formatViNumber(report.pendingTotal)} {t('cells', lang)}</strong> — {
                    summarisePending(report.pending).map((p) => `${p.year} ${t(p.scenario === 'ACTUAL' ? 'actual' : 'target', lang).toLowerCase()}: ${formatViNumber(p.count)}`).join('; ')}</p>
                )}
                {report.withProposal > 0 && <p>{t('withProposalNote', lang)}: {formatViNumber(report.withProposal)}</p>}
              </section>
              {lang !== 'vi' && <p className="report-language-note" data-testid="report-language-note">{t('reportInVietnamese', lang)}</p>}
              <section className="report-sentences" lang="vi">{report.sentences.map((s) => <p key={s.key}>{s.text}</p>)}</section>
              <section className="report-charts">
                <LineChart title={t('membersTrend', lang)} years={report.charts.years} series={report.charts.members} lang={lang} />
                <BarChart title={t('admittedVsTarget', lang)} years={report.charts.years} series={report.charts.admitted} lang={lang} />
                <GradingChart title={t('gradingMix', lang)} years={report.charts.years} series={report.charts.grading} />
              </section>
              {report.tables.map((tb) => (
                <Fragment key={tb.key}>
                  <ReportTable table={tb} />
                  {/* The plan's forecast beside its target, drawn after its table (issue 16). */}
                  {tb.key === 'planForecast' && <PlanForecastCharts rows={report.planForecast ?? []} lang={lang} />}
                </Fragment>
              ))}
              <Suspense fallback={<p className="loading">{t('loading', lang)}</p>}><ReportTexts texts={report.texts} lang={lang} /></Suspense>
            </>
          )}
        </main>
      </div>
    </div>
  );
}

function summarisePending(pending: ReportData['pending']) {
  const by = new Map<string, { year: number; scenario: string; count: number }>();
  for (const p of pending) {
    const k = `${p.scenario}|${p.year}`;
    const e = by.get(k) ?? by.set(k, { year: p.year, scenario: p.scenario, count: 0 }).get(k)!;
    e.count += p.count;
  }
  return [...by.values()];
}

function ReportTable({ table }: { table: Table }) {
  return (
    <section className="report-table-wrap" data-testid={`report-table-${table.key}`} lang="vi">
      <h3>{table.title}</h3>
      <table className="report-table">
        <thead><tr><th>{table.rowHeading}</th>{table.columns.map((c) => <th key={c.key}>{c.label}</th>)}</tr></thead>
        <tbody>
          {table.rows.map((r) => (
            <tr key={r.key} className={r.kind}>
              <th title={r.note ?? undefined}>{r.label}{r.note ? ' *' : ''}</th>
              {table.columns.map((c, i) => <td key={c.key} className="num">{r.kind === 'group' ? '' : fmt(r.values[i] ?? null, cellFormat(c, r))}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {table.notes.map((n, i) => <p key={i} className="note">{n}</p>)}
    </section>
  );
}

// ---------- hand-drawn SVG charts ----------

const W = 360;
const H = 200;
const PAD = { l: 56, r: 10, t: 24, b: 40 };
const COLORS = ['#0b4f8a', '#f9a825', '#43a047', '#1e88e5', '#fb8c00', '#c62828'];

function scale(values: (number | null)[], zero = false) {
  const xs = values.filter((v): v is number => v !== null);
  let lo = zero ? 0 : Math.min(...xs);
  let hi = Math.max(...xs);
  if (!xs.length) [lo, hi] = [0, 1];
  if (lo === hi) hi = lo + 1;
  const pad = zero ? 0 : (hi - lo) * 0.1;
  lo -= pad;
  hi += (hi - lo) * 0.05;
  return (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - (v - lo) / (hi - lo));
}
/** Actual and target series are interface words; other series (grades) keep the report's own labels. */
const seriesLabel = (s: Series, lang: Lang) => (s.key === 'actual' || s.key === 'target' ? t(s.key, lang) : s.label);
/** Chart labels: millions and thousands in the page's language ("1,2 tr" / "1,2 M"). */
const compact = (v: number, lang: Lang) => (v >= 1e6 ? `${formatViNumber(v / 1e6, 1)} ${t('millionShort', lang)}` : v >= 1e3 ? `${formatViNumber(v / 1e3, 0)} ${t('thousandShort', lang)}` : formatViNumber(v, 0));

function Frame({ title, years, children, legend }: { title: string; years: number[]; children: React.ReactNode; legend: { label: string; color: string }[] }) {
  const x = (i: number) => PAD.l + ((W - PAD.l - PAD.r) * (i + 0.5)) / years.length;
  return (
    <figure className="report-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={title}>
        <line x1={PAD.l} y1={H - PAD.b} x2={W - PAD.r} y2={H - PAD.b} stroke="#999" />
        {years.map((y, i) => <text key={y} x={x(i)} y={H - PAD.b + 14} textAnchor="middle" fontSize="10">{y}</text>)}
        {children}
        {legend.map((l, i) => (
          <g key={l.label} transform={`translate(${PAD.l + i * ((W - PAD.l) / legend.length)}, ${H - 12})`}>
            <rect width="10" height="10" y="-9" fill={l.color} />
            <text x="14" fontSize="10">{l.label}</text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

function LineChart({ title, years, series, lang }: { title: string; years: number[]; series: Series[]; lang: Lang }) {
  const y = scale(series.flatMap((s) => s.values));
  const x = (i: number) => PAD.l + ((W - PAD.l - PAD.r) * (i + 0.5)) / years.length;
  return (
    <Frame title={title} years={years} legend={series.map((s, k) => ({ label: seriesLabel(s, lang), color: COLORS[k]! }))}>
      {series.map((s, k) => {
        const pts = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`));
        // Gaps (years not approved) break the line rather than drawing through them.
        const segments = pts.join(' ').split(/\s*null\s*/).filter(Boolean);
        return (
          <g key={s.key}>
            {segments.map((seg, j) => <polyline key={j} points={seg} fill="none" stroke={COLORS[k]} strokeWidth="2" strokeDasharray={k ? '4 3' : undefined} />)}
            {s.values.map((v, i) => v !== null && <circle key={i} cx={x(i)} cy={y(v)} r="3" fill={COLORS[k]}><title>{`${years[i]}: ${formatViNumber(v)}`}</title></circle>)}
            {k === 0 && s.values.map((v, i) => v !== null && <text key={`t${i}`} x={x(i)} y={y(v) - 6} textAnchor="middle" fontSize="9">{compact(v, lang)}</text>)}
          </g>
        );
      })}
    </Frame>
  );
}

function BarChart({ title, years, series, lang }: { title: string; years: number[]; series: Series[]; lang: Lang }) {
  const y = scale(series.flatMap((s) => s.values), true);
  const band = (W - PAD.l - PAD.r) / years.length;
  const bw = (band * 0.7) / series.length;
  return (
    <Frame title={title} years={years} legend={series.map((s, k) => ({ label: seriesLabel(s, lang), color: COLORS[k]! }))}>
      {series.map((s, k) => s.values.map((v, i) => v !== null && (
        <rect key={`${s.key}${i}`} x={PAD.l + band * i + band * 0.15 + bw * k} y={y(v)} width={bw} height={H - PAD.b - y(v)} fill={COLORS[k]}>
          <title>{`${s.label} ${years[i]}: ${formatViNumber(v)}`}</title>
        </rect>
      )))}
      {series[0]?.values.map((v, i) => v !== null && <text key={i} x={PAD.l + band * i + band / 2} y={y(v) - 4} textAnchor="middle" fontSize="9">{compact(v, lang)}</text>)}
    </Frame>
  );
}

/** 100 % stacked bars: each grade's share of the graded unions in the year (recomputed from counts). */
function GradingChart({ title, years, series }: { title: string; years: number[]; series: Series[] }) {
  const band = (W - PAD.l - PAD.r) / years.length;
  const top = PAD.t;
  const height = H - PAD.t - PAD.b;
  return (
    <Frame title={title} years={years} legend={series.map((s, k) => ({ label: s.label.replace(/^CĐCS /, ''), color: COLORS[k + 2]! }))}>
      {years.map((yr, i) => {
        const counts = series.map((s) => s.values[i] ?? null);
        if (counts.some((c) => c === null)) return null;
        const total = (counts as number[]).reduce((a, b) => a + b, 0);
        let acc = 0;
        return counts.map((c, k) => {
          const h = (height * (c as number)) / total;
          const rect = <rect key={`${yr}${k}`} x={PAD.l + band * i + band * 0.2} y={top + acc} width={band * 0.6} height={h} fill={COLORS[k + 2]}><title>{`${series[k]!.label} ${yr}: ${formatViNumber(((c as number) / total) * 100, 1)}%`}</title></rect>;
          acc += h;
          return rect;
        });
      })}
      <text x={PAD.l - 4} y={top + 8} textAnchor="end" fontSize="9">100%</text>
      <text x={PAD.l - 4} y={H - PAD.b} textAnchor="end" fontSize="9">0%</text>
    </Frame>
  );
}
