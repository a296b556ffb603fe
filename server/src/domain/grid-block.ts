/**
 * A grid's cells in typed blocks, row after row (`width` cells each): readGrid fills them in place,
 * a grid worker moves their buffers to the main thread (no copy), and each row's lists and its
 * packed `cells` are read from them when a query asks. A national sheet is ~320,000 cells: five JS
 * arrays per row and a status string built letter by letter were most of its read's garbage.
 */
import { NO_STATUS, numbersText, STATUS_LETTERS, unpackProposals, unpackStatuses, type FigureStatus, type PackedGridCells } from '@unionhub/schema';
import type { UnionRow } from './unions.js';

export interface GridBlock {
  width: number;
  /** NaN where no value is held (or the caller may not see it). */
  values: Float64Array;
  /** 0 where the cell does not exist yet. */
  versions: Float64Array;
  /** As GridCells has them, one byte per cell: a status letter (STATUS_LETTERS) or NO_STATUS; '1'/'0' for the flags. */
  statuses: Uint8Array;
  proposals: Uint8Array;
  stale: Uint8Array;
}

/** What a row says beside its cells. */
export interface GridHead {
  union: UnionRow;
  /** Children would be shown if it were expanded. */
  hasChildren: boolean;
  /** The caller may read the union's figures (approved ones only when `approvedOnly`); else the row is only on the way down. */
  readable: boolean;
  approvedOnly: boolean;
}

const [NO, YES] = ['0'.charCodeAt(0), '1'.charCodeAt(0)];
export const STATUS_BYTE = Object.fromEntries(Object.entries(STATUS_LETTERS).map(([s, l]) => [s, l.charCodeAt(0)])) as Record<FigureStatus, number>;
/** A flag as its byte in the block. */
export const flagByte = (on: boolean): number => (on ? YES : NO);

/** An empty block: no value, no status, version 0, no flag. */
export function emptyBlock(rows: number, width: number): GridBlock {
  const size = rows * width;
  return {
    width,
    values: new Float64Array(size).fill(NaN),
    versions: new Float64Array(size),
    statuses: new Uint8Array(size).fill(NO_STATUS.charCodeAt(0)),
    proposals: new Uint8Array(size).fill(NO),
    stale: new Uint8Array(size).fill(NO),
  };
}

/** A row's numbers as GridCells carries them (written in the grid worker, off the main thread). */
export interface RowTexts {
  values: string;
  versions: string;
}

export function rowTexts(block: GridBlock, r: number): RowTexts {
  const [from, to] = [r * block.width, (r + 1) * block.width];
  return { values: numbersText(block.values.subarray(from, to)), versions: numbersText(block.versions.subarray(from, to)) };
}

/** The buffers a worker moves with the block. */
export const blockBuffers = (b: GridBlock): ArrayBuffer[] => [b.values, b.versions, b.statuses, b.proposals, b.stale].map((a) => a.buffer as ArrayBuffer);

/** One row of a block: its lists built when asked (each at most once), its letters cut from the block as they are. */
export class GridRow implements GridHead {
  readonly union: UnionRow;
  readonly hasChildren: boolean;
  readonly readable: boolean;
  readonly approvedOnly: boolean;
  private cache: { values?: (number | null)[]; versions?: number[]; statuses?: (FigureStatus | null)[]; proposals?: boolean[]; stale?: boolean[] } = {};

  constructor(
    private readonly block: GridBlock,
    head: GridHead,
    private readonly r: number,
    private texts?: RowTexts,
  ) {
    ({ union: this.union, hasChildren: this.hasChildren, readable: this.readable, approvedOnly: this.approvedOnly } = head);
  }

  get values(): (number | null)[] {
    return (this.cache.values ??= this.numbers(this.block.values, true));
  }

  get versions(): number[] {
    return (this.cache.versions ??= this.numbers(this.block.versions, false) as number[]);
  }

  get statuses(): (FigureStatus | null)[] {
    return (this.cache.statuses ??= unpackStatuses({ statuses: this.letters(this.block.statuses) }));
  }

  /** A correction is pending on the cell (never shown to who reads approved figures only). */
  get proposals(): boolean[] {
    return (this.cache.proposals ??= unpackProposals({ proposals: this.letters(this.block.proposals) }));
  }

  /** A FORECAST cell whose approved actuals changed since it was computed (false in other columns). */
  get stale(): boolean[] {
    return (this.cache.stale ??= Array.from(this.letters(this.block.stale), (x) => x === '1'));
  }

  /** The four lists in one value, as `GridRow.cells` answers them. */
  get cells(): PackedGridCells {
    this.texts ??= rowTexts(this.block, this.r);
    return { ...this.texts, statuses: this.letters(this.block.statuses), proposals: this.letters(this.block.proposals) };
  }

  /** The row's part of a block as a plain array (a loop: Array.from with a callback cost twice as much). */
  private numbers(block: Float64Array, nullable: boolean): (number | null)[] {
    const { width } = this.block;
    const out = new Array<number | null>(width);
    for (let c = 0, at = this.r * width; c < width; c++, at++) {
      const v = block[at]!;
      out[c] = nullable && v !== v ? null : v; // v !== v: NaN, an empty cell
    }
    return out;
  }

  private letters(bytes: Uint8Array): string {
    const at = this.r * this.block.width;
    return Buffer.from(bytes.buffer, bytes.byteOffset + at, this.block.width).toString('latin1');
  }
}

/** Rows over a block (with their numbers' texts when a worker wrote them). */
export const rowsOf = (block: GridBlock, heads: GridHead[], texts?: RowTexts[]): GridRow[] => heads.map((h, r) => new GridRow(block, h, r, texts?.[r]));
