/** The sheet's documents: the tree of figures, writes, transitions, markers and live updates. */
import { graphql } from '../graphql.js';

/**
 * What a screen needs once (the sheet, the rounds tab): the caller's grants and the catalogue's
 * indicators, labelled in both languages so a language switch asks nothing again.
 */
export const SheetSetupQuery = graphql(`
  query SheetSetup {
    me { grants { role union { code name level } } }
    indicators { code labelVi: label(lang: "vi") labelEn: label(lang: "en") computed targeted category { code labelVi labelEn } }
  }
`);

export const UnionAncestorsQuery = graphql(`
  query UnionAncestors($code: String!) { union(code: $code) { ancestors { code } } }
`);

/** Per union (levels 0–2), what is left to do in its subtree over the shown years: the filters read it. */
export const SheetTodoQuery = graphql(`
  query SheetTodo($years: [Int!]!, $scenario: Scenario!) {
    approvalProgress(root: "TLD", depth: 2, years: $years, scenario: $scenario) { union { code } draft submitted openDiscrepancies }
  }
`);

/** Open and explained discrepancies, marked on their cells. */
export const SheetMarkersQuery = graphql(`
  query SheetMarkers($scenario: Scenario!) {
    discrepancies(root: "TLD", scenario: $scenario, states: [OPEN, EXPLAINED], limit: 5000) {
      id state union { code } indicator { code } year rule { labelVi labelEn } difference
    }
  }
`);

export const SetFiguresMutation = graphql(`
  mutation SetFigures($cells: [CellWrite!]!) {
    setFigures(cells: $cells) { figures { value status version } }
  }
`);

/** What a transition moved (each cell as it is now) and why the rest did not move. */
export const TransitionFields = graphql(`
  fragment TransitionFields on TransitionPayload {
    movedCount moved { unionCode indicatorCode year scenario status version value proposedValue } skippedCount
    reasons { reason count code params { status withProposal } key keyParams { name text number } }
    skipped { unionCode indicatorCode year scenario code }
  }
`);

export const SubmitCellsMutation = graphql(`
  mutation SubmitCells($cells: [CellKey!]!, $lenient: Boolean! = false) { submitFigures(selection: { cells: $cells, lenient: $lenient }) { ...TransitionFields } }
`, [TransitionFields]);

export const ApproveCellsMutation = graphql(`
  mutation ApproveCells($cells: [CellKey!]!, $lenient: Boolean! = false) { approveFigures(selection: { cells: $cells, lenient: $lenient }) { ...TransitionFields } }
`, [TransitionFields]);

/** "Approve all that pass": a subtree and year, skipping cells an open error is about. */
export const ApprovePassingMutation = graphql(`
  mutation ApprovePassing($s: SubtreeYear!) { approveFigures(selection: { subtree: $s }) { ...TransitionFields } }
`, [TransitionFields]);

export const FiguresChangedSubscription = graphql(`
  subscription FiguresChanged {
    figuresChanged(root: "TLD") { actor figures { unionCode indicatorCode year scenario value status version proposedValue } }
  }
`);

export const DiscrepanciesChangedSubscription = graphql(`
  subscription DiscrepanciesChanged {
    discrepanciesChanged(root: "TLD") { id state union { code } indicator { code } year scenario rule { labelVi labelEn } difference }
  }
`);

/**
 * What the sheet shows, in one request: `root` to `depth`, plus the children of each `expanded`
 * union, for every scenario in `scenarios` (ACTUAL and TARGET for "% achieved"). Columns carry their
 * scenario; `proposals` marks cells with a correction pending; `readable` / `approvedOnly` say what
 * the caller may read of each row (unreadable rows are only the path down to what it may read). The
 * rows come as one value (`table`): a country's ~1,400 rows as GraphQL objects took ten field
 * resolutions each on the server's main thread, which also serves the writes.
 */
export const SheetGridQuery = graphql(`
  query SheetGrid($root: String!, $depth: Int!, $years: [Int!]!, $scenarios: [Scenario!]!, $expanded: [String!], $indicators: [String!]) {
    grid(root: $root, depth: $depth, years: $years, scenarios: $scenarios, expanded: $expanded, indicators: $indicators) {
      columns { indicatorCode year scenario }
      table
    }
  }
`);
