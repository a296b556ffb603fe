/**
 * The "Báo cáo viết" tab (`#/writing/<union>[/<section>]`): the union's sections beside the chosen
 * one's page, and search across all sections. Without a union in the address, the caller's own.
 */
import { useCallback } from 'react';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { homeOf } from '../rounds/useTrail.ts';
import { useSetupData } from '../sheet/useSetup.ts';
import { parseWriting, useHash } from './route.ts';
import { SearchBox } from './SearchBox.tsx';
import { SectionList } from './SectionList.tsx';
import { SectionPage } from './SectionPage.tsx';
import { useUnitSections, type SectionPage as SectionPageData } from './useSectionData.ts';
import './writing.css';

function UnionSections({ unionCode, section, version, lang }: { unionCode: string; section: string | null; version: number | null; lang: Lang }) {
  const { data, error, update } = useUnitSections(unionCode);
  const onChanged = useCallback(
    (p: SectionPageData) => update((d) => ({ ...d, unitSections: d.unitSections.map((r) => (r.id === p.id ? { ...r, status: p.status, version: p.version, approvedVersion: p.approvedVersion, updatedAt: p.updatedAt } : r)) })),
    [update],
  );
  const rows = data?.unitSections ?? [];
  const chosen = section ?? [...rows].sort((a, b) => a.section.order - b.section.order)[0]?.section.code ?? null;
  return (
    <div className="writing-columns">
      <div className="writing-side">
        {data?.union && <p className="writing-union" data-testid="writing-union">{data.union.name}</p>}
        {error !== null && <p role="alert">{failureText(error, lang)}</p>}
        {!data && error === null && <p className="loading">{t('loading', lang)}</p>}
        {data && <SectionList unionCode={unionCode} rows={rows} chosen={chosen} lang={lang} />}
      </div>
      <div className="writing-main">
        {chosen ? <SectionPage key={`${unionCode}|${chosen}`} unionCode={unionCode} section={chosen} version={version} lang={lang} onChanged={onChanged} /> : data && <p className="muted">{t('writing.pickSection', lang)}</p>}
      </div>
    </div>
  );
}

export function Writing({ lang }: { lang: Lang }) {
  const route = parseWriting(useHash());
  const setup = useSetupData();
  const unionCode = route?.unionCode ?? (setup.data ? homeOf(setup.data.me.grants).code : null);
  return (
    <main className="writing">
      <div className="toolbar writing-bar">
        <SearchBox lang={lang} />
      </div>
      {setup.error !== null && !route?.unionCode && <p role="alert">{failureText(setup.error, lang)}</p>}
      {unionCode && <UnionSections key={unionCode} unionCode={unionCode} section={route?.section ?? null} version={route?.version ?? null} lang={lang} />}
    </main>
  );
}
