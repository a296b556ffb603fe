/** The unions' texts of one section, one after another with their names, and the bar that tags a selected passage. */
import { useState } from 'react';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { ReadOnlyDoc } from './editor/ReadOnlyDoc.tsx';
import type { JSONContent } from '@tiptap/core';
import { writingHash } from './route.ts';
import { StatusBadge } from './SectionList.tsx';
import type { Compiled } from './useSectionData.ts';
import type { Passage, useTagPassage } from './usePassage.ts';

interface Props {
  section: string;
  compiled: { data: Compiled[] | null; error: unknown };
  passage: Passage | null;
  tagging: ReturnType<typeof useTagPassage>;
  lang: Lang;
}

function SelectionBar({ passage, tagging, lang }: { passage: Passage | null; tagging: Props['tagging']; lang: Lang }) {
  return (
    <div className="selection-bar" data-testid="selection-bar">
      {passage ? (
        <>
          <span>{t('compile.selection', lang)} ({t('compile.from', lang)} {passage.unionName}, {t('writing.version', lang)} {passage.version}): <q>{passage.text.length > 160 ? `${passage.text.slice(0, 160)}…` : passage.text}</q></span>
          <button type="button" disabled={tagging.state.busy} onMouseDown={(e) => e.preventDefault()} onClick={() => void tagging.tag(passage)}>{t('compile.tag', lang)}</button>
        </>
      ) : (
        <span className="muted">{t('compile.selectHint', lang)}</span>
      )}
      {tagging.state.done && <span className="ok" role="status">{t('compile.tagged', lang)}</span>}
      {tagging.state.failure !== null && <span role="alert">{failureText(tagging.state.failure, lang)}</span>}
    </div>
  );
}

export function CompileSources({ section, compiled, passage, tagging, lang }: Props) {
  // Unions that have not written the section are listed only when asked for.
  const [withEmpty, setWithEmpty] = useState(false);
  const shown = compiled.data?.filter((c) => withEmpty || c.status !== 'EMPTY');
  const empty = (compiled.data?.length ?? 0) - (compiled.data?.filter((c) => c.status !== 'EMPTY').length ?? 0);
  return (
    <section className="compile-sources" aria-labelledby="compile-sources-title">
      <h2 id="compile-sources-title">{t('compile.sources', lang)}</h2>
      <SelectionBar passage={passage} tagging={tagging} lang={lang} />
      {compiled.error !== null && <p role="alert">{failureText(compiled.error, lang)}</p>}
      {!compiled.data && compiled.error === null && <p className="loading">{t('loading', lang)}</p>}
      {compiled.data && (
        <label className="compile-with-empty">
          <input type="checkbox" checked={withEmpty} onChange={(e) => setWithEmpty(e.target.checked)} /> {t('compile.withEmpty', lang)} ({empty})
        </label>
      )}
      {shown?.length === 0 && <p className="muted">{t('compile.none', lang)}</p>}
      {shown?.map((c) => (
        <article key={c.id} className="compile-entry" data-testid="compile-entry" data-union={c.union.code}>
          <h3>
            <a href={writingHash(c.union.code, section)}>{c.union.name}</a> <StatusBadge status={c.status} lang={lang} />
            {c.version > 0 && <span className="muted"> · {t('writing.version', lang)} {c.version}</span>}
          </h3>
          {c.document != null && (
            <div data-passage-source="" data-union={c.union.code} data-union-name={c.union.name} data-version={c.version}>
              <ReadOnlyDoc content={c.document as JSONContent} />
            </div>
          )}
          {c.tags.length > 0 && (
            <ul className="section-tags" aria-label={t('writing.tags', lang)}>
              {c.tags.map((tag) => <li key={tag.id}><q>{tag.quote}</q> <span className="muted">({tag.taggedBy})</span></li>)}
            </ul>
          )}
        </article>
      ))}
    </section>
  );
}
