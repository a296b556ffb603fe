/**
 * A grid as it crosses from a grid worker to the main thread. Structured cloning a national sheet's
 * arrays (five per row, ~320,000 cells) cost the main thread more than the read saved it; here every
 * cell's number travels in one typed array (moved, not copied) and each row's letters in one string.
 * The rows on the other side read from that block: the sheet's `cells` are cut from it as they are
 * (no re-packing), and the four lists are built only if a query asks for them.
 */
import { packGridCells, unpackProposals, unpackStatuses, type FigureStatus, type PackedGridCells } from '@unionhub/schema';
import type { Grid, GridColumn, GridRow } from '../domain/grid.js';
import type { UnionRow } from '../domain/unions.js';

/** The grid as posted: `values` and `versions` row after row (`width` each), NaN for an empty value. */
export interface GridTransfer {
  columns: GridColumn[];
  heads: { union: UnionRow; hasChildren: boolean; readable: boolean; approvedOnly: boolean }[];
  width: number;
  values: Float64Array;
  versions: Float64Array;
  /** Per row: the status letters, the proposal flags and the stale flags (`width` letters each), as GridCells has them. */
  statuses: string[];
  proposals: string[];
  stale: string[];
}

/** In the worker: the grid as one message, and the buffers to move with it. */
export function toTransfer(grid: Grid): { message: GridTransfer; transfer: ArrayBuffer[] } {
  const width = grid.columns.length;
  const values = new Float64Array(grid.rows.length * width);
  const versions = new Float64Array(grid.rows.length * width);
  grid.rows.forEach((row, r) => {
    const at = r * width;
    for (let c = 0; c < width; c++) {
      values[at + c] = row.values[c] ?? NaN;
      versions[at + c] = row.versions[c]!;
    }
  });
  const message: GridTransfer = {
    columns: grid.columns,
    heads: grid.rows.map(({ union, hasChildren, readable, approvedOnly }) => ({ union, hasChildren, readable, approvedOnly })),
    width,
    values,
    versions,
    ...lettersOf(grid.rows),
  };
  return { message, transfer: [values.buffer as ArrayBuffer, versions.buffer as ArrayBuffer] };
}

function lettersOf(rows: GridRow[]): Pick<GridTransfer, 'statuses' | 'proposals' | 'stale'> {
  const packed = rows.map((row) => packGridCells(row));
  return {
    statuses: packed.map((p) => p.statuses),
    proposals: packed.map((p) => p.proposals),
    stale: rows.map((row) => row.stale.map((s) => (s ? '1' : '0')).join('')),
  };
}

/** A row of a transferred grid: its lists are read from the block when asked (each at most once). */
class TransferredRow implements GridRow {
  readonly union: UnionRow;
  readonly hasChildren: boolean;
  readonly readable: boolean;
  readonly approvedOnly: boolean;
  private cache: Partial<Pick<GridRow, 'values' | 'versions' | 'statuses' | 'proposals' | 'stale'>> = {};

  constructor(
    private readonly t: GridTransfer,
    private readonly r: number,
  ) {
    ({ union: this.union, hasChildren: this.hasChildren, readable: this.readable, approvedOnly: this.approvedOnly } = t.heads[r]!);
  }

  get values(): (number | null)[] {
    return (this.cache.values ??= this.numbers(this.t.values, true));
  }

  get versions(): number[] {
    return (this.cache.versions ??= this.numbers(this.t.versions, false) as number[]);
  }

  /** The row's part of a block as a plain array (a loop: Array.from with a callback cost twice as much). */
  private numbers(block: Float64Array, nullable: boolean): (number | null)[] {
    const { width } = this.t;
    const out = new Array<number | null>(width);
    for (let c = 0, at = this.r * width; c < width; c++, at++) {
      const v = block[at]!;
      out[c] = nullable && v !== v ? null : v; // v !== v: NaN, an empty cell
    }
    return out;
  }

  get statuses(): (FigureStatus | null)[] {
    return (this.cache.statuses ??= unpackStatuses({ statuses: this.t.statuses[this.r]! }));
  }

  get proposals(): boolean[] {
    return (this.cache.proposals ??= unpackProposals({ proposals: this.t.proposals[this.r]! }));
  }

  get stale(): boolean[] {
    return (this.cache.stale ??= Array.from(this.t.stale[this.r]!, (x) => x === '1'));
  }

  get packedCells(): PackedGridCells {
    return { values: this.values, versions: this.versions, statuses: this.t.statuses[this.r]!, proposals: this.t.proposals[this.r]! };
  }
}

/** On the main thread: the grid back, its rows reading from the moved block. */
export function fromTransfer(t: GridTransfer): Grid {
  return { columns: t.columns, rows: t.heads.map((_, r) => new TransferredRow(t, r)) };
}
