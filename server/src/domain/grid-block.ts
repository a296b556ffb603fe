/**
 * A grid's cells in typed blocks, row after row (`width` cells each): readGrid fills them in place,
 * a grid worker moves their buffers to the main thread (no copy), and each row's lists and its
 * packed `cells` are read from them when a query asks. A national sheet is ~320,000 cells: five JS
 * arrays per row and a status string built letter by letter were most of its read's garbage.
 */
import { NO_STATUS, NUMBER_TEXT_MAX, STATUS_LETTERS, writeNumbersText, unpackProposals, unpackStatuses, type FigureStatus, type PackedGridCells } from '@unionhub/schema';
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
  /** The asked years in which the union exists. */
  validYears: number[];
  /** The asked years in which it has children to show (`hasChildren` for any part of them). */
  childYears: number[];
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

/** A row's numbers as GridCells carries them. */
export interface RowTexts {
  values: string;
  versions: string;
}

/** Every row's numbers as GridCells carries them, in one buffer: row r's values end at `ends[2r]`, its versions at `ends[2r + 1]`. */
export interface BlockTexts {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/** The texts of every row of a block, written as bytes (a national sheet's in ~30 ms, ~1.7 MB). */
export function blockTexts(block: GridBlock, rows: number): BlockTexts {
  const rowMax = 2 * block.width * NUMBER_TEXT_MAX;
  // Most numbers are a few digits: start at 4 bytes a number and grow when a row might not fit.
  let bytes = new Uint8Array(rows * block.width * 8 + rowMax);
  const ends = new Uint32Array(rows * 2);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    if (bytes.length - at < rowMax) {
      const grown = new Uint8Array(bytes.length * 2 + rowMax);
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
    const [from, to] = [r * block.width, (r + 1) * block.width];
    ends[2 * r] = at = writeNumbersText(bytes, at, block.values, from, to);
    ends[2 * r + 1] = at = writeNumbersText(bytes, at, block.versions, from, to);
  }
  return { bytes: bytes.subarray(0, at), ends };
}

/** Row r's texts out of `blockTexts`. */
export function textsAt({ bytes, ends }: BlockTexts, r: number): RowTexts {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const [from, middle, to] = [r === 0 ? 0 : ends[2 * r - 1]!, ends[2 * r]!, ends[2 * r + 1]!];
  return { values: text.toString('latin1', from, middle), versions: text.toString('latin1', middle, to) };
}

/** The buffers a worker moves with the block. */
export const blockBuffers = (b: GridBlock): ArrayBuffer[] => [b.values, b.versions, b.statuses, b.proposals, b.stale].map((a) => a.buffer as ArrayBuffer);

/** One row of a block: its lists built when asked (each at most once), its letters cut from the block as they are. */
export class GridRow implements GridHead {
  readonly union: UnionRow;
  readonly hasChildren: boolean;
  readonly validYears: number[];
  readonly childYears: number[];
  readonly readable: boolean;
  readonly approvedOnly: boolean;
  private cache: { values?: (number | null)[]; versions?: number[]; statuses?: (FigureStatus | null)[]; proposals?: boolean[]; stale?: boolean[] } = {};

  constructor(
    private readonly block: GridBlock,
    head: GridHead,
    private readonly r: number,
    private readonly written: () => BlockTexts,
  ) {
    ({ union: this.union, hasChildren: this.hasChildren, validYears: this.validYears, childYears: this.childYears, readable: this.readable, approvedOnly: this.approvedOnly } = head);
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
    return { ...textsAt(this.written(), this.r), statuses: this.letters(this.block.statuses), proposals: this.letters(this.block.proposals) };
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

/** Rows over a block, with their numbers' texts as a worker wrote them, or written here once a row's `cells` is asked. */
export function rowsOf(block: GridBlock, heads: GridHead[], texts?: BlockTexts): GridRow[] {
  let written = texts;
  const textsOf = () => (written ??= blockTexts(block, heads.length));
  return heads.map((h, r) => new GridRow(block, h, r, textsOf));
}
