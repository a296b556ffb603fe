/**
 * Find (Ctrl+F) over the sheet's data, not the few hundred cells in the page: every loaded row's name
 * (without diacritics) and every shown figure as formatted. A match under a closed parent opens it.
 */
import { useCallback, useMemo, useState } from 'react';
import { formatViNumber } from '@unionhub/schema/numbers';
import { foldDiacritics } from '@unionhub/schema/text';
import { yearsOf } from '../YearRange.tsx';
import type { SheetStore } from './store.ts';
import { useSheet } from './store.ts';
import type { Row } from './types.ts';

export interface Match {
  unionCode: string;
  /** The figure column's id, or null for the union's name. */
  colId: string | null;
}

/** Rows in the tree's order (depth-first), whether or not their parents are open. */
function treeOrder(rows: Map<string, Row>): Row[] {
  const kids = new Map<string | null, Row[]>();
  for (const r of rows.values()) (kids.get(r.parentCode) ?? kids.set(r.parentCode, []).get(r.parentCode)!).push(r);
  const out: Row[] = [];
  const walk = (r: Row) => {
    out.push(r);
    for (const c of kids.get(r.unionCode) ?? []) walk(c);
  };
  for (const r of kids.get(null) ?? []) walk(r);
  return out;
}

export function findMatches(rows: Map<string, Row>, columns: { indicatorCode: string; year: number }[], years: number[], query: string): Match[] {
  const q = foldDiacritics(query);
  if (!q) return [];
  const shown = columns.map((c, i) => ({ ...c, i })).filter((c) => years.includes(c.year));
  const out: Match[] = [];
  for (const r of treeOrder(rows)) {
    if (foldDiacritics(r.name).includes(q) || r.unionCode.toLowerCase() === q) out.push({ unionCode: r.unionCode, colId: null });
    for (const c of shown) {
      const v = r.values[c.i];
      if (v !== null && v !== undefined && formatViNumber(v, 2).includes(query.trim())) out.push({ unionCode: r.unionCode, colId: `${c.indicatorCode}|${c.year}` });
    }
  }
  return out;
}

export function useFind(store: SheetStore) {
  const [query, setQuery] = useState<string | null>(null);
  const [at, setAt] = useState(0);
  // Whether the current match is on screen: the first Enter shows it, the next ones move on.
  const [shown, setShown] = useState(false);
  const rows = useSheet(store, (s) => s.rows);
  const columns = useSheet(store, (s) => s.columns);
  const range = useSheet(store, (s) => s.range);
  const matches = useMemo(() => (query ? findMatches(rows, columns, yearsOf(range), query) : []), [rows, columns, range, query]);

  /** Show the n-th match: open its ancestors (all loaded) and focus its cell. */
  const show = useCallback(
    (n: number) => {
      const m = matches[n];
      if (!m) return;
      setAt(n);
      setShown(true);
      const { rows: all, expanded } = store.get();
      const open = new Set(expanded);
      for (let p = all.get(m.unionCode)?.parentCode ?? null; p; p = all.get(p)?.parentCode ?? null) open.add(p);
      store.set({ expanded: open, pendingFocus: { unionCode: m.unionCode, colId: m.colId ?? 'unit' } });
    },
    [matches, store],
  );

  return {
    open: query !== null,
    query: query ?? '',
    count: matches.length,
    at,
    openFind: () => setQuery((q) => q ?? ''),
    close: () => setQuery(null),
    search: (q: string) => {
      setQuery(q);
      setAt(0);
      setShown(false);
    },
    next: (step: 1 | -1) => matches.length && show(shown ? (at + step + matches.length) % matches.length : at),
  };
}
