/** Cells written by anyone appear as they are written, briefly highlighted. */
import { useEffect } from 'react';
import { FiguresChangedSubscription } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { subscribe } from '../api.ts';
import type { SheetStore } from './store.ts';
import { liveChanges, patchRows } from './patch.ts';

const FLASH_MS = 1500;

/**
 * One subscription for the sheet's life: each event is read against the rows held at that moment and the
 * mode they were loaded for (patch.ts).
 * Opened again at each change of mode, it sent a new subscription each time and could miss a write made between the two.
 */
export function useLive(store: SheetStore) {
  useEffect(() => {
    const controller = new AbortController();
    void subscribe<ResultOf<typeof FiguresChangedSubscription>>(
      FiguresChangedSubscription,
      (d) => {
        const figures = d.figuresChanged.figures;
        // A load (or children's fetch) in flight may have read these cells before they were written: they go again onto the rows it lands (useTree).
        if (store.get().loading || store.get().fetching > 0) store.set((s) => ({ liveDuringLoad: [...s.liveDuringLoad, ...figures] }));
        const changes = liveChanges(store.get(), figures);
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
  }, [store]);
}
