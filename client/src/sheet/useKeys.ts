/**
 * Excel's keys where the grid's differ or are missing: Home/End (start and end of the row),
 * Ctrl+Home/Ctrl+End (the sheet's corners), Ctrl+A, Shift+arrows and Shift+Home/End (ranges), Delete
 * (clears the ranges in one batch), Ctrl+Z/Ctrl+Y, Ctrl+D/Ctrl+R (fill), Ctrl+F (find), and
 * Alt+→/Alt+← to open and close the tree (Alt+← on a closed row goes to its parent).
 */
import { useCallback, type KeyboardEvent } from 'react';
import type { GridApi, SuppressKeyboardEventParams } from 'ag-grid-community';
import type { SheetStore } from './store.ts';
import { figureCells, editOf, lastCol, lastRow } from './gridCells.ts';
import type { SelectMode } from './useSelection.ts';
import type { Edit, Row } from './types.ts';

export interface KeyActions {
  select: (to: { row: number; col: number }, mode: SelectMode) => void;
  selectAll: () => void;
  write: (kind: 'new' | 'undo' | 'redo', edits?: Edit[]) => void;
  fillDown: (axis: 'down' | 'right') => void;
  openFind: () => void;
  toggle: (unionCode: string) => void;
}

const ARROWS: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
const ours = (e: KeyboardEvent | globalThis.KeyboardEvent) => {
  const ctrl = e.ctrlKey || e.metaKey;
  const k = e.key.toLowerCase();
  return (
    e.key === 'Home' || e.key === 'End' || (e.key === 'Delete' && !ctrl) || (e.shiftKey && e.key in ARROWS) || (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) ||
    (ctrl && ['a', 'z', 'y', 'd', 'r', 'f'].includes(k))
  );
};

/** The grid leaves our keys to us (outside an editor, where Home/End move the caret). */
export const suppressOurKeys = (p: SuppressKeyboardEventParams<Row>) => !p.editing && ours(p.event);

export function useKeys(store: SheetStore, api: GridApi<Row> | null, act: KeyActions) {
  /** Focus a cell (and select it, or extend to it with Shift) as a keyboard move does. */
  const moveTo = useCallback(
    (row: number, col: number, extend: boolean) => {
      if (!api) return;
      const column = api.getAllDisplayedColumns()[col];
      if (!column) return;
      api.ensureIndexVisible(row);
      api.ensureColumnVisible(column);
      if (extend) act.select({ row, col }, 'extend');
      else api.setFocusedCell(row, column);
    },
    [api, act],
  );

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (!api || api.getEditingCells().length || !ours(e)) return;
      const focus = api.getFocusedCell();
      const corner = store.get().selection.corner;
      const here = corner ?? (focus ? { row: focus.rowIndex, col: api.getAllDisplayedColumns().findIndex((c) => c.getColId() === focus.column.getColId()) } : null);
      const ctrl = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      e.preventDefault();
      e.stopPropagation();
      if (e.altKey && focus) {
        const row = api.getDisplayedRowAtIndex(focus.rowIndex)?.data;
        if (!row) return;
        if (e.key === 'ArrowRight' && row.hasChildren && !row.open) return act.toggle(row.unionCode);
        if (e.key === 'ArrowLeft' && row.open) return act.toggle(row.unionCode);
        if (e.key === 'ArrowLeft' && row.parentCode) {
          const parent = api.getRowNode(row.parentCode);
          if (parent?.rowIndex != null) api.setFocusedCell(parent.rowIndex, focus.column);
        }
        return;
      }
      if (e.key === 'Home' || e.key === 'End') {
        // Home: the first figure column (the union column is frozen, as Excel's Home skips frozen panes).
        const col = e.key === 'Home' ? 1 : lastCol(api);
        const row = ctrl ? (e.key === 'Home' ? 0 : lastRow(api)) : (here?.row ?? 0);
        return moveTo(row, col, e.shiftKey);
      }
      if (e.shiftKey && e.key in ARROWS && here) {
        const [dr, dc] = ARROWS[e.key]!;
        return moveTo(Math.min(lastRow(api), Math.max(0, here.row + dr)), Math.min(lastCol(api), Math.max(1, here.col + dc)), true);
      }
      if (e.key === 'Delete') {
        const edits = figureCells(api, store, store.get().selection.ranges)
          .filter((c) => c.column.isCellEditable(c.node) && (c.node.data!.values[c.index] ?? null) !== null)
          .map((c) => editOf(c, null));
        return act.write('new', edits);
      }
      if (key === 'a') return act.selectAll();
      if (key === 'z') return act.write(e.shiftKey ? 'redo' : 'undo');
      if (key === 'y') return act.write('redo');
      if (key === 'd') return act.fillDown('down');
      if (key === 'r') return act.fillDown('right');
      if (key === 'f') return act.openFind();
    },
    [api, store, act, moveTo],
  );

  return { onKeyDown };
}
