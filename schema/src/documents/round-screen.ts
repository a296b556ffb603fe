/**
 * What the "Đợt báo cáo" tab needs besides the round's own documents (round.ts): the caller's grants
 * (where the tab starts, whether it offers the chase list) and the indicators' names for the blockers.
 */
import { graphql } from '../graphql.js';
import { RoundSubmissionFields } from './round.js';

export const RoundScreenSetupQuery = graphql(`
  query RoundScreenSetup($lang: String!) {
    me { grants { role union { code name level } } }
    indicators { code label(lang: $lang) }
  }
`);

/**
 * A union's page: round.ts's RoundUnit, with the blockers asked only of callers who read unapproved
 * figures (the server refuses a viewer the blockers, and the refusal would take the whole page).
 */
export const RoundUnitPageQuery = graphql(`
  query RoundUnitPage($id: ID!, $unionCode: String!, $withBlockers: Boolean!) {
    reportingRound(id: $id) {
      id name deadline now
      unit(unionCode: $unionCode) {
        ...RoundSubmissionFields
        blockers @include(if: $withBlockers) { kind unionCode indicatorCode year scenario discrepancyId sectionCode message }
        history { kind at by reason }
      }
    }
  }
`, [RoundSubmissionFields]);
