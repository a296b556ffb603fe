/**
 * Ranges as Excel makes them (AG Grid's own are Enterprise): click, drag, Shift+click, Ctrl+click to
 * add a range, Shift+arrows, and the fill handle's drag. The mouse button's state is read from the
 * events themselves, so a click that never moved cannot leave the sheet "dragging".
 */
import { useCallback, useEffect, useRef } from 'react';
import type { CellFocusedEvent, CellMouseOverEvent, GridApi } from 'ag-grid-community';
import { rangeOf, type Point, type Range } from '../ranges.ts';
import type { SheetStore } from './store.ts';
import type { Row } from './types.ts';

export type SelectMode = 'replace' | 'extend' | 'add';

/** The fill target: the source range grown along one axis to reach the cell under the mouse. */
function fillTarget(source: Range, at: Point): Range {
  const down = at.row > source.r2 ? at.row - source.r2 : at.row < source.r1 ? source.r1 - at.row : 0;
  const across = at.col > source.c2 ? at.col - source.c2 : at.col < source.c1 ? source.c1 - at.col : 0;
  if (down === 0 && across === 0) return source;
  return down >= across ? { ...source, r1: Math.min(source.r1, at.row), r2: Math.max(source.r2, at.row) } : { ...source, c1: Math.min(source.c1, at.col), c2: Math.max(source.c2, at.col) };
}

const onFillCorner = (e: MouseEvent) => {
  const cell = (e.target as HTMLElement).closest('.ag-cell');
  if (!cell?.classList.contains('fill-corner')) return false;
  const box = cell.getBoundingClientRect();
  return box.right - e.clientX <= 8 && box.bottom - e.clientY <= 8;
};

export function useSelection(store: SheetStore, api: GridApi<Row> | null, onFill: (source: Range, target: Range) => void) {
  // Facts of the input devices, not copies of state: whether the last key came with Shift, and the cell
  // a pointer last went down on (the grid reports that focus later, after the mouse is up: the pointer
  // already selected, so that focus must not replace it).
  const inputRef = useRef<{ shift: boolean; pressed: { row: number; colId: string } | null }>({ shift: false, pressed: null });
  const displayedIndex = useCallback((colId: string) => api?.getAllDisplayedColumns().findIndex((c) => c.getColId() === colId) ?? -1, [api]);

  const select = useCallback(
    (to: Point, mode: SelectMode) => {
      store.set((s) => {
        const { ranges, anchor } = s.selection;
        if (mode === 'extend' && anchor) return { selection: { ...s.selection, corner: to, ranges: [...ranges.slice(0, -1), rangeOf(anchor, to)] } };
        return { selection: { ...s.selection, corner: to, anchor: to, ranges: mode === 'add' ? [...ranges, rangeOf(to, to)] : [rangeOf(to, to)] } };
      });
    },
    [store],
  );

  const selectAll = useCallback(() => {
    if (!api) return;
    const rows = api.getDisplayedRowCount() - 1;
    const cols = api.getAllDisplayedColumns().length - 1;
    store.set((s) => ({ selection: { ...s.selection, anchor: { row: 0, col: 1 }, corner: { row: rows, col: cols }, ranges: [{ r1: 0, r2: rows, c1: 1, c2: cols }] } }));
  }, [api, store]);

  const onCellMouseOver = useCallback(
    (e: CellMouseOverEvent<Row>) => {
      const { drag, ranges } = store.get().selection;
      if (!drag) return;
      // The button was released outside the page (or the click never moved): nothing is being dragged.
      if (((e.event as MouseEvent).buttons & 1) === 0) return store.set((s) => ({ selection: { ...s.selection, drag: null, fillTo: null } }));
      const at = { row: e.rowIndex ?? 0, col: displayedIndex(e.column.getColId()) };
      if (drag === 'select') return select(at, 'extend');
      const source = ranges.at(-1);
      if (source) store.set((s) => ({ selection: { ...s.selection, fillTo: fillTarget(source, at) } }));
    },
    [store, select, displayedIndex],
  );

  /** Keyboard moves: Shift+arrow extends the range, a plain move starts a new one. Mouse focus is the mouse's. */
  const onCellFocused = useCallback(
    (e: CellFocusedEvent<Row>) => {
      const input = inputRef.current;
      if (e.rowIndex === null || !e.column || typeof e.column === 'string') return;
      const pressed = input.pressed;
      input.pressed = null;
      if (pressed && pressed.row === e.rowIndex && pressed.colId === e.column.getColId()) return;
      select({ row: e.rowIndex, col: displayedIndex(e.column.getColId()) }, input.shift ? 'extend' : 'replace');
    },
    [select, displayedIndex],
  );

  useEffect(() => {
    // Capture phase at pointerdown: seen before the grid moves the focus, so a click's focus event is known as the mouse's.
    const input = inputRef.current;
    // The click selects at pointerdown, in the capture phase: the grid's own cellMouseDown comes after the
    // mouse is up, and keys typed right after a click (Shift+→, Ctrl+R) must already see the clicked cell.
    const down = (e: PointerEvent) => {
      const cell = (e.target as HTMLElement | null)?.closest?.('.ag-cell');
      const row = cell?.closest('.ag-row')?.getAttribute('row-index');
      input.pressed = cell && row != null ? { row: Number(row), colId: cell.getAttribute('col-id') ?? '' } : null;
      if (!input.pressed || e.button !== 0) return;
      const last = store.get().selection.ranges.at(-1);
      if (last && onFillCorner(e)) return store.set((s) => ({ selection: { ...s.selection, drag: 'fill', fillTo: last } }));
      store.set((s) => ({ selection: { ...s.selection, drag: 'select' } }));
      select({ row: input.pressed.row, col: displayedIndex(input.pressed.colId) }, e.shiftKey ? 'extend' : e.ctrlKey || e.metaKey ? 'add' : 'replace');
    };
    // On the fill handle the press drags the fill: no text selection, no focus move.
    const fillPress = (e: MouseEvent) => {
      if (onFillCorner(e) && store.get().selection.drag === 'fill') e.preventDefault();
    };
    const up = () => {
      const { drag, fillTo, ranges } = store.get().selection;
      if (!drag) return;
      store.set((s) => ({ selection: { ...s.selection, drag: null, fillTo: null } }));
      const source = ranges.at(-1);
      if (drag === 'fill' && fillTo && source) {
        store.set((s) => ({ selection: { ...s.selection, ranges: [...s.selection.ranges.slice(0, -1), fillTo] } }));
        onFill(source, fillTo);
      }
    };
    // Whether the key that moved the focus came with Shift, read at its keydown (the focus event comes later).
    const keys = (e: KeyboardEvent) => (input.shift = e.shiftKey);
    window.addEventListener('pointerdown', down, true);
    window.addEventListener('mousedown', fillPress, true);
    window.addEventListener('mouseup', up, true);
    window.addEventListener('keydown', keys, true);
    return () => {
      window.removeEventListener('pointerdown', down, true);
      window.removeEventListener('mousedown', fillPress, true);
      window.removeEventListener('mouseup', up, true);
      window.removeEventListener('keydown', keys, true);
    };
  }, [store, onFill, select, displayedIndex]);

  return { select, selectAll, onCellMouseOver, onCellFocused };
}
