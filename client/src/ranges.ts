/**
 * Cell ranges for a grid that has none of its own (AG Grid's are Enterprise): rectangles over
 * displayed row and column indices, as Excel selects with the mouse, Shift+arrows and Ctrl+click.
 */
export interface Range {
  r1: number;
  r2: number;
  c1: number;
  c2: number;
}

export interface Point {
  row: number;
  col: number;
}

export const rangeOf = (a: Point, b: Point): Range => ({
  r1: Math.min(a.row, b.row),
  r2: Math.max(a.row, b.row),
  c1: Math.min(a.col, b.col),
  c2: Math.max(a.col, b.col),
});

export const contains = (ranges: Range[], row: number, col: number): boolean =>
  ranges.some((r) => row >= r.r1 && row <= r.r2 && col >= r.c1 && col <= r.c2);

/** Every cell of the ranges, once, row by row. */
export function cellsOf(ranges: Range[]): Point[] {
  const seen = new Set<string>();
  const out: Point[] = [];
  for (const r of ranges) {
    for (let row = r.r1; row <= r.r2; row++) {
      for (let col = r.c1; col <= r.c2; col++) {
        const k = `${row}|${col}`;
        if (!seen.has(k)) {
          seen.add(k);
          out.push({ row, col });
        }
      }
    }
  }
  return out;
}

/** Tab-separated text of one range, as Excel puts on the clipboard. */
export function toTsv(range: Range, text: (row: number, col: number) => string): string {
  const lines: string[] = [];
  for (let row = range.r1; row <= range.r2; row++) {
    const cells: string[] = [];
    for (let col = range.c1; col <= range.c2; col++) cells.push(text(row, col));
    lines.push(cells.join('\t'));
  }
  return `${lines.join('\r\n')}\r\n`;
}
