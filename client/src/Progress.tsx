/**
 * Approval progress: units × years, each cell counting its whole subtree's cells per status and the
 * discrepancies still open. A unit's name drills into its children; a count opens the sheet there.
 */
import { useEffect, useState } from 'react';
import { formatViNumber } from '@unionhub/schema/numbers';
import { run } from './api.ts';
import { t, type Lang } from './i18n.ts';
import { YearRange, yearsOf, type Years } from './YearRange.tsx';
import { failureText } from './messages.ts';

interface ProgressRow {
  union: { code: string; name: string; level: number };
  year: number;
  draft: number;
  submitted: number;
  approved: number;
  withProposal: number;
  openDiscrepancies: number;
}

const PROGRESS = `query ($root: String!, $years: [Int!]!, $scenario: Scenario!) {
  approvalProgress(root: $root, depth: 1, years: $years, scenario: $scenario) {
    union { code name level } year draft submitted approved withProposal openDiscrepancies
  }
}`;

export function Progress({ lang, onOpen }: { lang: Lang; onOpen: (unionCode: string, year: number) => void }) {
  const [trail, setTrail] = useState<{ code: string; name: string }[]>([{ code: 'TLD', name: 'TLĐ' }]);
  const [scenario, setScenario] = useState<'ACTUAL' | 'TARGET'>('ACTUAL');
  const [range, setRange] = useState<Years>({ from: 2013, to: 2017 });
  const [rows, setRows] = useState<ProgressRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const root = trail.at(-1)!;
  const years = yearsOf(range);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the old root's rows go at once, before the new ones arrive
    setRows(null);
    setError(null);
    run<{ approvalProgress: ProgressRow[] }>(PROGRESS, { root: root.code, years: yearsOf(range), scenario })
      .then((d) => setRows(d.approvalProgress))
      .catch((e: Error) => setError(failureText(e, lang)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the language only words a refusal; it is no reason to reload
  }, [root.code, scenario, range.from, range.to]);

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
        {!rows && !error && <span className="loading">{t('loading', lang)}</span>}
        {error && <span role="alert">{error}</span>}
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
