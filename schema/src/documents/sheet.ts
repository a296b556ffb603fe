/** The sheet's documents: the tree of figures, writes, transitions, markers and live updates. */
import { graphql } from '../graphql.js';

/** The unions shown (a subtree to `depth`) and their figures for the years, in the server's column order. */
export const GridQuery = graphql(`
  query Grid($root: String!, $depth: Int!, $years: [Int!]!, $scenario: Scenario!) {
    grid(root: $root, depth: $depth, years: $years, scenario: $scenario) {
      columns { indicatorCode year }
      rows { unionCode name level parentCode hasChildren values statuses versions }
    }
  }
`);

export const SetFiguresMutation = graphql(`
  mutation SetFigures($cells: [CellWrite!]!) {
    setFigures(cells: $cells) { figures { value status version } }
  }
`);

/**
 * What the sheet shows, in one request: `root` to `depth`, plus the children of each `expanded`
 * union, for every scenario in `scenarios` (ACTUAL and TARGET for "% achieved"). Columns carry their
 * scenario; `proposals` marks cells with a correction pending; `readable` / `approvedOnly` say what
 * the caller may read of each row (unreadable rows are only the path down to what it may read).
 */
export const SheetGridQuery = graphql(`
  query SheetGrid($root: String!, $depth: Int!, $years: [Int!]!, $scenarios: [Scenario!]!, $expanded: [String!], $indicators: [String!]) {
    grid(root: $root, depth: $depth, years: $years, scenarios: $scenarios, expanded: $expanded, indicators: $indicators) {
      columns { indicatorCode year scenario }
      rows { unionCode name level parentCode hasChildren readable approvedOnly values statuses versions proposals }
    }
  }
`);

/** Submit what can be submitted of a list of cells (`lenient: true`); the rest is counted, each reason with a code and its parameters for the page's language. */
export const SubmitCellsMutation = graphql(`
  mutation SubmitCells($cells: [CellKey!]!, $lenient: Boolean!) {
    submitFigures(selection: { cells: $cells, lenient: $lenient }) {
      movedCount skippedCount
      moved { unionCode indicatorCode year scenario value status version }
      reasons { code params { status withProposal } count reason }
      skipped { unionCode indicatorCode year scenario code }
    }
  }
`);

/** Approve what can be approved of a list of cells (`lenient: true`); the rest is counted as for submit. */
export const ApproveCellsMutation = graphql(`
  mutation ApproveCells($cells: [CellKey!]!, $lenient: Boolean!) {
    approveFigures(selection: { cells: $cells, lenient: $lenient }) {
      movedCount skippedCount
      moved { unionCode indicatorCode year scenario value status version proposedValue }
      reasons { code params { status withProposal } count reason }
      skipped { unionCode indicatorCode year scenario code }
    }
  }
`);
