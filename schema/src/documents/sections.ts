/**
 * The written report's documents (issue 15): a union's sections and one section's page (versions,
 * diff, comments, history), its writes, compiling one section across a root's children, and search.
 * Each asks what its screen shows, once; a write answers with the page's own fields.
 */
import { graphql } from '../graphql.js';

export const SectionSpecFields = graphql(`
  fragment SectionSpecFields on ReportSectionSpec {
    code order part titleVi titleEn guidanceVi guidanceEn required addressee figures
  }
`);

/** A section's row in the list beside the editor. */
export const SectionRowFields = graphql(`
  fragment SectionRowFields on UnitSection {
    id status version approvedVersion updatedAt
    section { ...SectionSpecFields }
  }
`, [SectionSpecFields]);

/** One section's page: what the editor starts from and everything around it. */
export const SectionPageFields = graphql(`
  fragment SectionPageFields on UnitSection {
    ...SectionRowFields
    union { code name level }
    document plainText updatedBy returnReason
    canEdit canSubmit canReview
    versions { version savedAt savedBy bytes html }
    comments { id version author at text }
    history { kind version actor at reason }
    tags { id version quote taggedBy at }
  }
`, [SectionRowFields]);

export const UnitSectionsQuery = graphql(`
  query UnitSections($unionCode: String!) {
    union(code: $unionCode) { code name level }
    unitSections(unionCode: $unionCode) { ...SectionRowFields }
  }
`, [SectionRowFields]);

export const UnitSectionQuery = graphql(`
  query UnitSection($unionCode: String!, $section: String!) {
    unitSection(unionCode: $unionCode, section: $section) { ...SectionPageFields }
  }
`, [SectionPageFields]);

export const SectionDiffQuery = graphql(`
  query SectionDiff($unionCode: String!, $section: String!, $from: Int!, $to: Int!) {
    unitSection(unionCode: $unionCode, section: $section) { id diff(from: $from, to: $to) { kind text } }
  }
`);

export const SaveSectionMutation = graphql(`
  mutation SaveSection($unionCode: String!, $section: String!, $document: SectionDocument!, $baseVersion: Int!) {
    saveSection(unionCode: $unionCode, section: $section, document: $document, baseVersion: $baseVersion) { ...SectionPageFields }
  }
`, [SectionPageFields]);

export const SubmitSectionMutation = graphql(`
  mutation SubmitSection($unionCode: String!, $section: String!) {
    submitSection(unionCode: $unionCode, section: $section) { ...SectionPageFields }
  }
`, [SectionPageFields]);

export const ApproveSectionMutation = graphql(`
  mutation ApproveSection($unionCode: String!, $section: String!, $version: Int!) {
    approveSection(unionCode: $unionCode, section: $section, version: $version) { ...SectionPageFields }
  }
`, [SectionPageFields]);

export const SendBackSectionMutation = graphql(`
  mutation SendBackSection($unionCode: String!, $section: String!, $reason: String!) {
    sendBackSection(unionCode: $unionCode, section: $section, reason: $reason) { ...SectionPageFields }
  }
`, [SectionPageFields]);

export const CommentSectionMutation = graphql(`
  mutation CommentSection($unionCode: String!, $section: String!, $text: String!) {
    commentSection(unionCode: $unionCode, section: $section, text: $text) { id version author at text }
  }
`);

/** The compile view's picker: the catalogue. */
export const ReportSectionsQuery = graphql(`
  query ReportSections {
    reportSections { ...SectionSpecFields }
  }
`, [SectionSpecFields]);

/** One section across the children of root, each with its union, the version shown and its tagged passages. */
export const CompileSectionQuery = graphql(`
  query CompileSection($section: String!, $root: String, $kinds: [UnionKind!], $regions: [String!]) {
    compileSection(section: $section, root: $root, kinds: $kinds, regions: $regions) {
      id status version document
      union { code name kind region }
      tags { id version quote taggedBy at }
    }
  }
`);

export const TagPassageMutation = graphql(`
  mutation TagPassage($unionCode: String!, $section: String!, $version: Int!, $quote: String!) {
    tagPassage(unionCode: $unionCode, section: $section, version: $version, quote: $quote) { id version quote taggedBy at }
  }
`);

export const SearchSectionsQuery = graphql(`
  query SearchSections($text: String!, $root: String, $first: Int) {
    searchSections(text: $text, root: $root, first: $first) {
      union { code name }
      section { code titleVi titleEn }
      status version snippet rank
    }
  }
`);
