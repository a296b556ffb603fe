/** The cells under displayed row and column indices, as the grid shows them and as the server names them. */
import type { Column as AgColumn, GridApi, IRowNode } from 'ag-grid-community';
import { cellsOf, type Range } from '../ranges.ts';
import { columnIndex } from './columns.tsx';
import type { SheetStore } from './store.ts';
import type { Edit, Row } from './types.ts';

export interface GridCell {
  row: number;
  col: number;
  node: IRowNode<Row>;
  column: AgColumn;
  /** The column's place in the server's order (-1 for the union column). */
  index: number;
}

export function cellAt(api: GridApi<Row>, store: SheetStore, row: number, col: number): GridCell | null {
  const node = api.getDisplayedRowAtIndex(row);
  const column = api.getAllDisplayedColumns()[col];
  if (!node?.data || !column) return null;
  return { row, col, node, column, index: column.getColId() === 'unit' ? -1 : columnIndex(store.get().columns, column.getColId()) };
}

/** Every figure cell of the ranges (the union column left out). */
export function figureCells(api: GridApi<Row>, store: SheetStore, ranges: Range[]): GridCell[] {
  return cellsOf(ranges).flatMap(({ row, col }) => {
    const c = cellAt(api, store, row, col);
    return c && c.index >= 0 ? [c] : [];
  });
}

/** An edit of a cell from its current row: the value it replaces, its status, and the version held now. */
export function editOf(c: GridCell, value: number | null): Edit {
  const r = c.node.data!;
  return { unionCode: r.unionCode, col: c.index, value, before: r.values[c.index] ?? null, beforeStatus: r.statuses[c.index] ?? null, expectedVersion: r.versions[c.index] ?? 0 };
}

export const lastRow = (api: GridApi<Row>) => api.getDisplayedRowCount() - 1;
export const lastCol = (api: GridApi<Row>) => api.getAllDisplayedColumns().length - 1;
