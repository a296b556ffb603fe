/**
 * The gap view: a root (nationally: TLĐ) and its children in one plan year — forecast vs allocated
 * vs proposed vs approved target, the growth per year each needs against its own 2013–2017 growth,
 * and the flags as text badges: short ones under each of allocated, proposed and approved (each
 * judged on its own), and in full for the target in force. Sortable by any column; a level-1 union drills down.
 */
import { useCallback } from 'react';
import { t, type Lang, type Word } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { count, PLAN_INDICATORS, PLAN_YEARS, rate } from './format.ts';
import { useGap, type GapRow } from './usePlanData.ts';
import { useSorted } from './useSorted.ts';

type Column = 'name' | 'today' | 'forecast' | 'allocated' | 'proposed' | 'approved' | 'neededRate' | 'historicalRate' | 'flags';
const COLUMNS: { key: Column; word: Word }[] = [
  { key: 'name', word: 'plan.union' }, { key: 'today', word: 'plan.today' }, { key: 'forecast', word: 'plan.forecast' },
  { key: 'allocated', word: 'plan.allocated' }, { key: 'proposed', word: 'plan.proposed' }, { key: 'approved', word: 'plan.approved' },
  { key: 'neededRate', word: 'plan.neededRate' }, { key: 'historicalRate', word: 'plan.historicalRate' }, { key: 'flags', word: 'plan.flags' },
];

export interface GapViewProps {
  lang: Lang;
  root: string;
  year: number;
  indicator: string;
  onYear: (y: number) => void;
  onIndicator: (i: string) => void;
  onDrill: (union: { code: string; name: string }) => void;
}

export function GapView({ lang, root, year, indicator, onYear, onIndicator, onDrill }: GapViewProps) {
  const gap = useGap(root, year, indicator);
  const valueOf = useCallback((r: GapRow, k: Column) => (k === 'name' ? r.union.name : k === 'flags' ? r.flags.length : r[k]), []);
  const rows = gap.data ?? [];
  const { sorted, sort, sortBy } = useSorted<GapRow, Column>(rows.slice(1), valueOf, 'name');
  return (
    <section className="plan-gap" aria-label={t('plan.gap', lang)}>
      <div className="plan-controls">
        <label>{t('plan.year', lang)}{' '}
          <select value={year} onChange={(e) => onYear(Number(e.target.value))}>{PLAN_YEARS.map((y) => <option key={y} value={y}>{y}</option>)}</select>
        </label>
        <label>{t('plan.indicator', lang)}{' '}
          <select value={indicator} onChange={(e) => onIndicator(e.target.value)}>{PLAN_INDICATORS.map((i) => <option key={i} value={i}>{t(`plan.indicator.${i}`, lang)}</option>)}</select>
        </label>
      </div>
      {gap.error !== null && <p role="alert">{failureText(gap.error, lang)}</p>}
      {!gap.data && gap.error === null && <p className="loading">{t('loading', lang)}</p>}
      {gap.data && rows.length === 0 && <p>{t('plan.noRows', lang)}</p>}
      {gap.data && rows.length > 0 && <p className="muted">{t('plan.columnFlags', lang)}</p>}
      {gap.data && rows.length > 0 && (
        <table className="plan-table">
          <thead>
            <tr>{COLUMNS.map((c) => (
              <th key={c.key} aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                <button type="button" onClick={() => sortBy(c.key)}>{t(c.word, lang)}{sort.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}</button>
              </th>
            ))}</tr>
          </thead>
          <tbody>
            <GapLine row={rows[0]!} lang={lang} total />
            {sorted.map((r) => <GapLine key={r.union.code} row={r} lang={lang} onDrill={r.union.level === 1 ? () => onDrill(r.union) : undefined} />)}
          </tbody>
        </table>
      )}
    </section>
  );
}

function GapLine({ row, lang, total, onDrill }: { row: GapRow; lang: Lang; total?: boolean; onDrill?: () => void }) {
  return (
    <tr className={total ? 'plan-total' : undefined} data-union={row.union.code}>
      <th scope="row">{onDrill ? <button type="button" className="link" title={t('plan.drill', lang)} onClick={onDrill}>{row.union.name}</button> : row.union.name}</th>
      <td>{count(row.today, lang)}</td>
      <td>{count(row.forecast, lang)}</td>
      {row.columns.map((c) => (
        <td key={c.column} data-column={c.column.toLowerCase()}>
          <span className="plan-value">{count(c.value, lang)}</span>
          {c.flags.map((f) => <span key={f.code} className={`plan-colflag flag-${f.code}`} title={lang === 'vi' ? f.textVi : f.textEn}>{lang === 'vi' ? f.shortVi : f.shortEn}</span>)}
        </td>
      ))}
      <td>{rate(row.neededRate, lang)}</td>
      <td>{rate(row.historicalRate, lang)}</td>
      <td>{row.flags.map((f) => <span key={f.code} className={`plan-flag flag-${f.code}`}>{lang === 'vi' ? f.textVi : f.textEn}</span>)}</td>
    </tr>
  );
}
