/** What the written report's screens read: a union's sections, one section's page, a diff, a compiled section, a search. */
import { CompileSectionQuery, ReportSectionsQuery, SearchSectionsQuery, SectionDiffQuery, UnitSectionQuery, UnitSectionsQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { request } from '../api.ts';
import { useLoad } from '../rounds/useRoundData.ts';

export type SectionRow = ResultOf<typeof UnitSectionsQuery>['unitSections'][number];
export type SectionSpec = SectionRow['section'];
export type SectionPage = ResultOf<typeof UnitSectionQuery>['unitSection'];
export type SectionVersion = SectionPage['versions'][number];
export type DiffPart = ResultOf<typeof SectionDiffQuery>['unitSection']['diff'][number];
export type Compiled = ResultOf<typeof CompileSectionQuery>['compileSection'][number];
export type SearchHit = ResultOf<typeof SearchSectionsQuery>['searchSections'][number];
export type UnionKindValue = NonNullable<Compiled['union']['kind']>;

const loadSections = (unionCode: string) => request(UnitSectionsQuery, { unionCode });
/** `generation` is only part of the read's key: a new number reads again (after taking a colleague's version, say). */
const loadSection = (unionCode: string, section: string) => request(UnitSectionQuery, { unionCode, section }).then((d) => d.unitSection);
const loadDiff = (unionCode: string, section: string, from: number, to: number) => request(SectionDiffQuery, { unionCode, section, from, to }).then((d) => d.unitSection.diff);
const loadCatalogue = () => request(ReportSectionsQuery, {}).then((d) => d.reportSections);
const loadCompiled = (section: string, kinds: UnionKindValue[], regions: string[]) =>
  request(CompileSectionQuery, { section, root: 'TLD', kinds: kinds.length ? kinds : null, regions: regions.length ? regions : null }).then((d) => d.compileSection);
const loadSearch = (text: string) => request(SearchSectionsQuery, { text, root: 'TLD', first: 20 }).then((d) => d.searchSections);

export const useUnitSections = (unionCode: string) => useLoad(loadSections, [unionCode]);
export const useSectionPage = (unionCode: string, section: string, generation: number) => useLoad(loadSection as (u: string, s: string, g: number) => ReturnType<typeof loadSection>, [unionCode, section, generation]);
export const useSectionDiff = (unionCode: string, section: string, from: number | null, to: number | null) =>
  useLoad(loadDiff, from !== null && to !== null && from !== to ? [unionCode, section, from, to] : null);
export const useCatalogue = () => useLoad(loadCatalogue, []);
export const useCompiled = (section: string | null, kinds: UnionKindValue[], regions: string[]) => useLoad(loadCompiled, section ? [section, kinds, regions] : null);
export const useSearch = (text: string) => useLoad(loadSearch, text.trim().length >= 2 ? [text.trim()] : null);
