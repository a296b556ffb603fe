/**
 * The unions to chase (late, missing, returned) with their reporters' names and e-mail, and the
 * same list as XLSX or CSV. Only offered to reviewers of the root: viewers see completeness, not
 * who was chased.
 */
import { useState } from 'react';
import { submissionStatusLabel } from '@unionhub/schema';
import { downloadOnClick } from '../api.ts';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { num } from '../format.ts';
import type { ChaseEntry } from './useRoundData.ts';

export const chaseUrl = (roundId: string, root: string, format: 'xlsx' | 'csv') => `/files/rounds/${encodeURIComponent(roundId)}/chase.${format}?${new URLSearchParams({ root })}`;

function Reporters({ entry, lang }: { entry: ChaseEntry; lang: Lang }) {
  if (entry.reporters.length === 0) return <span className="muted">{t('round.noReporter', lang)}</span>;
  return (
    <ul className="reporters">
      {entry.reporters.map((r) => (
        <li key={`${r.name}|${r.email ?? ''}`}>
          {r.name} — {r.email ? <a href={`mailto:${r.email}`}>{r.email}</a> : <span className="muted">{t('round.noEmail', lang)}</span>}
        </li>
      ))}
    </ul>
  );
}

export function ChaseList({ roundId, root, entries, lang, unitHref }: { roundId: string; root: string; entries: ChaseEntry[]; lang: Lang; unitHref: (code: string) => string }) {
  const [refused, setRefused] = useState<unknown>(null);
  return (
    <section className="round-chase" aria-labelledby="round-chase-title" data-testid="chase-list">
      <h2 id="round-chase-title">{t('round.chase', lang)}</h2>
      <p className="muted">{t('round.chaseHint', lang)}</p>
      <p className="files-links">
        {(['xlsx', 'csv'] as const).map((f) => (
          <a key={f} href={chaseUrl(roundId, root, f)} download data-format={f} onClick={(e) => { setRefused(null); downloadOnClick((_, failure) => setRefused(failure))(e); }}>
            ⬇ {t('round.download', lang)} {f.toUpperCase()}
          </a>
        ))}
      </p>
      {refused !== null && <p role="alert">{t('export.refused', lang)}: {failureText(refused, lang)}</p>}
      {entries.length === 0 && <p>{t('round.chaseNone', lang)}</p>}
      {entries.length > 0 && (
        <table className="round-table chase-table">
          <thead>
            <tr>
              <th scope="col">{t('unit', lang)}</th>
              <th scope="col">{t('round.status', lang)}</th>
              <th scope="col" className="numeric">{t('round.daysLate', lang)}</th>
              <th scope="col">{t('round.reporters', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.union.code} data-union={e.union.code} data-status={e.status}>
                <th scope="row"><a href={unitHref(e.union.code)}>{e.union.name}</a></th>
                <td><span className={`status-chip status-${e.status}`}>{submissionStatusLabel(e.status, lang)}</span></td>
                <td className="numeric">{e.daysLate !== null && e.daysLate > 0 ? num(e.daysLate, lang) : '—'}</td>
                <td><Reporters entry={e} lang={lang} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
