/** The "Khen thưởng" tab's documents (issue 15): a root's list, proposing, deciding. */
import { graphql } from '../graphql.js';

/** A proposal as the list shows it; the writes answer with the same. `ancestors`: who is above it decides. */
export const CommendationFields = graphql(`
  fragment CommendationFields on CommendationProposal {
    id kind personName position achievement rank percentAchieved status reason proposedBy proposedAt decidedBy decidedAt
    union { code name level ancestors { code } }
  }
`);

/** Who the caller is (the proposer never decides) and the root's list. */
export const CommendationsQuery = graphql(`
  query Commendations($root: String!) {
    me { username grants { role union { code name level } } }
    commendationProposals(root: $root) { ...CommendationFields }
  }
`, [CommendationFields]);

export const ProposeCommendationMutation = graphql(`
  mutation ProposeCommendation($input: ProposeCommendationInput!) {
    proposeCommendation(input: $input) { ...CommendationFields }
  }
`, [CommendationFields]);

export const DecideCommendationMutation = graphql(`
  mutation DecideCommendation($id: ID!, $approve: Boolean!, $reason: String) {
    decideCommendation(id: $id, approve: $approve, reason: $reason) { ...CommendationFields }
  }
`, [CommendationFields]);
