/**
 * Approval progress: units × years, each cell counting its whole subtree's cells per status and the
 * discrepancies still open. A unit's name drills into its children; a count opens the sheet there.
 */
import { useCallback, useEffect, useReducer, useState } from 'react';
import { formatViNumber } from '@unionhub/schema/numbers';
import { ProgressDiscrepanciesChangedSubscription, ProgressFiguresChangedSubscription, ProgressQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { query } from './typed-run.ts';
import { useLiveRefresh } from './live.ts';
import { t, type Lang } from './i18n.ts';
import { YearRange, yearsOf, type Years } from './YearRange.tsx';
import { failureText } from './messages.ts';

type ProgressRow = ResultOf<typeof ProgressQuery>['approvalProgress'][number];

/**
 * The counts for a root, scenario and years; read again (at most once a second) when anyone's
 * figures or discrepancies change in a shown year. What is on screen stays while re-reading.
 */
function useProgress(root: string, scenario: 'ACTUAL' | 'TARGET', range: Years) {
  const [loaded, setLoaded] = useState<{ key: string; rows: ProgressRow[] } | null>(null);
  // The failure itself, worded in the page's language when shown (a language switch re-words it).
  const [error, setError] = useState<unknown>(null);
  const [tick, refresh] = useReducer((n: number) => n + 1, 0);
  const { from, to } = range;
  const key = `${root}|${scenario}|${from}|${to}`;

  useEffect(() => {
    let current = true;
    query(ProgressQuery, { root, years: yearsOf({ from, to }), scenario })
      .then((d) => current && (setLoaded({ key, rows: d.approvalProgress }), setError(null)))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [root, scenario, from, to, key, tick]);

  const figuresConcern = useCallback(
    (d: ResultOf<typeof ProgressFiguresChangedSubscription>) => d.figuresChanged.figures.some((f) => f.scenario === scenario && f.year >= from && f.year <= to),
    [scenario, from, to],
  );
  const discrepanciesConcern = useCallback(
    (d: ResultOf<typeof ProgressDiscrepanciesChangedSubscription>) => d.discrepanciesChanged.some((x) => x.scenario === scenario && x.year >= from && x.year <= to),
    [scenario, from, to],
  );
  useLiveRefresh(ProgressFiguresChangedSubscription, figuresConcern, refresh);
  useLiveRefresh(ProgressDiscrepanciesChangedSubscription, discrepanciesConcern, refresh);

  // A new root, scenario or range shows "loading" until its own answer.
  return { rows: loaded?.key === key ? loaded.rows : null, error };
}

export function Progress({ lang, onOpen }: { lang: Lang; onOpen: (unionCode: string, year: number) => void }) {
  const [trail, setTrail] = useState<{ code: string; name: string }[]>([{ code: 'TLD', name: 'TLĐ' }]);
  const [scenario, setScenario] = useState<'ACTUAL' | 'TARGET'>('ACTUAL');
  const [range, setRange] = useState<Years>({ from: 2013, to: 2017 });
  const root = trail.at(-1)!;
  const years = yearsOf(range);
  const { rows, error } = useProgress(root.code, scenario, range);

  // One line per union, in the order the server gave (root first, then its children).
  const units: ProgressRow['union'][] = [];
  const byKey = new Map<string, ProgressRow>();
  for (const r of rows ?? []) {
    if (!units.some((u) => u.code === r.union.code)) units.push(r.union);
    byKey.set(`${r.union.code}|${r.year}`, r);
  }

  return (
    <main className="progress">
      <div className="toolbar">
        <nav className="trail" aria-label={t('progressView', lang)}>
          {trail.map((u, k) => (
            <span key={u.code}>
              {k > 0 && ' › '}
              <button type="button" className="link" onClick={() => setTrail(trail.slice(0, k + 1))}>{u.name}</button>
            </span>
          ))}
        </nav>
        {(['ACTUAL', 'TARGET'] as const).map((s) => (
          <label key={s}>
            <input type="radio" name="progress-scenario" checked={scenario === s} onChange={() => setScenario(s)} /> {t(s === 'ACTUAL' ? 'actual' : 'target', lang)}
          </label>
        ))}
        <YearRange value={range} onChange={setRange} lang={lang} />
        {!rows && error === null && <span className="loading">{t('loading', lang)}</span>}
        {error !== null && <span role="alert">{failureText(error, lang)}</span>}
      </div>
      <div className="legend">
        <span className="chip st-approved">{t('approved', lang)}</span>
        <span className="chip st-submitted">{t('submitted', lang)}</span>
        <span className="chip st-draft">{t('draft', lang)}</span>
        <span className="chip proposal">{t('proposal', lang)}</span>
        <span className="chip open-discrepancies">{t('openDiscrepancies', lang)}</span>
      </div>
      {rows && (
        <div className="progress-table-wrap">
          <table className="progress-table">
            <thead>
              <tr>
                <th>{t('unit', lang)}</th>
                {years.map((y) => <th key={y}>{y}</th>)}
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr key={u.code} data-union={u.code} className={u.code === root.code ? 'root' : ''}>
                  <th scope="row">
                    {u.code !== root.code && u.level < 2 ? (
                      <button type="button" className="link" onClick={() => setTrail([...trail, { code: u.code, name: u.name }])}>{u.name}</button>
                    ) : (
                      u.name
                    )}
                  </th>
                  {years.map((y) => {
                    const r = byKey.get(`${u.code}|${y}`);
                    if (!r) return <td key={y} />;
                    const total = r.draft + r.submitted + r.approved;
                    const pct = (n: number) => `${total ? (n / total) * 100 : 0}%`;
                    return (
                      <td key={y} data-year={y}>
                        <button
                          type="button"
                          className="progress-cell"
                          title={`${t('approved', lang)} ${formatViNumber(r.approved)} · ${t('submitted', lang)} ${formatViNumber(r.submitted)} · ${t('draft', lang)} ${formatViNumber(r.draft)} · ${t('proposal', lang)} ${formatViNumber(r.withProposal)} — ${t('openInSheet', lang)}`}
                          onClick={() => onOpen(u.code, y)}
                        >
                          <span className="bar">
                            <span className="st-approved" style={{ width: pct(r.approved) }} />
                            <span className="st-submitted" style={{ width: pct(r.submitted) }} />
                            <span className="st-draft" style={{ width: pct(r.draft) }} />
                          </span>
                          <span className="counts">
                            <span className="n-approved">{formatViNumber(r.approved)}</span> / <span className="n-submitted">{formatViNumber(r.submitted)}</span> / <span className="n-draft">{formatViNumber(r.draft)}</span>
                            {r.withProposal > 0 && <span className="chip proposal">{formatViNumber(r.withProposal)}</span>}
                            {r.openDiscrepancies > 0 && <span className="chip open-discrepancies">{formatViNumber(r.openDiscrepancies)}</span>}
                          </span>
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
