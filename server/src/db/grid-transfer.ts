/**
 * A grid as it crosses from a grid worker to the main thread. Structured cloning a national sheet's
 * per-row arrays (~320,000 cells) cost the main thread more than the read saved it; the cells are
 * already in typed blocks (grid-block.ts), whose buffers are moved, not copied, and the rows on the
 * other side read from them. The numbers' texts of `GridRow.cells` are written here too, so the main
 * thread, which serves the writes, passes them on as they are.
 */
import { blockBuffers, blockTexts, rowsOf, type BlockTexts, type GridBlock, type GridHead } from '../domain/grid-block.js';
import type { Grid, GridColumn } from '../domain/grid.js';

/** The grid as posted. */
export interface GridTransfer {
  columns: GridColumn[];
  heads: GridHead[];
  block: GridBlock;
  /** Each row's numbers as GridCells carries them, written here rather than on the main thread. */
  texts: BlockTexts;
}

/** In the worker: the grid as one message, and the buffers to move with it. */
export function toTransfer({ columns, heads, block }: Grid): { message: GridTransfer; transfer: ArrayBuffer[] } {
  const texts = blockTexts(block, heads.length);
  return { message: { columns, heads, block, texts }, transfer: [...blockBuffers(block), texts.bytes.buffer as ArrayBuffer, texts.ends.buffer as ArrayBuffer] };
}

/** On the main thread: the grid back, its rows reading from the moved block. */
export function fromTransfer(t: GridTransfer): Grid {
  return { columns: t.columns, heads: t.heads, block: t.block, rows: rowsOf(t.block, t.heads, t.texts) };
}
