/**
 * The "Đợt báo cáo" tab's documents (issue 14): rounds, a root's overview (with the chase list for
 * its reviewers), a unit's page and the writes. Each asks what its screen shows, once.
 */
import { graphql } from '../graphql.js';

export const RoundCompletenessFields = graphql(`
  fragment RoundCompletenessFields on Completeness {
    union { code name level }
    expected submitted onTime late missing returned cellsExpected cellsFilled cellsApproved
  }
`);

/** A union's row in the overview's table. */
export const RoundRowFields = graphql(`
  fragment RoundRowFields on UnitSubmission {
    union { code name level }
    status firstSubmittedAt daysLate
    extension { deadline reason }
    cellsExpected cellsFilled
  }
`);

/** A union's page: its facts, what blocks it and its trail; the writes answer with the same, so the page shows their result. */
export const RoundUnitFields = graphql(`
  fragment RoundUnitFields on UnitSubmission {
    ...RoundRowFields
    deadline originalDeadline lastSubmittedAt
    extension { grantedBy }
    cellsApproved
    canSubmit canReturn canExtend
    blockers { kind unionCode indicatorCode year scenario discrepancyId sectionCode message }
    history { kind at by reason }
  }
`, [RoundRowFields]);

export const RoundChaseFields = graphql(`
  fragment RoundChaseFields on ChaseEntry {
    union { code name }
    status daysLate
    reporters { name email }
  }
`);

/** The picker's rounds, with what the overview shows of the chosen one (its deadline, its deepest level). */
export const ReportingRoundsQuery = graphql(`
  query ReportingRounds {
    reportingRounds { id name deadline levels }
  }
`);

/**
 * A root's figures, its children's bars and rows, and (for its reviewers: `withChase`; the server
 * refuses anyone else) the chase list — one request. `now`: the moment the figures stand at.
 */
export const RoundOverviewQuery = graphql(`
  query RoundOverview($id: ID!, $root: String!, $depth: Int, $withChase: Boolean! = false) {
    reportingRound(id: $id) {
      id now
      completeness(root: $root) { ...RoundCompletenessFields }
      completenessBelow(root: $root) { union { code } expected submitted }
      submissions(root: $root, depth: $depth) { ...RoundRowFields }
      chaseList(root: $root) @include(if: $withChase) { ...RoundChaseFields }
    }
  }
`, [RoundCompletenessFields, RoundRowFields, RoundChaseFields]);

/** A union's page (its blockers are empty for a caller who does not read its unapproved figures). */
export const RoundUnitQuery = graphql(`
  query RoundUnit($id: ID!, $unionCode: String!) {
    reportingRound(id: $id) {
      id name
      unit(unionCode: $unionCode) { ...RoundUnitFields }
    }
  }
`, [RoundUnitFields]);

/** The chase list alone (the API's read; the overview asks it with its figures). Reviewers only; the download is /files/rounds/<id>/chase.xlsx|csv?root=. */
export const RoundChaseListQuery = graphql(`
  query RoundChaseList($id: ID!, $root: String!) {
    reportingRound(id: $id) {
      id
      chaseList(root: $root) { ...RoundChaseFields }
    }
  }
`, [RoundChaseFields]);

export const CreateReportingRoundMutation = graphql(`
  mutation CreateReportingRound($input: ReportingRoundInput!) {
    createReportingRound(input: $input) { id name year deadline deadlineDate levels }
  }
`);

export const SubmitUnitReportMutation = graphql(`
  mutation SubmitUnitReport($roundId: ID!, $unionCode: String!) {
    submitUnitReport(roundId: $roundId, unionCode: $unionCode) { ...RoundUnitFields }
  }
`, [RoundUnitFields]);

export const ReturnUnitReportMutation = graphql(`
  mutation ReturnUnitReport($roundId: ID!, $unionCode: String!, $reason: String!) {
    returnUnitReport(roundId: $roundId, unionCode: $unionCode, reason: $reason) { ...RoundUnitFields }
  }
`, [RoundUnitFields]);

export const GrantExtensionMutation = graphql(`
  mutation GrantExtension($roundId: ID!, $unionCode: String!, $deadline: String!, $reason: String!) {
    grantExtension(roundId: $roundId, unionCode: $unionCode, deadline: $deadline, reason: $reason) { ...RoundUnitFields }
  }
`, [RoundUnitFields]);

/** A level-1 union's own earlier deadline for its children (the API's; no screen sets it yet — tests/round.test.ts). */
export const SetRoundPartDeadlineMutation = graphql(`
  mutation SetRoundPartDeadline($roundId: ID!, $unionCode: String!, $deadline: String!) {
    setRoundPartDeadline(roundId: $roundId, unionCode: $unionCode, deadline: $deadline) { union { code name } deadline }
  }
`);
