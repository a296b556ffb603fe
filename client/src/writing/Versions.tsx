/** A section's saved versions (newest first) and a word-level diff between any two of them. */
import { useState } from 'react';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { dateTime } from './format.ts';
import { writingHash } from './route.ts';
import { useSectionDiff, type SectionPage } from './useSectionData.ts';

function Diff({ page, from, to, lang }: { page: SectionPage; from: number; to: number; lang: Lang }) {
  const diff = useSectionDiff(page.union.code, page.section.code, from, to);
  if (diff.error !== null) return <p role="alert">{failureText(diff.error, lang)}</p>;
  if (!diff.data) return <p className="loading">{t('loading', lang)}</p>;
  return (
    <p className="section-diff" data-testid="section-diff" aria-label={`${t('writing.diff', lang)} ${from} → ${to}`}>
      {diff.data.map((d, i) =>
        d.kind === 'ADDED' ? <ins key={i} title={t('writing.added', lang)}>{d.text}</ins>
          : d.kind === 'REMOVED' ? <del key={i} title={t('writing.removed', lang)}>{d.text}</del>
            : <span key={i}>{d.text}</span>,
      )}
    </p>
  );
}

export function Versions({ page, lang }: { page: SectionPage; lang: Lang }) {
  const newest = page.versions[0]?.version ?? null;
  const [from, setFrom] = useState<number | null>(page.versions[1]?.version ?? null);
  const [to, setTo] = useState<number | null>(newest);
  const pick = (value: number | null, set: (v: number | null) => void, label: string) => (
    <label>
      {label}{' '}
      <select value={value ?? ''} onChange={(e) => set(e.target.value === '' ? null : Number(e.target.value))}>
        <option value="">—</option>
        {page.versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
      </select>
    </label>
  );
  return (
    <section className="section-versions" aria-labelledby="versions-title">
      <h3 id="versions-title">{t('writing.versions', lang)}</h3>
      {page.versions.length === 0 && <p className="muted">{t('writing.noVersions', lang)}</p>}
      <ul>
        {page.versions.map((v) => (
          <li key={v.version} data-version={v.version}>
            <a href={writingHash(page.union.code, page.section.code, v.version)}>{t('writing.version', lang)} {v.version}</a>{' '}
            <span className="muted">{dateTime(v.savedAt, lang)} · {v.savedBy} · {v.bytes} {t('writing.bytes', lang)}</span>
          </li>
        ))}
      </ul>
      {page.versions.length > 1 && (
        <div className="diff-pick">
          {pick(from, setFrom, t('writing.compareFrom', lang))} {pick(to, setTo, t('writing.compareTo', lang))}
        </div>
      )}
      {from !== null && to !== null && from !== to && <Diff page={page} from={from} to={to} lang={lang} />}
    </section>
  );
}
