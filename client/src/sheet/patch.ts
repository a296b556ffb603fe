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
