/**
 * Figure cells read one string per union instead of one row per cell: node-sqlite3 building a JS
 * object per row and column costs several times what the database spends on the query, and
 * splitting strings is cheap. The one place that writes the cells as text in SQL and reads them back.
 */
import type { Knex } from '@mikro-orm/knex';
import type { FigureStatus, Scenario } from '@unionhub/schema';
import { groupConcat, numberText, timeText, type Db } from './db.js';

/** A cell as packed: the fields a read asks for (see FIELDS). */
export interface PackedCell {
  indicatorId: number;
  year: number;
  scenario: Scenario;
  value: number | null;
  status: FigureStatus;
  version: number;
  /** As the driver gives it (epoch ms text or timestamptz text): `isoTime` reads both. */
  approvedAt: string | null;
  approvedBy: string | null;
  /** A correction is pending beside the approved value. */
  proposed: boolean;
}
type Field = keyof PackedCell;

/** How each field is written as text in SQL (over `figure as f`); null is written as '' (see `decode`). */
const FIELDS: { [K in Field]: (db: Db) => string } = {
  indicatorId: () => 'f.indicator_id',
  year: () => 'f.year',
  scenario: () => 'f.scenario',
  // Exact on both databases: a plain REAL-to-text on SQLite keeps 15 significant digits, a double needs 17.
  value: (db) => `coalesce(${numberText(db, 'f.value')}, '')`,
  status: () => 'f.status',
  version: () => 'f.version',
  approvedAt: (db) => `coalesce(${timeText(db, 'f.approved_at')}, '')`,
  approvedBy: () => "coalesce(f.approved_by, '')",
  proposed: () => "case when f.proposed_value is null then '' else '1' end",
};

/**
 * A cell's texts back to values; `at` is each field's position (-1: not read, left undefined).
 * Every cell gets the same shape, spelled out: hundreds of thousands of cells at national scale.
 */
function decode(p: string[], at: Record<Field, number>): PackedCell {
  const value = at.value < 0 ? undefined : p[at.value];
  return {
    indicatorId: at.indicatorId < 0 ? undefined : Number(p[at.indicatorId]),
    year: at.year < 0 ? undefined : Number(p[at.year]),
    scenario: at.scenario < 0 ? undefined : p[at.scenario],
    value: value === undefined ? undefined : value === '' ? null : Number(value),
    status: at.status < 0 ? undefined : p[at.status],
    version: at.version < 0 ? undefined : Number(p[at.version]),
    approvedAt: at.approvedAt < 0 ? undefined : p[at.approvedAt] || null,
    approvedBy: at.approvedBy < 0 ? undefined : p[at.approvedBy] || null,
    proposed: at.proposed < 0 ? undefined : p[at.proposed] === '1',
  } as PackedCell;
}

/** Separators (ASCII record and unit separators): never in a code, a status or a username. */
const RS = '\u001e';
const FS = '\u001f';

export interface PackedRead<K extends Field, S extends string> {
  fields: readonly K[];
  /** Only cells meeting this SQL condition are packed; `sums` still see every row read. */
  only?: string;
  /** The cells' order inside a union (SQL over `f`); unspecified without it. */
  orderBy?: string;
  /** Per-union sums of SQL expressions over the rows read (e.g. cells not approved yet). */
  sums?: Record<S, string>;
}

export interface PackedUnion<K extends Field, S extends string> {
  /** Visit the union's cells in order, each decoded as it is reached (not kept: 400 k at national scale). */
  each(visit: (cell: Pick<PackedCell, K>) => void): void;
  sums: Record<S, number>;
}

/**
 * The cells of `from` (a filtered `figure as f` query) grouped by union: union id → its cells and
 * its sums. A union with rows but no cell passing `only` has no cells.
 */
export async function packedCellsByUnion<K extends Field, S extends string = never>(
  db: Db,
  from: Knex.QueryBuilder,
  read: PackedRead<K, S>,
): Promise<Map<number, PackedUnion<K, S>>> {
  const text = read.fields.map((f) => FIELDS[f](db)).join(` || '${FS}' || `);
  const packed = groupConcat(db, read.only ? `case when ${read.only} then ${text} end` : text, RS, read.orderBy);
  const sumNames = Object.keys(read.sums ?? {}) as S[];
  const rows: Record<string, unknown>[] = await from
    .select('f.union_id as u', db.raw(`${packed} as c`), ...sumNames.map((name, i) => db.raw(`sum(${read.sums![name]}) as s${i}`)))
    .groupBy('f.union_id');
  const at = Object.fromEntries(Object.keys(FIELDS).map((f) => [f, read.fields.indexOf(f as K)])) as Record<Field, number>;
  const out = new Map<number, PackedUnion<K, S>>();
  for (const row of rows) {
    const packedText = (row.c as string | null) ?? '';
    const sums = {} as Record<S, number>;
    sumNames.forEach((name, i) => (sums[name] = Number(row[`s${i}`] ?? 0)));
    out.set(Number(row.u), {
      sums,
      each(visit) {
        if (packedText) for (const cell of packedText.split(RS)) visit(decode(cell.split(FS), at));
      },
    });
  }
  return out;
}
