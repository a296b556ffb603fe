/** The progress view's documents: counts per union × year, and the live changes that move them. */
import { graphql } from '../graphql.js';

export const ProgressQuery = graphql(`
  query Progress($root: String!, $years: [Int!]!, $scenario: Scenario!) {
    approvalProgress(root: $root, depth: 1, years: $years, scenario: $scenario) {
      union { code name level } year draft submitted approved withProposal openDiscrepancies
    }
  }
`);

/**
 * Only that something changed in a shown year matters: the counts are read again. No variables:
 * client/src/api.ts's `subscribe` sends a bare query.
 */
export const ProgressFiguresChangedSubscription = graphql(`
  subscription ProgressFiguresChanged { figuresChanged { figures { year scenario } } }
`);
export const ProgressDiscrepanciesChangedSubscription = graphql(`
  subscription ProgressDiscrepanciesChanged { discrepanciesChanged { year scenario } }
`);
