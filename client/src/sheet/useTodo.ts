/** The filters' counts: per union (levels 0–2), what is left to do in its subtree over the shown years. */
import { useEffect } from 'react';
import { SheetTodoQuery } from '@unionhub/schema/documents';
import { request } from '../api.ts';
import { yearsOf } from '../YearRange.tsx';
import type { SheetStore } from './store.ts';
import { useSheet } from './store.ts';

export function useTodo(store: SheetStore, onError: (e: unknown) => void) {
  const filter = useSheet(store, (s) => s.filter);
  const range = useSheet(store, (s) => s.range);
  const scenario = useSheet(store, (s) => (s.mode === 'target' ? 'TARGET' : 'ACTUAL'));
  // Markers change with every write that matters here: recount with them.
  const markers = useSheet(store, (s) => s.markers);
  useEffect(() => {
    if (!filter.discrepancies && !filter.unapproved) return store.set({ todo: null });
    let live = true;
    request(SheetTodoQuery, { years: yearsOf(range), scenario })
      .then((d) => {
        if (!live) return;
        const todo = new Map<string, { unapproved: number; open: number }>();
        for (const r of d.approvalProgress) {
          const acc = todo.get(r.union.code) ?? { unapproved: 0, open: 0 };
          acc.unapproved += r.draft + r.submitted;
          acc.open += r.openDiscrepancies;
          todo.set(r.union.code, acc);
        }
        store.set({ todo });
      })
      .catch(onError);
    return () => {
      live = false;
    };
  }, [store, filter, range, scenario, markers, onError]);
}
