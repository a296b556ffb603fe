/**
 * A grid row's cells in one value (`GridRow.cells`), for reads of a whole country: one value per row
 * instead of four lists of ~450 items spares the server's GraphQL execution a step per item, and a
 * letter per status spares ~10 bytes per cell on the wire. The numbers travel as text written where
 * the grid is read (a grid worker), so the server's main thread, which also serves the writes, does
 * not turn ~640,000 numbers into text for each national sheet. Both sides pack and unpack through here.
 */
import type { FigureStatus } from './periods.js';

export interface PackedGridCells {
  /**
   * Parallel to `Grid.columns`, each number followed by a comma (as JavaScript writes it: the
   * shortest text that reads back as the same double); nothing before the comma where no value is
   * held (or the caller may not see it).
   */
  values: string;
  /** The same way; 0 where the cell does not exist yet. */
  versions: string;
  /** One letter per column: `STATUS_LETTERS`, or a space where there is no cell. */
  statuses: string;
  /** One letter per column: '1' where a correction is pending beside the approved value, else '0'. */
  proposals: string;
}

/**
 * A grid's rows in one value (`Grid.table`), for the sheet's reads of a whole country: the fields of
 * `GridRow` the sheet shows, each row a plain object. One value per answer rather than ten fields per
 * row spares the server's GraphQL execution ~14,000 field resolutions for a national sheet, on the main
 * thread that also serves the writes (~15 % of that thread's time per such read, measured).
 */
export interface GridTableRow extends GridRowHead {
  cells: PackedGridCells;
}

/** What a grid row says of its union beside its cells (the sheet's rows carry it too). */
export interface GridRowHead {
  unionCode: string;
  name: string;
  level: number;
  parentCode: string | null;
  /** Children would be shown if it were expanded. */
  hasChildren: boolean;
  /** The asked years in which the union exists, and those in which it has children to show (fewer years shown without a load). */
  validYears: number[];
  childYears: number[];
  /** Whether the caller may read the row's figures (a row it cannot read is only the path to one it can). */
  readable: boolean;
  /** The caller reads approved figures only here (a viewer). */
  approvedOnly: boolean;
}

/** Keys of a table row as a response counts them (its ten and the four of its cells): the cost estimate's weight of a row. */
export const GRID_TABLE_ROW_FIELDS = 14;

export const STATUS_LETTERS: Record<FigureStatus, string> = { draft: 'd', submitted: 's', approved: 'a' };
export const NO_STATUS = ' ';
const STATUS_OF_LETTER = new Map(Object.entries(STATUS_LETTERS).map(([status, letter]) => [letter, status as FigureStatus]));

export function packGridCells(row: { values: (number | null)[]; versions: number[]; statuses: (FigureStatus | null)[]; proposals: boolean[] }): PackedGridCells {
  let statuses = '';
  let proposals = '';
  for (let i = 0; i < row.statuses.length; i++) {
    const s = row.statuses[i];
    statuses += s ? STATUS_LETTERS[s] : NO_STATUS;
    proposals += row.proposals[i] ? '1' : '0';
  }
  return { values: numbersText(row.values), versions: numbersText(row.versions), statuses, proposals };
}

/** Numbers as `PackedGridCells` carries them: each followed by a comma, nothing for null. */
export function numbersText(numbers: ArrayLike<number | null>): string {
  let text = '';
  for (let i = 0; i < numbers.length; i++) {
    const n = numbers[i];
    text += n === null || n === undefined || Number.isNaN(n) ? ',' : `${n},`;
  }
  return text;
}

/** The longest text `writeNumbersText` writes for one number, its comma included ("-2.2250738585072014e-308,"). */
export const NUMBER_TEXT_MAX = 25;

/** Whole numbers below this are written digit by digit (exactly: their tenths stay far from the next whole). */
const WHOLE_DIGITS_BELOW = 1e15;

/**
 * `numbersText` of `numbers[from, to)` as ASCII bytes into `out` from `at`; returns where it ended
 * (`out` must have NUMBER_TEXT_MAX bytes per number left). Building the text by `+=` cost a national
 * sheet 150–300 ms, most of it garbage; whole numbers (nearly every cell) are written digit by digit,
 * anything else as JavaScript writes it.
 */
export function writeNumbersText(out: Uint8Array, at: number, numbers: ArrayLike<number | null>, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    let n = numbers[i];
    if (n !== null && n !== undefined && n === n) {
      if (Number.isInteger(n) && Math.abs(n) < WHOLE_DIGITS_BELOW) {
        if (n < 0) {
          out[at++] = 45; // '-'
          n = -n;
        }
        let digits = 1;
        for (let p = 10; p <= n; p *= 10) digits++;
        for (let k = at + digits - 1; k >= at; k--, n = Math.floor(n / 10)) out[k] = 48 + (n % 10);
        at += digits;
      } else {
        const text = String(n);
        for (let k = 0; k < text.length; k++) out[at++] = text.charCodeAt(k);
      }
    }
    out[at++] = 44; // ','
  }
  return at;
}

/** The values of a packed row, one per column (null where none is held). */
export const unpackValues = (packed: Pick<PackedGridCells, 'values'>): (number | null)[] => numbersOf(packed.values);

/** The versions of a packed row, one per column. */
export const unpackVersions = (packed: Pick<PackedGridCells, 'versions'>): number[] => numbersOf(packed.versions) as number[];

/**
 * `numbersText` read back: whole numbers (nearly every cell) from their digits as they are scanned,
 * anything else (a sign, a fraction, an exponent) by Number — a quarter faster than split and map
 * over a national sheet's ~640,000 numbers.
 */
function numbersOf(text: string): (number | null)[] {
  const out: (number | null)[] = [];
  const end = text.length;
  for (let i = 0; i < end; i++) {
    const from = i;
    let n = 0;
    let whole = true;
    for (let c = text.charCodeAt(i); c !== 44; c = text.charCodeAt(++i)) {
      if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
      else whole = false;
    }
    // Past 15 digits the running sum could round; Number reads those exactly.
    out.push(i === from ? null : whole && i - from <= 15 ? n : Number(text.slice(from, i)));
  }
  return out;
}

/** The statuses of a packed row, one per column (null where there is no cell). */
export function unpackStatuses(packed: Pick<PackedGridCells, 'statuses'>): (FigureStatus | null)[] {
  return Array.from(packed.statuses, (letter) => STATUS_OF_LETTER.get(letter) ?? null);
}

export const unpackProposals = (packed: Pick<PackedGridCells, 'proposals'>): boolean[] => Array.from(packed.proposals, (letter) => letter === '1');
