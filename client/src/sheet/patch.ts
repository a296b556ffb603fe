/** Changes to cells of loaded rows, applied to the store at once (the next queued write reads its versions there). */
import type { SheetStore } from './store.ts';
import type { Row, Status } from './types.ts';

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
