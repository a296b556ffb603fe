/**
 * Repaint the cells when what their classes read changes (ranges, markers, flashes). A forced
 * refresh of the cell being edited would end its edit, so while an editor is open it waits for the end.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { SheetStore } from './store.ts';
import type { Row } from './types.ts';

export function useRepaint(store: SheetStore, api: GridApi<Row> | null) {
  // Whether a repaint was put off by an open editor.
  const waitingRef = useRef(false);
  const repaint = useCallback(() => {
    if (!api || api.isDestroyed()) return;
    if (api.getEditingCells().length > 0) waitingRef.current = true;
    else api.refreshCells({ force: true });
  }, [api]);

  useEffect(() => {
    let seen = store.get();
    return store.subscribe(() => {
      const s = store.get();
      const changed = s.selection !== seen.selection || s.markers !== seen.markers || s.flashing !== seen.flashing;
      seen = s;
      if (changed) repaint();
    });
  }, [store, repaint]);

  const onEditingStopped = useCallback(() => {
    if (!waitingRef.current) return;
    waitingRef.current = false;
    repaint();
  }, [repaint]);

  return { onEditingStopped };
}
