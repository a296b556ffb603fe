/**
 * The compile view (`#/compile/<section>`): one section across TLĐ's children one after another with
 * each union's name, filtered by kind and region; a selected passage can be tagged as good practice
 * or quoted into TLĐ's own draft beside them, as a blockquote ending with a link back to its source.
 */
import { useCallback, useState } from 'react';
import { REGIONS, UNION_KINDS } from '@unionhub/schema';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { CompileSources } from './CompileSources.tsx';
import { DraftPane } from './DraftPane.tsx';
import { compileHash, parseCompile, useHash } from './route.ts';
import { SearchBox } from './SearchBox.tsx';
import { sectionTitle } from './SectionList.tsx';
import { useCatalogue, useCompiled, type UnionKindValue } from './useSectionData.ts';
import { usePassage, useTagPassage } from './usePassage.ts';
import './writing.css';

const KINDS: UnionKindValue[] = ['PROVINCIAL_FEDERATION', 'SECTORAL_UNION', 'CORPORATE_UNION'];
export const kindLabel = (kind: string, lang: Lang): string => {
  const def = UNION_KINDS.find((k) => k.kind === kind.toLowerCase());
  return def ? (lang === 'vi' ? def.labelVi : def.labelEn) : kind;
};

function Filters({ kinds, setKinds, region, setRegion, lang }: { kinds: UnionKindValue[]; setKinds: (k: UnionKindValue[]) => void; region: string; setRegion: (r: string) => void; lang: Lang }) {
  return (
    <>
      <fieldset className="compile-kinds">
        <legend>{t('compile.kinds', lang)}</legend>
        {KINDS.map((k) => (
          <label key={k}>
            <input type="checkbox" value={k} checked={kinds.includes(k)} onChange={(e) => setKinds(e.target.checked ? [...kinds, k] : kinds.filter((x) => x !== k))} /> {kindLabel(k, lang)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('compile.region', lang)}{' '}
        <select name="region" value={region} onChange={(e) => setRegion(e.target.value)}>
          <option value="">{t('compile.allRegions', lang)}</option>
          {REGIONS.map((r) => <option key={r.code} value={r.code}>{lang === 'vi' ? r.labelVi : r.labelEn}</option>)}
        </select>
      </label>
    </>
  );
}

export function Compile({ lang }: { lang: Lang }) {
  const route = parseCompile(useHash());
  const catalogue = useCatalogue();
  const section = route?.section ?? catalogue.data?.[0]?.code ?? null;
  const [kinds, setKinds] = useState<UnionKindValue[]>([]);
  const [region, setRegion] = useState('');
  const compiled = useCompiled(section, kinds, region ? [region] : []);
  const passage = usePassage();
  const { update } = compiled;
  const onTagged = useCallback((unionCode: string, tag: Parameters<Parameters<typeof useTagPassage>[1]>[1]) => update((list) => list.map((c) => (c.union.code === unionCode ? { ...c, tags: [...c.tags, tag] } : c))), [update]);
  const tagging = useTagPassage(section, onTagged);
  const spec = catalogue.data?.find((s) => s.code === section);
  return (
    <main className="writing compile">
      <div className="toolbar writing-bar">
        <label>
          {t('compile.section', lang)}{' '}
          <select name="section" value={section ?? ''} onChange={(e) => { location.hash = compileHash(e.target.value); }}>
            {catalogue.data?.map((s) => <option key={s.code} value={s.code}>{s.part} {sectionTitle(s, lang)}</option>)}
          </select>
        </label>
        <Filters kinds={kinds} setKinds={setKinds} region={region} setRegion={setRegion} lang={lang} />
        <SearchBox lang={lang} />
      </div>
      {catalogue.error !== null && <p role="alert">{failureText(catalogue.error, lang)}</p>}
      {section && (
        <div className="compile-columns">
          <CompileSources section={section} compiled={compiled} passage={passage} tagging={tagging} lang={lang} />
          {spec && <DraftPane key={section} spec={spec} passage={passage} lang={lang} />}
        </div>
      )}
    </main>
  );
}
