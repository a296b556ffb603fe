/** The cell panel's documents: the focused cell, its discrepancies (structured), the actions on both, and their live changes. */
import { graphql } from '../graphql.js';

/** The cell, and for those who read unapproved work (`full`) its history and comments. */
export const PanelFigureQuery = graphql(`
  query PanelFigure($u: String!, $i: String!, $y: Int!, $s: Scenario!, $full: Boolean!) {
    figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: $s) {
      value status version proposedValue
      revisions @include(if: $full) { change beforeValue afterValue beforeStatus afterStatus actor at reason }
      comments @include(if: $full) { author at text }
    }
  }
`);

/**
 * Open and explained discrepancies under the cell's union whose rule reads the cell's indicator:
 * whose, which rule and what its two sides are, the values compared, the explanation and decision.
 */
export const PanelDiscrepanciesQuery = graphql(`
  query PanelDiscrepancies($u: String!, $i: String!, $y: Int!, $s: Scenario!) {
    discrepancies(root: $u, year: $y, scenario: $s, involving: $i, states: [OPEN, EXPLAINED]) {
      id state severity leftValue rightValue difference
      union { code name }
      indicator { code labelVi: label(lang: "vi") labelEn: label(lang: "en") }
      rule { id labelVi labelEn leftLabelVi leftLabelEn rightLabelVi rightLabelEn }
      explanation explainedBy explainedAt
      drillDown { union { code name } value }
    }
  }
`);

/**
 * Discrepancies changed by anyone the caller may follow (explained, decided, found, resolved). No
 * variables: client/src/api.ts's `subscribe` sends a bare query; the panel keeps what concerns its cell.
 */
export const PanelDiscrepanciesChangedSubscription = graphql(`
  subscription PanelDiscrepanciesChanged {
    discrepanciesChanged { id year scenario indicators { code } }
  }
`);

export const PanelCommentMutation = graphql(`
  mutation PanelComment($c: CellKey!, $t: String!) { commentFigure(cell: $c, text: $t) { version } }
`);
export const PanelSubmitMutation = graphql(`
  mutation PanelSubmit($c: CellKey!) { submitFigures(selection: { cells: [$c] }) { movedCount } }
`);
export const PanelApproveMutation = graphql(`
  mutation PanelApprove($c: CellKey!) { approveFigures(selection: { cells: [$c] }) { movedCount } }
`);
export const PanelSendBackMutation = graphql(`
  mutation PanelSendBack($c: CellKey!, $r: String!) { sendBackFigures(selection: { cells: [$c] }, reason: $r) { movedCount } }
`);
/** A correction to an approved cell waits as a proposal. */
export const PanelProposeMutation = graphql(`
  mutation PanelPropose($c: CellKey!, $v: Float!, $e: Int!, $r: String) { proposeFigure(cell: $c, value: $v, expectedVersion: $e, reason: $r) { version } }
`);
export const PanelExplainMutation = graphql(`
  mutation PanelExplain($id: Int!, $t: String!) { explainDiscrepancy(id: $id, text: $t) { id state } }
`);
export const PanelAcceptMutation = graphql(`
  mutation PanelAccept($id: Int!, $t: String!) { acceptDiscrepancy(id: $id, text: $t) { id state } }
`);
export const PanelWaiveMutation = graphql(`
  mutation PanelWaive($id: Int!, $t: String!) { waiveDiscrepancy(id: $id, text: $t) { id state } }
`);
