/**
 * The focused cell (the side panel follows it) and focus requested before its row or column exists
 * (opened at a unit from the progress view, a find, a jump to a union): applied once both are there.
 */
import { useCallback, useEffect } from 'react';
import type { CellFocusedEvent, GridApi } from 'ag-grid-community';
import type { SheetStore } from './store.ts';
import type { Indicator, Row } from './types.ts';

export function useFocus(store: SheetStore, api: GridApi<Row> | null, indicators: Indicator[]) {
  const focusPending = useCallback(() => {
    const p = store.get().pendingFocus;
    if (!p || !api) return;
    const node = api.getRowNode(p.unionCode);
    const columns = api.getAllDisplayedColumns();
    const column = p.colId ? columns.find((c) => c.getColId() === p.colId) : columns.find((c) => c.getColId().endsWith(`|${p.year}`));
    if (!node || node.rowIndex === null || !column) return;
    store.set({ pendingFocus: null });
    api.ensureNodeVisible(node, 'middle');
    api.ensureColumnVisible(column, 'start');
    api.setFocusedCell(node.rowIndex, column);
    // The scroll above draws the cell a frame or two later: focused before it exists, it shows as
    // focused but the page's focus stays where it was and typed keys go nowhere (seen in CI). Focus it
    // again once drawn, unless the user has moved on.
    const rowIndex = node.rowIndex;
    const again = (tries: number) =>
      requestAnimationFrame(() => {
        const f = api.getFocusedCell();
        if (!f || f.rowIndex !== rowIndex || f.column !== column) return;
        const cell = document.querySelector(`.ag-row[row-index="${rowIndex}"] [col-id="${CSS.escape(column.getColId())}"]`);
        if (cell?.contains(document.activeElement)) return;
        if (cell) api.setFocusedCell(rowIndex, column);
        else if (tries > 0) again(tries - 1);
      });
    again(10);
  }, [store, api]);

  // A request made while the row is already shown is applied at once (after the grid has drawn it).
  useEffect(() => {
    let seen = store.get().pendingFocus;
    return store.subscribe(() => {
      const p = store.get().pendingFocus;
      if (p && p !== seen) setTimeout(focusPending, 0);
      seen = p;
    });
  }, [store, focusPending]);

  const onCellFocused = useCallback(
    (e: CellFocusedEvent<Row>) => {
      if (e.rowIndex === null || !e.column || typeof e.column === 'string' || !api) return;
      const node = api.getDisplayedRowAtIndex(e.rowIndex);
      const [indicatorCode, year] = e.column.getColId().split('|');
      const { mode } = store.get();
      if (!node?.data || !year || mode === 'achieved') return;
      const label = indicators.find((x) => x.code === indicatorCode)?.label ?? indicatorCode!;
      const f = store.get().focused;
      if (f && f.unionCode === node.data.unionCode && f.indicatorCode === indicatorCode && f.year === Number(year)) return;
      store.set({ focused: { unionCode: node.data.unionCode, unionName: node.data.name, indicatorCode: indicatorCode!, indicatorLabel: label, year: Number(year), scenario: mode === 'target' ? 'TARGET' : 'ACTUAL' } });
    },
    [store, api, indicators],
  );

  return { focusPending, onCellFocused };
}
