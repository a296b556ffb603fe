/** The union's sections in part II's order, each with its status and whether it is required; the chosen one marked. */
import { t, type Lang, type Word } from '../i18n.ts';
import { writingHash } from './route.ts';
import type { SectionRow, SectionSpec } from './useSectionData.ts';

export const sectionTitle = (s: Pick<SectionSpec, 'titleVi' | 'titleEn'>, lang: Lang): string => (lang === 'vi' ? s.titleVi : s.titleEn);

export function StatusBadge({ status, lang }: { status: SectionRow['status']; lang: Lang }) {
  return <span className={`section-status status-${status}`} data-status={status}>{t(`writing.status.${status}` as Word, lang)}</span>;
}

export function SectionList({ unionCode, rows, chosen, lang }: { unionCode: string; rows: SectionRow[]; chosen: string | null; lang: Lang }) {
  const sorted = [...rows].sort((a, b) => a.section.order - b.section.order);
  return (
    <nav className="section-list" aria-labelledby="section-list-title">
      <h2 id="section-list-title">{t('writing.sections', lang)}</h2>
      {sorted.length === 0 && <p className="muted">{t('writing.noSections', lang)}</p>}
      <ol>
        {sorted.map((r) => (
          <li key={r.id} className={r.section.code === chosen ? 'chosen' : undefined}>
            <a href={writingHash(unionCode, r.section.code)} data-section={r.section.code} aria-current={r.section.code === chosen ? 'page' : undefined}>
              <span className="section-part">{r.section.part}</span> {sectionTitle(r.section, lang)}
            </a>
            <span className="section-meta">
              <StatusBadge status={r.status} lang={lang} />
              {r.section.required && <span className="muted"> · {t('writing.required', lang)}</span>}
              {r.version > 0 && <span className="muted"> · {t('writing.version', lang)} {r.version}</span>}
            </span>
          </li>
        ))}
      </ol>
    </nav>
  );
}
