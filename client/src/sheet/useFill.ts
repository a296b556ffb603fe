/**
 * Fill as in Excel: dragging the fill handle, Ctrl+D (down from the range's top row) and Ctrl+R
 * (right from its left column) repeat the source cells over the target, written as one batch.
 */
import { useCallback } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { Range } from '../ranges.ts';
import { t, type Lang } from '../i18n.ts';
import type { SheetStore } from './store.ts';
import { cellAt, editOf } from './gridCells.ts';
import type { Edit, Row } from './types.ts';

export function useFill(store: SheetStore, api: GridApi<Row> | null, lang: Lang, write: (edits: Edit[]) => void) {
  const fill = useCallback(
    (source: Range, target: Range) => {
      if (!api) return;
      const height = source.r2 - source.r1 + 1;
      const width = source.c2 - source.c1 + 1;
      const edits: Edit[] = [];
      let skipped = 0;
      for (let row = target.r1; row <= target.r2; row++) {
        for (let col = target.c1; col <= target.c2; col++) {
          if (row >= source.r1 && row <= source.r2 && col >= source.c1 && col <= source.c2) continue;
          const from = cellAt(api, store, source.r1 + ((((row - source.r1) % height) + height) % height), source.c1 + ((((col - source.c1) % width) + width) % width));
          const to = cellAt(api, store, row, col);
          if (!from || !to || from.index < 0 || to.index < 0) continue;
          if (!to.column.isCellEditable(to.node)) {
            skipped++;
            continue;
          }
          const value = from.node.data!.values[from.index] ?? null;
          if (value !== (to.node.data!.values[to.index] ?? null)) edits.push(editOf(to, value));
        }
      }
      if (edits.length) write(edits);
      if (skipped) store.set({ message: { kind: 'warning', text: `${t('fillSkipped', lang)}: ${skipped} ${t('cells', lang)}` } });
    },
    [api, store, lang, write],
  );

  /** Ctrl+D / Ctrl+R over the last range: its first row (or column) is the source. */
  const fillDown = useCallback(
    (axis: 'down' | 'right') => {
      const range = store.get().selection.ranges.at(-1);
      if (!range) return;
      const source = axis === 'down' ? { ...range, r2: range.r1 } : { ...range, c2: range.c1 };
      fill(source, range);
    },
    [store, fill],
  );

  return { fill, fillDown };
}
