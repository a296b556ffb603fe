/** Cells written by anyone appear as they are written, briefly highlighted. */
import { useEffect } from 'react';
import { FiguresChangedSubscription } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { subscribe } from '../api.ts';
import type { SheetStore } from './store.ts';
import { useSheet } from './store.ts';
import { patchRows, type CellChange } from './patch.ts';
import { cellKey, type Status } from './types.ts';

const FLASH_MS = 1500;

export function useLive(store: SheetStore) {
  const mode = useSheet(store, (s) => s.mode);
  useEffect(() => {
    const controller = new AbortController();
    const shown = mode === 'target' ? 'TARGET' : 'ACTUAL';
    void subscribe<ResultOf<typeof FiguresChangedSubscription>>(
      FiguresChangedSubscription,
      (d) => {
        const { rows, columns } = store.get();
        const changes = d.figuresChanged.figures.flatMap((f): (CellChange & { key: string })[] => {
          const col = columns.findIndex((c) => c.indicatorCode === f.indicatorCode && c.year === f.year);
          const row = rows.get(f.unionCode);
          if (col < 0 || !row) return [];
          if (f.scenario === shown && row.versions[col]! < f.version) return [{ unionCode: f.unionCode, col, value: f.value ?? null, status: f.status as Status, version: f.version, proposal: !row.approvedOnly && f.proposedValue !== null, key: cellKey(f.unionCode, f.indicatorCode, f.year) }];
          if (mode === 'achieved' && f.scenario === 'TARGET') return [{ unionCode: f.unionCode, col, value: f.value ?? null, target: true, key: '' }];
          return [];
        });
        if (!changes.length) return;
        const now = Date.now();
        const flashing = new Map(store.get().flashing);
        for (const c of changes) if (c.key) flashing.set(c.key, now);
        patchRows(store, changes);
        store.set({ flashing });
        // The flash fades by itself (CSS); drop it afterwards so a repaint does not replay it.
        setTimeout(() => store.set((s) => ({ flashing: new Map([...s.flashing].filter(([, at]) => Date.now() - at < FLASH_MS)) })), FLASH_MS + 100);
      },
      controller.signal,
    ).catch(() => undefined); // closed on unmount or sign-out
    return () => controller.abort();
  }, [store, mode]);
}
