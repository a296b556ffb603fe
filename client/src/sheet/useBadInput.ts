/**
 * A typed value that is no number is said when its edit ends, not before: a live update landing under
 * an open editor makes the grid parse the half-typed text ("1."), which is no mistake yet.
 */
import { useCallback } from 'react';
import { notANumber, type Lang } from '../i18n.ts';
import type { SheetStore } from './store.ts';

export function useBadInput(store: SheetStore, lang: Lang) {
  /** What the grid's parser last made of the editor's text: null when it was a number. */
  // Set only when it changes: the grid parses inside its own updates, and every set wakes the sheet's listeners.
  const onParsed = useCallback((bad: string | null) => void (store.get().badInput !== bad && store.set({ badInput: bad })), [store]);
  const onEditingStopped = useCallback(() => {
    const bad = store.get().badInput;
    if (bad !== null) store.set({ badInput: null, message: { kind: 'error', text: notANumber(bad, lang) } });
  }, [store, lang]);
  return { onParsed, onEditingStopped };
}
