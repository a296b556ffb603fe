/**
 * The sheet's form of a grid's rows (`Grid.table`): one plain object per row, and the same rows
 * already written as JSON, which a grid worker does so that the main thread, which serves the
 * writes, only passes the bytes on (grid-workers.ts, graphql/raw-json.ts).
 */
import type { GridTableRow } from '@unionhub/schema';
import type { GridRow } from './grid-block.js';

/** The parent's code, from the union's path (null for the root of the hierarchy). */
export const parentCodeOf = (r: GridRow): string | null => r.union.path.split('/').filter(Boolean).at(-2) ?? null;

export function tableRow(r: GridRow): GridTableRow {
  const { union, hasChildren, validYears, childYears, readable, approvedOnly } = r;
  return { unionCode: union.code, name: union.name, level: union.level, parentCode: parentCodeOf(r), hasChildren, validYears, childYears, readable, approvedOnly, cells: r.cells };
}

/** The rows as `Grid.table` answers them, as UTF-8 JSON in a buffer of its own (it can be moved to another thread). */
export function tableJson(rows: GridRow[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(rows.map(tableRow)));
}
