/** Search across all sections the caller may read (with or without diacritics); a hit opens its section. */
import { useState } from 'react';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { writingHash } from './route.ts';
import { sectionTitle, StatusBadge } from './SectionList.tsx';
import { Snippet } from './Snippet.tsx';
import { useSearch } from './useSectionData.ts';

export function SearchBox({ lang }: { lang: Lang }) {
  const [typed, setTyped] = useState('');
  const [asked, setAsked] = useState('');
  const hits = useSearch(asked);
  const close = () => setAsked('');
  return (
    <div className="section-search">
      <form role="search" onSubmit={(e) => { e.preventDefault(); setAsked(typed); }}>
        <input type="search" aria-label={t('writing.search', lang)} placeholder={t('writing.search', lang)} value={typed} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit">{t('writing.searchButton', lang)}</button>
      </form>
      {asked.trim().length >= 2 && (
        <section className="search-results" aria-label={t('writing.hits', lang)} data-testid="search-results">
          <button type="button" className="close" onClick={close} aria-label={t('writing.close', lang)}>×</button>
          {hits.error !== null && <p role="alert">{failureText(hits.error, lang)}</p>}
          {!hits.data && hits.error === null && <p className="loading">{t('loading', lang)}</p>}
          {hits.data?.length === 0 && <p className="muted">{t('writing.noHits', lang)}</p>}
          <ol>
            {hits.data?.map((h) => (
              <li key={`${h.union.code}:${h.section.code}`} data-union={h.union.code} data-section={h.section.code}>
                <a href={writingHash(h.union.code, h.section.code)} onClick={close}>
                  <strong>{h.union.name}</strong> — {sectionTitle(h.section, lang)}
                </a>{' '}
                <StatusBadge status={h.status} lang={lang} />
                <p><Snippet text={h.snippet} /></p>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
