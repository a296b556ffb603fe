/**
 * The report page's written half (issue 15): the union's sections in part II's order, the approved
 * version only (shown through the editor's schema, never as innerHTML); what is not approved is named.
 * Loaded lazily with the editor, like the writing tabs.
 */
import type { JSONContent } from '@tiptap/core';
import { t, type Lang } from '../i18n.ts';
import { ReadOnlyDoc } from './editor/ReadOnlyDoc.tsx';
import './writing.css';

export interface ReportTextData {
  section: string;
  titleVi: string;
  version: number | null;
  document: unknown;
}

export function ReportTexts({ texts, lang }: { texts: ReportTextData[]; lang: Lang }) {
  if (texts.length === 0) return null;
  const missing = texts.filter((x) => x.version === null);
  return (
    <section className="report-texts" data-testid="report-texts" lang="vi">
      <h3>{t('writing.inReport', lang)}</h3>
      {missing.length > 0 && (
        <p className="report-texts-missing" data-testid="report-texts-missing">
          {t('writing.missingInReport', lang)}: {missing.map((x) => x.titleVi).join('; ')}
        </p>
      )}
      {texts.map((x, i) => (
        <article key={x.section} data-section={x.section}>
          <h4>{i + 1}. {x.titleVi}{x.version !== null && <small> · {t('writing.version', lang)} {x.version}</small>}</h4>
          {x.version !== null && x.document ? <ReadOnlyDoc content={x.document as JSONContent} /> : <p className="muted">{t('writing.notApprovedInReport', lang)}</p>}
        </article>
      ))}
    </section>
  );
}
