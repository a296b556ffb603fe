/**
 * Tree loading. What is shown loads in one go: one request for the national view or everything
 * expanded (both scenarios in one request for % achieved), a few for a few opened provinces. The new
 * rows replace the old only once every answer is in, so a refused or failed load leaves the last
 * complete sheet and says so — never a partial sheet shown as whole.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { INDICATORS } from '@unionhub/schema';
import { SheetGridQuery, UnionAncestorsQuery } from '@unionhub/schema/documents';
import { request } from '../api.ts';
import { yearsOf } from '../YearRange.tsx';
import type { SheetStore } from './store.ts';
import { useSheet } from './store.ts';
import type { Column, Mode, Row } from './types.ts';
import { unpackAnswer, type Loaded } from './answer.ts';
import { cutColumns, joinRows, narrowRows, reuseOf, type Held, type Reuse } from './reuse.ts';
import { fetched, landChildren, liveChanges, patchRows } from './patch.ts';

/** Past this many opened provinces, the whole second level loads (depth 2) instead of a list of them. */
const LISTED_PARENTS = 20;

/**
 * One request for a subtree to `depth` plus the children of each `expanded` union, with both
 * scenarios for % achieved; the answer's columns (indicator × year × scenario) are split into the
 * shown scenario's and, for % achieved, the targets aligned with them (answer.ts). `indicators`: only
 * these (none: the rows without their cells, for a load that keeps the cells it holds; null: all).
 */
async function fetchRows(at: Where, years: number[], mode: Mode, indicators: string[] | null = null): Promise<Loaded> {
  const shown = mode === 'target' ? 'TARGET' : 'ACTUAL';
  const scenarios = mode === 'achieved' ? (['ACTUAL', 'TARGET'] as const) : ([shown] as const);
  const d = await request(SheetGridQuery, { ...at, years, scenarios: [...scenarios], indicators });
  return unpackAnswer(d.grid, shown, mode === 'achieved');
}

/** The indicators the plan sets targets for: the only ones % achieved shows, so the only targets it asks for. */
const TARGETED = INDICATORS.filter((i) => i.targeted).map((i) => i.code);

/** Each row's values placed at `columns` by indicator and year (null where the answer has none). */
function alignedTo(columns: Column[], fresh: Loaded): Row[] {
  const at = new Map(fresh.columns.map((c, j) => [`${c.indicatorCode}|${c.year}`, j]));
  const from = columns.map((c) => at.get(`${c.indicatorCode}|${c.year}`) ?? -1);
  return fresh.rows.map((r) => ({ ...r, values: from.map((j) => (j < 0 ? null : (r.values[j] ?? null))) }));
}

/** Which rows a load asks for: a subtree to a depth, plus the children of the `expanded` unions. */
interface Where {
  root: string;
  depth: number;
  expanded: string[] | null;
}

/** Everything shown under `expanded`: past LISTED_PARENTS opened provinces, the whole second level. */
function whereShown(expanded: Set<string>, rows: Map<string, Row>): Where {
  const provinces = [...expanded].filter((code) => code !== 'TLD' && (rows.get(code)?.level ?? 1) === 1);
  return provinces.length > LISTED_PARENTS ? { root: 'TLD', depth: 2, expanded: null } : { root: 'TLD', depth: 1, expanded: provinces.length ? provinces : null };
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
    (ticket: number, parts: Loaded[], expanded: Set<string>, held: Held) => {
      if (ticket !== ticketRef.current) return;
      const rows = new Map<string, Row>();
      for (const part of parts) for (const r of part.rows) rows.set(r.unionCode, r);
      const meanwhile = store.get().liveDuringLoad;
      store.set((s) => ({ rows, expanded, held, columns: sameColumns(s.columns, parts[0]!.columns) ? s.columns : parts[0]!.columns, loading: false, loadFailed: null, liveDuringLoad: s.fetching > 0 ? s.liveDuringLoad : [] }));
      // What came live meanwhile goes onto the rows landed, in order (version-guarded: a newer cell the load read is kept).
      patchRows(store, liveChanges(store.get(), meanwhile));
    },
    [store],
  );

  /**
   * Load only what the held rows lack (reuse.ts), if anything, and join it with them as they are when
   * the answer lands (live updates included). False when they do not fit together: the caller loads everything.
   */
  const landReused = useCallback(
    async (ticket: number, reuse: Exclude<Reuse, null>, at: Where, years: number[], mode: Mode): Promise<boolean> => {
      // Shown in part, the rows still hold what they held (every column, the targets): the grid shows the years'.
      if (reuse === 'narrow') {
        const { columns, rows, held, expanded } = store.get();
        land(ticket, [{ columns, rows: narrowRows(rows, years) }], expanded, { ...held!, rowsFor: years });
        return true;
      }
      const scenario: Mode = reuse === 'targets' ? 'target' : reuse === 'actuals' ? 'actual' : mode;
      const fresh = await fetchRows(at, years, scenario, reuse === 'list' ? [] : reuse === 'targets' ? TARGETED : null);
      if (ticket !== ticketRef.current) return true;
      const { columns, rows, held, expanded } = store.get();
      const cut = cutColumns(columns, years);
      if (reuse === 'actuals' && !sameColumns(cut.columns, fresh.columns)) return false;
      const joined = joinRows(reuse, rows, reuse === 'targets' ? alignedTo(cut.columns, fresh) : fresh.rows, cut.at);
      if (!joined) return false;
      if (reuse === 'list') land(ticket, [{ columns, rows: joined }], expanded, { ...held!, rowsFor: years });
      else land(ticket, [{ columns: cut.columns, rows: joined }], expanded, { mode, years, rowsFor: years });
      return true;
    },
    [store, land],
  );

  /**
   * Load every row shown under `expanded` for the current mode and years. Without a new `expanded`
   * (the mode or years changed), what the rows hold is reused where it can be (reuse.ts).
   */
  const reload = useCallback(
    async (next?: Set<string>) => {
      const ticket = ++ticketRef.current;
      const { mode: m, range: r, rows, held, expanded } = store.get();
      const years = yearsOf(r);
      const at = whereShown(next ?? expanded, rows);
      const reuse = next ? null : reuseOf(held, m, years);
      store.set({ loading: true });
      try {
        if (reuse && (await landReused(ticket, reuse, at, years, m))) return;
        land(ticket, [await fetchRows(at, years, m)], next ?? expanded, { mode: m, years, rowsFor: years });
      } catch (e) {
        if (ticket !== ticketRef.current) return;
        store.set({ loading: false, loadFailed: e instanceof Error ? e.message : String(e), liveDuringLoad: [] });
        onError(e);
      }
    },
    [store, land, landReused, onError],
  );

  useEffect(() => {
    void reload();
  }, [mode, range.from, range.to, reload]);

  const toggle = useCallback(
    async (code: string) => {
      const { expanded, rows, range: r, mode: m, held } = store.get();
      const next = new Set(expanded);
      if (next.has(code)) {
        next.delete(code);
        return store.set({ expanded: next });
      }
      next.add(code);
      const childrenLoaded = [...rows.values()].some((row) => row.parentCode === code);
      if (!rows.get(code)?.hasChildren || childrenLoaded) return store.set({ expanded: next });
      // Counted while in flight: the figures that come live meanwhile are kept for the children (patch.ts).
      store.set((s) => ({ fetching: s.fetching + 1 }));
      let part: Loaded;
      try {
        // The children's cells line up with the held rows': the years and scenarios those were loaded for;
        // the children shown are those of the years the rows are for.
        part = await fetchRows({ root: code, depth: 1, expanded: null }, held?.years ?? yearsOf(r), held?.mode ?? m);
      } catch (e) {
        fetched(store);
        return onError(e);
      }
      if (sameColumns(part.columns, store.get().columns)) return landChildren(store, narrowRows(new Map(part.rows.map((row) => [row.unionCode, row])), held?.rowsFor ?? yearsOf(r)), code);
      fetched(store);
      await reload(new Set([...store.get().expanded, code]));
    },
    [store, reload, onError],
  );

  /** Every union down to the direct superior level, in one request. */
  const expandAll = useCallback(async () => {
    const ticket = ++ticketRef.current;
    const { mode: m, range: r } = store.get();
    store.set({ loading: true });
    try {
      const years = yearsOf(r);
      const part = await fetchRows({ root: 'TLD', depth: 2, expanded: null }, years, m);
      land(ticket, [part], new Set(part.rows.filter((row) => row.hasChildren && row.level < 2).map((row) => row.unionCode)), { mode: m, years, rowsFor: years });
    } catch (e) {
      if (ticket === ticketRef.current) store.set({ loading: false, loadFailed: e instanceof Error ? e.message : String(e), liveDuringLoad: [] });
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
