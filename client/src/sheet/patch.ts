/** Changes to cells of loaded rows, applied to the store at once (the next queued write reads its versions there). */
import type { SheetStore } from './store.ts';
import { cellKey, type LiveFigure, type Row, type SheetState, type Status } from './types.ts';

export interface CellChange {
  unionCode: string;
  col: number;
  value: number | null;
  status?: Status;
  version?: number;
  /** A correction is (still) pending beside the approved value. */
  proposal?: boolean;
  /** The target scenario's value (% achieved), not the shown one. */
  target?: boolean;
}

export function patchRows(store: SheetStore, changes: CellChange[]): void {
  if (changes.length === 0) return;
  store.set((s) => {
    const rows = new Map(s.rows);
    for (const c of changes) {
      const old = rows.get(c.unionCode);
      if (!old || c.col < 0) continue;
      if (c.target) {
        if (!old.targets) continue;
        const targets = [...old.targets];
        targets[c.col] = c.value;
        rows.set(c.unionCode, { ...old, targets });
        continue;
      }
      // A write's answer can land after a colleague's newer version came live: never go back to an older one.
      if (c.version !== undefined && old.versions[c.col]! > c.version) continue;
      const r: Row = { ...old, values: [...old.values], statuses: [...old.statuses], versions: [...old.versions], proposals: c.proposal === undefined ? old.proposals : [...old.proposals] };
      r.values[c.col] = c.value;
      if (c.status !== undefined) r.statuses[c.col] = c.status;
      if (c.version !== undefined) r.versions[c.col] = c.version;
      if (c.proposal !== undefined) r.proposals[c.col] = c.proposal;
      rows.set(r.unionCode, r);
    }
    return { rows };
  });
}

/**
 * What live figures change in the rows held: read against the mode the rows were loaded for (their
 * values are that mode's scenario, with the targets beside them for % achieved), not the mode asked
 * since — until its load lands, the rows still hold the old one. `key` names a shown cell (for its flash).
 */
export function liveChanges(state: Pick<SheetState, 'rows' | 'columns' | 'held'>, figures: LiveFigure[]): (CellChange & { key: string })[] {
  const mode = state.held?.mode;
  if (!mode) return [];
  const shown = mode === 'target' ? 'TARGET' : 'ACTUAL';
  return figures.flatMap((f): (CellChange & { key: string })[] => {
    const col = state.columns.findIndex((c) => c.indicatorCode === f.indicatorCode && c.year === f.year);
    const row = state.rows.get(f.unionCode);
    if (col < 0 || !row) return [];
    if (f.scenario === shown && row.versions[col]! < f.version) {
      return [{ unionCode: f.unionCode, col, value: f.value, status: f.status as Status, version: f.version, proposal: !row.approvedOnly && f.proposedValue !== null, key: cellKey(f.unionCode, f.indicatorCode, f.year) }];
    }
    if (mode === 'achieved' && f.scenario === 'TARGET') return [{ unionCode: f.unionCode, col, value: f.value, target: true, key: '' }];
    return [];
  });
}

/** A children's fetch ended: the figures kept for it go once no load or other fetch still needs them. */
export function fetched(store: SheetStore): void {
  store.set((s) => ({ fetching: s.fetching - 1, liveDuringLoad: s.loading || s.fetching > 1 ? s.liveDuringLoad : [] }));
}

/**
 * The children fetched by opening `code` go in beside the rows held, then the figures that came live
 * meanwhile go onto them in order (the fetch may have read their cells before those were written;
 * version-guarded, so a newer cell the fetch read is kept).
 */
export function landChildren(store: SheetStore, children: Row[], code: string): void {
  const meanwhile = store.get().liveDuringLoad;
  store.set((s) => {
    const rows = new Map(s.rows);
    for (const row of children) rows.set(row.unionCode, row);
    return { rows, expanded: new Set([...s.expanded, code]) };
  });
  fetched(store);
  patchRows(store, liveChanges(store.get(), meanwhile));
}
