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
