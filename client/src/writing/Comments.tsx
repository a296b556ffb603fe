/** A section's comments (with a form to add one), its history and its passages tagged as good practice. */
import { useState } from 'react';
import { t, type Lang, type Word } from '../i18n.ts';
import { dateTime } from './format.ts';
import type { SectionPage } from './useSectionData.ts';

export function Comments({ page, busy, onAdd, lang }: { page: SectionPage; busy: boolean; onAdd: (text: string) => Promise<boolean>; lang: Lang }) {
  const [text, setText] = useState('');
  return (
    <section className="section-comments" aria-labelledby="comments-title">
      <h3 id="comments-title">{t('writing.comments', lang)}</h3>
      {page.comments.length === 0 && <p className="muted">{t('writing.noComments', lang)}</p>}
      <ul>
        {page.comments.map((c) => (
          <li key={c.id}>
            <span className="muted">{c.author} · {dateTime(c.at, lang)} · {t('writing.version', lang)} {c.version}</span>
            <p>{c.text}</p>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => { e.preventDefault(); void onAdd(text.trim()).then((ok) => ok && setText('')); }}>
        <label>
          {t('writing.addComment', lang)}
          <textarea name="comment" rows={2} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || text.trim() === ''}>{t('writing.addComment', lang)}</button>
      </form>
    </section>
  );
}

export function History({ page, lang }: { page: SectionPage; lang: Lang }) {
  return (
    <section className="section-history" aria-labelledby="history-title">
      <h3 id="history-title">{t('writing.history', lang)}</h3>
      <ol>
        {page.history.map((h, i) => (
          <li key={i}>
            {t(`writing.event.${h.kind}` as Word, lang)} · {t('writing.version', lang)} {h.version} · {h.actor} · <span className="muted">{dateTime(h.at, lang)}</span>
            {h.reason && <q>{h.reason}</q>}
          </li>
        ))}
      </ol>
      {page.tags.length > 0 && (
        <>
          <h3>{t('writing.tags', lang)}</h3>
          <ul className="section-tags">
            {page.tags.map((tag) => <li key={tag.id}><q>{tag.quote}</q> <span className="muted">({t('writing.version', lang)} {tag.version} · {tag.taggedBy})</span></li>)}
          </ul>
        </>
      )}
    </section>
  );
}
