/**
 * Tree loading. What is shown loads in one go: one request for the national view or everything
 * expanded (both scenarios in one request for % achieved), a few for a few opened provinces. The new
 * rows replace the old only once every answer is in, so a refused or failed load leaves the last
 * complete sheet and says so — never a partial sheet shown as whole.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { GridAchievedQuery, GridQuery, UnionAncestorsQuery } from '@unionhub/schema/documents';
import { request } from '../api.ts';
import { yearsOf } from '../YearRange.tsx';
import type { SheetStore } from './store.ts';
import { useSheet } from './store.ts';
import type { Column, Mode, Row, Status } from './types.ts';

/** Up to this many opened provinces load one request each; more load the whole depth in one. */
const SEPARATE_LOADS = 3;

interface Loaded {
  columns: Column[];
  rows: Row[];
}

async function fetchRows(root: string, depth: number, years: number[], mode: Mode): Promise<Loaded> {
  const asRow = (r: { unionCode: string; name: string; level: number; parentCode: string | null; hasChildren: boolean; values: (number | null)[]; statuses: (string | null)[]; versions: number[] }, targets: (number | null)[] | null): Row => ({
    ...r,
    statuses: r.statuses as Status[],
    targets,
    open: false,
  });
  if (mode === 'achieved') {
    const d = await request(GridAchievedQuery, { root, depth, years });
    const targets = new Map(d.target.rows.map((r) => [r.unionCode, r.values]));
    return { columns: d.actual.columns, rows: d.actual.rows.map((r) => asRow(r, targets.get(r.unionCode) ?? null)) };
  }
  const d = await request(GridQuery, { root, depth, years, scenario: mode === 'target' ? 'TARGET' : 'ACTUAL' });
  return { columns: d.grid.columns, rows: d.grid.rows.map((r) => asRow(r, null)) };
}

/** A new array of the same columns would rebuild the grid's columns and end an edit in progress. */
const sameColumns = (a: Column[], b: Column[]) => a.length === b.length && a.every((c, i) => c.indicatorCode === b[i]!.indicatorCode && c.year === b[i]!.year);

export function useTree(store: SheetStore, onError: (e: unknown) => void) {
  const mode = useSheet(store, (s) => s.mode);
  const range = useSheet(store, (s) => s.range);
  // Each load takes a ticket; an answer to an older ticket (the mode or years changed since) is dropped.
  const ticketRef = useRef(0);

  /** Replace the rows with what is loaded, keeping the columns object when it is the same. */
  const land = useCallback(
    (ticket: number, parts: Loaded[], expanded: Set<string>) => {
      if (ticket !== ticketRef.current) return;
      const rows = new Map<string, Row>();
      for (const part of parts) for (const r of part.rows) rows.set(r.unionCode, r);
      store.set((s) => ({ rows, expanded, columns: sameColumns(s.columns, parts[0]!.columns) ? s.columns : parts[0]!.columns, loading: false, loadFailed: null }));
    },
    [store],
  );

  /** Load every row shown under `expanded` for the current mode and years. */
  const reload = useCallback(
    async (expanded: Set<string> = store.get().expanded) => {
      const ticket = ++ticketRef.current;
      const { mode: m, range: r, rows } = store.get();
      const years = yearsOf(r);
      const provinces = [...expanded].filter((code) => code !== 'TLD' && (rows.get(code)?.level ?? 1) === 1);
      store.set({ loading: true });
      try {
        const parts =
          provinces.length > SEPARATE_LOADS
            ? [await fetchRows('TLD', 2, years, m)]
            : await Promise.all([fetchRows('TLD', 1, years, m), ...provinces.map((p) => fetchRows(p, 1, years, m))]);
        land(ticket, parts, expanded);
      } catch (e) {
        if (ticket !== ticketRef.current) return;
        store.set({ loading: false, loadFailed: e instanceof Error ? e.message : String(e) });
        onError(e);
      }
    },
    [store, land, onError],
  );

  useEffect(() => {
    void reload();
  }, [mode, range.from, range.to, reload]);

  const toggle = useCallback(
    async (code: string) => {
      const { expanded, rows, range: r, mode: m } = store.get();
      const next = new Set(expanded);
      if (next.has(code)) {
        next.delete(code);
        return store.set({ expanded: next });
      }
      next.add(code);
      const childrenLoaded = [...rows.values()].some((row) => row.parentCode === code);
      if (!rows.get(code)?.hasChildren || childrenLoaded) return store.set({ expanded: next });
      try {
        const part = await fetchRows(code, 1, yearsOf(r), m);
        store.set((s) => {
          const merged = new Map(s.rows);
          for (const row of part.rows) merged.set(row.unionCode, row);
          return { rows: merged, expanded: new Set([...s.expanded, code]) };
        });
      } catch (e) {
        onError(e);
      }
    },
    [store, onError],
  );

  /** Every union down to the direct superior level, in one request. */
  const expandAll = useCallback(async () => {
    const ticket = ++ticketRef.current;
    const { mode: m, range: r } = store.get();
    store.set({ loading: true });
    try {
      const part = await fetchRows('TLD', 2, yearsOf(r), m);
      land(ticket, [part], new Set(part.rows.filter((row) => row.hasChildren && row.level < 2).map((row) => row.unionCode)));
    } catch (e) {
      if (ticket === ticketRef.current) store.set({ loading: false, loadFailed: e instanceof Error ? e.message : String(e) });
      onError(e);
    }
  }, [store, land, onError]);

  const collapseAll = useCallback(() => store.set({ expanded: new Set(['TLD']) }), [store]);

  /** Show a union: expand its ancestors (loading what they hold) and focus its row. */
  const reveal = useCallback(
    async (unionCode: string, focus: { year?: number; colId?: string } = {}) => {
      try {
        const d = await request(UnionAncestorsQuery, { code: unionCode });
        const chain = d.union?.ancestors.map((a) => a.code) ?? [];
        const { expanded, rows } = store.get();
        store.set({ pendingFocus: { unionCode, ...focus } });
        const next = new Set([...expanded, 'TLD', ...chain]);
        const missing = chain.filter((code) => code !== 'TLD' && ![...rows.values()].some((row) => row.parentCode === code));
        if (missing.length === 0) store.set({ expanded: next });
        else await reload(next);
      } catch (e) {
        onError(e);
      }
    },
    [store, reload, onError],
  );

  return useMemo(() => ({ reload, toggle, expandAll, collapseAll, reveal }), [reload, toggle, expandAll, collapseAll, reveal]);
}
