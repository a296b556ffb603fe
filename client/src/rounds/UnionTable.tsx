/**
 * The unions one level below the root: status, when submitted, days late, % of their cells filled.
 * Columns sort from their headers; status chips filter; a union's name opens its page, and a
 * union with unions below it drills in.
 */
import type { Dispatch } from 'react';
import { SUBMISSION_STATUSES, submissionStatusLabel } from '@unionhub/schema';
import { t, type Lang, type Word } from '../i18n.ts';
import { day, num, percent, when } from '../format.ts';
import { useTableView, type SortKey, type Submission, type TableAction, type TableView } from './useTableView.ts';
import type { Overview } from './useRoundData.ts';

type Below = Overview['completenessBelow'][number];

const COLUMNS: { key: SortKey; word: Word; numeric?: boolean }[] = [
  { key: 'name', word: 'unit' },
  { key: 'status', word: 'round.status' },
  { key: 'submittedAt', word: 'round.submittedAt' },
  { key: 'daysLate', word: 'round.daysLate', numeric: true },
  { key: 'filled', word: 'round.filled', numeric: true },
];

function StatusFilter({ view, counts, lang, dispatch }: { view: TableView; counts: Map<string, number>; lang: Lang; dispatch: Dispatch<TableAction> }) {
  return (
    <fieldset className="status-filter">
      <legend>{t('round.filterStatus', lang)}</legend>
      <label>
        <input type="checkbox" checked={view.statuses.length === 0} onChange={() => dispatch({ kind: 'allStatuses' })} /> {t('round.allStatuses', lang)}
      </label>
      {SUBMISSION_STATUSES.map((s) => (
        <label key={s.status} className={`status-chip status-${s.status}`}>
          <input type="checkbox" name="status" value={s.status} checked={view.statuses.includes(s.status)} onChange={() => dispatch({ kind: 'toggleStatus', status: s.status })} />{' '}
          {submissionStatusLabel(s.status, lang)} ({num(counts.get(s.status) ?? 0, lang)})
        </label>
      ))}
    </fieldset>
  );
}

export interface UnionTableProps {
  rows: Submission[];
  below: Below[];
  lang: Lang;
  unitHref: (unionCode: string) => string;
  /** Set where the unions listed have unions of their own in the round. */
  onDrill: ((u: Submission['union']) => void) | null;
}

function Row({ s, below, lang, unitHref, onDrill }: { s: Submission; below: Below | undefined } & Omit<UnionTableProps, 'rows' | 'below'>) {
  const extended = s.extension !== null;
  // The union's own part of the round: the unions below it that submitted, of those expected (itself left out).
  const belowExpected = below ? below.expected - 1 : 0;
  const belowSubmitted = below ? below.submitted - (s.status === 'ON_TIME' || s.status === 'LATE' ? 1 : 0) : 0;
  return (
    <tr data-union={s.union.code} data-status={s.status}>
      <th scope="row">
        <a href={unitHref(s.union.code)}>{s.union.name}</a>
        {onDrill && belowExpected > 0 && (
          <button type="button" className="link drill" data-drill={s.union.code} aria-label={`${t('round.showBelow', lang)}: ${s.union.name}`} onClick={() => onDrill(s.union)}>
            {t('round.below', lang)} {num(belowSubmitted, lang)}/{num(belowExpected, lang)} ›
          </button>
        )}
      </th>
      <td>
        <span className={`status-chip status-${s.status}`}>{submissionStatusLabel(s.status, lang)}</span>
        {extended && <span className="extended" title={s.extension!.reason}> {t('round.extendedTo', lang)} {day(s.extension!.deadline, lang)}</span>}
      </td>
      <td className="when">{s.firstSubmittedAt ? when(s.firstSubmittedAt, lang) : '—'}</td>
      <td className="numeric">{s.daysLate !== null && s.daysLate > 0 ? num(s.daysLate, lang) : '—'}</td>
      <td className="numeric">{percent(s.cellsFilled, s.cellsExpected, lang)}</td>
    </tr>
  );
}

export function UnionTable({ rows, below, lang, unitHref, onDrill }: UnionTableProps) {
  const { view, shown, dispatch } = useTableView(rows);
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const byCode = new Map(below.map((b) => [b.union.code, b]));
  return (
    <section className="round-units" aria-labelledby="round-units-title">
      <h2 id="round-units-title">{t('round.units', lang)}</h2>
      <StatusFilter view={view} counts={counts} lang={lang} dispatch={dispatch} />
      <table className="round-table" data-testid="round-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'numeric' : undefined} aria-sort={view.sort === c.key ? (view.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" className="sort" data-sort={c.key} onClick={() => dispatch({ kind: 'sort', key: c.key })}>
                  {t(c.word, lang)}
                  <span aria-hidden="true">{view.sort === c.key ? (view.descending ? ' ▼' : ' ▲') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((s) => (
            <Row key={s.union.code} s={s} below={byCode.get(s.union.code)} lang={lang} unitHref={unitHref} onDrill={onDrill} />
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p className="round-empty">{t('round.noRows', lang)}</p>}
    </section>
  );
}
