/**
 * One section of a union (`#/writing/<union>/<section>`): its title, status and guidance, the editor
 * (read-only where the caller may not write), submit/approve/send back, versions with their diff,
 * comments and history. `?version=N` shows that version above the current text. A write's answer is
 * the section's new page: shown as it comes, not asked again.
 */
import { useCallback, useState } from 'react';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { Comments, History } from './Comments.tsx';
import { ReadOnlyDoc } from './editor/ReadOnlyDoc.tsx';
import { dateTime } from './format.ts';
import { writingHash } from './route.ts';
import { SectionActions } from './SectionActions.tsx';
import { sectionTitle, StatusBadge } from './SectionList.tsx';
import { SectionWorkspace } from './SectionWorkspace.tsx';
import { Versions } from './Versions.tsx';
import { useSectionPage, type SectionPage as Page } from './useSectionData.ts';
import { useSectionWorkspace } from './useSectionWorkspace.ts';

function OldVersion({ page, version, lang }: { page: Page; version: number; lang: Lang }) {
  const v = page.versions.find((x) => x.version === version);
  return (
    <section className="old-version" data-testid="old-version" data-version={version}>
      <h3>
        {t('writing.showingVersion', lang)} {version}
        {v && <span className="muted"> · {dateTime(v.savedAt, lang)} · {v.savedBy}</span>} · <a href={writingHash(page.union.code, page.section.code)}>{t('writing.backToCurrent', lang)}</a>
      </h3>
      {v ? <ReadOnlyDoc content={v.html} /> : <p role="alert">{t('writing.versionMissing', lang)}</p>}
    </section>
  );
}

function SectionBody({ page, show, reload, version, lang }: { page: Page; show: (p: Page) => void; reload: () => void; version: number | null; lang: Lang }) {
  const ws = useSectionWorkspace(page, show, reload, lang);
  const guidance = lang === 'vi' ? page.section.guidanceVi : page.section.guidanceEn;
  return (
    <article className="section-page" data-union={page.union.code} data-section={page.section.code}>
      <div className="section-head">
        <h2 data-testid="section-title"><span className="section-part">{page.section.part}</span> {sectionTitle(page.section, lang)}</h2>
        <p>
          <StatusBadge status={page.status} lang={lang} /> · {page.section.required ? t('writing.required', lang) : t('writing.optional', lang)}
          {page.version > 0 && <> · {t('writing.version', lang)} <span data-testid="section-version">{page.version}</span></>}
          {page.updatedAt && <span className="muted"> · {t('writing.updated', lang)} {dateTime(page.updatedAt, lang)} {t('writing.by', lang)} {page.updatedBy}</span>}
        </p>
        {page.status === 'RETURNED' && page.returnReason && <p className="return-reason" role="note">{t('writing.returnReason', lang)}: {page.returnReason}</p>}
        <details className="guidance" open={page.status === 'EMPTY'}>
          <summary>{t('writing.guidance', lang)}</summary>
          <p>{guidance}</p>
        </details>
      </div>
      {version !== null && version !== page.version && <OldVersion page={page} version={version} lang={lang} />}
      <SectionWorkspace ws={ws} lang={lang} />
      <SectionActions ws={ws} lang={lang} />
      <div className="section-columns">
        <Versions page={page} lang={lang} />
        <Comments page={page} busy={ws.writes.state.busy} onAdd={(text) => ws.writes.comment(text, page)} lang={lang} />
        <History page={page} lang={lang} />
      </div>
    </article>
  );
}

/** `onChanged`: a write's answer, for the list beside the page (its status and version). */
export function SectionPage({ unionCode, section, version, lang, onChanged }: { unionCode: string; section: string; version: number | null; lang: Lang; onChanged?: (p: Page) => void }) {
  const [generation, setGeneration] = useState(0);
  const { data, error, update } = useSectionPage(unionCode, section, generation);
  const show = useCallback((p: Page) => {
    update(() => p);
    onChanged?.(p);
  }, [update, onChanged]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  if (error !== null && !data) return <p role="alert">{failureText(error, lang)}</p>;
  if (!data) return <p className="loading">{t('loading', lang)}</p>;
  // A reload (after taking their version) starts the editor again from the page read.
  return <SectionBody key={generation} page={data} show={show} reload={reload} version={version} lang={lang} />;
}
