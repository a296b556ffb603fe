/** Copy the last range as Excel does (tab-separated, formatted as shown); paste a block as one batch. */
import { useCallback, type ClipboardEvent } from 'react';
import type { GridApi } from 'ag-grid-community';
import { parseViNumber } from '@unionhub/schema/numbers';
import { toTsv } from '../ranges.ts';
import { notANumber, t, type Lang } from '../i18n.ts';
import type { SheetStore } from './store.ts';
import { cellAt, editOf } from './gridCells.ts';
import type { Edit, Row } from './types.ts';

export function useClipboard(store: SheetStore, api: GridApi<Row> | null, lang: Lang, write: (edits: Edit[]) => void) {
  const onCopy = useCallback(
    (e: ClipboardEvent<HTMLDivElement>) => {
      const range = store.get().selection.ranges.at(-1);
      if (!api || !range || api.getEditingCells().length) return;
      e.preventDefault();
      e.clipboardData.setData('text/plain', toTsv(range, (row, col) => {
        const c = cellAt(api, store, row, col);
        return c ? String(api.getCellValue({ rowNode: c.node, colKey: c.column, useFormatter: true }) ?? '') : '';
      }));
    },
    [api, store],
  );

  /** A block copied from Excel or LibreOffice, from the focused cell on; one bad cell refuses the whole block. */
  const onPaste = useCallback(
    (e: ClipboardEvent<HTMLDivElement>) => {
      const focus = api?.getFocusedCell();
      if (!api || !focus || api.getEditingCells().length > 0) return;
      e.preventDefault();
      const text = e.clipboardData.getData('text/plain').replace(/\r/g, '').replace(/\n$/, '');
      const start = api.getAllDisplayedColumns().findIndex((c) => c.getColId() === focus.column.getColId());
      const edits: Edit[] = [];
      const problems: string[] = [];
      text.split('\n').forEach((line, r) => {
        line.split('\t').forEach((raw, k) => {
          const c = cellAt(api, store, focus.rowIndex + r, start + k);
          const where = `${c?.node.data?.name ?? '?'} / ${c?.column.getColDef().headerName ?? '?'}`;
          if (!c || c.index < 0) return problems.push(`${where}: ${t('outsideSheet', lang)}`);
          if (!c.column.isCellEditable(c.node)) return problems.push(`${where}: ${t('notEditable', lang)}`);
          const parsed = parseViNumber(raw);
          if (!parsed.ok) return problems.push(`${where}: ${notANumber(raw, lang)}`);
          edits.push(editOf(c, parsed.value));
        });
      });
      if (problems.length) return store.set({ message: { kind: 'error', text: `${t('refused', lang)} (${t('nothingWritten', lang)}): ${problems.join(' · ')}` } });
      write(edits);
    },
    [api, store, lang, write],
  );

  return { onCopy, onPaste };
}
