/** The "Đợt báo cáo" tab's documents (issue 14): rounds, completeness and submissions by root, a unit's page, the writes. */
import { graphql } from '../graphql.js';

export const RoundCompletenessFields = graphql(`
  fragment RoundCompletenessFields on Completeness {
    union { code name level }
    expected submitted onTime late missing returned cellsExpected cellsFilled cellsApproved
  }
`);

export const RoundSubmissionFields = graphql(`
  fragment RoundSubmissionFields on UnitSubmission {
    union { code name level }
    status deadline originalDeadline firstSubmittedAt lastSubmittedAt daysLate
    extension { deadline reason grantedBy grantedAt }
    cellsExpected cellsFilled cellsApproved
    canSubmit canReturn canExtend
  }
`);

export const ReportingRoundsQuery = graphql(`
  query ReportingRounds {
    reportingRounds { id name periodFrom periodTo year deadline deadlineDate levels now }
  }
`);

/** The round's headline figures, each child subtree's bar, and the children's rows (one request). */
export const RoundOverviewQuery = graphql(`
  query RoundOverview($id: ID!, $root: String!, $depth: Int) {
    reportingRound(id: $id) {
      id name periodFrom periodTo year deadline deadlineDate levels now
      indicators years scenarios
      reminderSteps { code offsetDays repeatEveryDays labelVi labelEn }
      completeness(root: $root) { ...RoundCompletenessFields }
      completenessBelow(root: $root) { ...RoundCompletenessFields }
      submissions(root: $root, depth: $depth) { ...RoundSubmissionFields }
    }
  }
`, [RoundCompletenessFields, RoundSubmissionFields]);

/** A union's page: what still blocks it (each item opens the sheet at that cell) and its trail. */
export const RoundUnitQuery = graphql(`
  query RoundUnit($id: ID!, $unionCode: String!) {
    reportingRound(id: $id) {
      id name deadline now
      unit(unionCode: $unionCode) {
        ...RoundSubmissionFields
        blockers { kind unionCode indicatorCode year scenario discrepancyId sectionCode message }
        history { kind at by reason }
      }
    }
  }
`, [RoundSubmissionFields]);

/** Reviewers only (viewers and reporters are refused FORBIDDEN); the download is /files/rounds/<id>/chase.xlsx|csv?root=. */
export const RoundChaseListQuery = graphql(`
  query RoundChaseList($id: ID!, $root: String!) {
    reportingRound(id: $id) {
      id
      chaseList(root: $root) {
        union { code name level }
        status daysLate deadline lastSubmittedAt
        reporters { name email }
      }
    }
  }
`);

export const CreateReportingRoundMutation = graphql(`
  mutation CreateReportingRound($input: ReportingRoundInput!) {
    createReportingRound(input: $input) { id name year deadline deadlineDate levels }
  }
`);

export const SubmitUnitReportMutation = graphql(`
  mutation SubmitUnitReport($roundId: ID!, $unionCode: String!) {
    submitUnitReport(roundId: $roundId, unionCode: $unionCode) { ...RoundSubmissionFields history { kind at by reason } }
  }
`, [RoundSubmissionFields]);

export const ReturnUnitReportMutation = graphql(`
  mutation ReturnUnitReport($roundId: ID!, $unionCode: String!, $reason: String!) {
    returnUnitReport(roundId: $roundId, unionCode: $unionCode, reason: $reason) { ...RoundSubmissionFields history { kind at by reason } }
  }
`, [RoundSubmissionFields]);

export const GrantExtensionMutation = graphql(`
  mutation GrantExtension($roundId: ID!, $unionCode: String!, $deadline: String!, $reason: String!) {
    grantExtension(roundId: $roundId, unionCode: $unionCode, deadline: $deadline, reason: $reason) { ...RoundSubmissionFields history { kind at by reason } }
  }
`, [RoundSubmissionFields]);
