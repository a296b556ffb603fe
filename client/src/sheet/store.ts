/**
 * The sheet's state in one store: every hook reads the current state at the moment it acts (no refs
 * copying state), and components subscribe to the slices they draw.
 */
import { useSyncExternalStore } from 'react';
import type { SheetState } from './types.ts';

export interface SheetStore {
  get(): SheetState;
  set(patch: Partial<SheetState> | ((s: SheetState) => Partial<SheetState>)): void;
  subscribe(listener: () => void): () => void;
}

export function createSheetStore(initial: SheetState): SheetStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** One slice of the state; the component redraws when that slice changes (by identity). */
export function useSheet<T>(store: SheetStore, select: (s: SheetState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
