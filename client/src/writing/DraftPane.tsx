/**
 * TLĐ's own text of the section being compiled, in the editor beside the unions' texts. "Quote"
 * inserts the selected passage where the cursor is, as a blockquote whose last paragraph links back
 * to the source union, section and version.
 */
import { useCallback, useState } from 'react';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import type { SectionNode } from './editor/document.ts';
import { writingHash } from './route.ts';
import { sectionTitle } from './SectionList.tsx';
import { SectionWorkspace } from './SectionWorkspace.tsx';
import { useSectionPage, type SectionPage, type SectionSpec } from './useSectionData.ts';
import type { Passage } from './usePassage.ts';
import { paragraphsOf, useSectionWorkspace } from './useSectionWorkspace.ts';

const NATIONAL = 'TLD';

/** The quote's blockquote: the passage's paragraphs, then "— <union>, <section>, version N" linking to the source. */
export function quoteOf(p: Passage, section: SectionSpec, lang: Lang): SectionNode {
  const source = `— ${p.unionName}, ${sectionTitle(section, lang)}, ${t('writing.version', lang).toLowerCase()} ${p.version}`;
  return {
    type: 'blockquote',
    content: [...paragraphsOf(p.text), { type: 'paragraph', content: [{ type: 'text', text: source, marks: [{ type: 'link', attrs: { href: writingHash(p.unionCode, section.code, p.version) } }] }] }],
  };
}

function Draft({ page, spec, passage, show, reload, lang }: { page: SectionPage; spec: SectionSpec; passage: Passage | null; show: (p: SectionPage) => void; reload: () => void; lang: Lang }) {
  const ws = useSectionWorkspace(page, show, reload, lang);
  const quote = () => {
    if (passage) ws.ed.editor.chain().focus().insertContent(quoteOf(passage, spec, lang)).run();
  };
  return (
    <>
      {page.canEdit && (
        <button type="button" data-testid="compile-quote" disabled={!passage} onMouseDown={(e) => e.preventDefault()} onClick={quote}>
          {t('compile.quote', lang)}
        </button>
      )}
      <SectionWorkspace ws={ws} lang={lang} />
    </>
  );
}

export function DraftPane({ spec, passage, lang }: { spec: SectionSpec; passage: Passage | null; lang: Lang }) {
  const [generation, setGeneration] = useState(0);
  const { data, error, update } = useSectionPage(NATIONAL, spec.code, generation);
  const show = useCallback((p: SectionPage) => update(() => p), [update]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return (
    <section className="compile-draft" aria-labelledby="compile-draft-title" data-testid="compile-draft">
      <h2 id="compile-draft-title">{t('compile.draft', lang)} — {sectionTitle(spec, lang)}</h2>
      {error !== null && !data && <p role="alert">{failureText(error, lang)}</p>}
      {!data && error === null && <p className="loading">{t('loading', lang)}</p>}
      {data && <Draft key={generation} page={data} spec={spec} passage={passage} show={show} reload={reload} lang={lang} />}
    </section>
  );
}
