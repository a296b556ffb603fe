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
}
type Field = keyof PackedCell;

/** How each field is written as text in SQL (over `figure as f`) and read back. Null is written as ''. */
const FIELDS: { [K in Field]: { sql: (db: Db) => string; read: (text: string) => PackedCell[K] } } = {
  indicatorId: { sql: () => 'f.indicator_id', read: Number },
  year: { sql: () => 'f.year', read: Number },
  scenario: { sql: () => 'f.scenario', read: (t) => t as Scenario },
  // Exact on both databases: a plain REAL-to-text on SQLite keeps 15 significant digits, a double needs 17.
  value: { sql: (db) => `coalesce(${numberText(db, 'f.value')}, '')`, read: (t) => (t === '' ? null : Number(t)) },
  status: { sql: () => 'f.status', read: (t) => t as FigureStatus },
  version: { sql: () => 'f.version', read: Number },
  approvedAt: { sql: (db) => `coalesce(${timeText(db, 'f.approved_at')}, '')`, read: (t) => t || null },
  approvedBy: { sql: () => "coalesce(f.approved_by, '')", read: (t) => t || null },
};

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
  cells: Pick<PackedCell, K>[];
  sums: Record<S, number>;
}

/**
 * The cells of `from` (a filtered `figure as f` query) grouped by union: union id → its cells,
 * decoded, and its sums. A union with rows but no cell passing `only` has an empty list.
 */
export async function packedCellsByUnion<K extends Field, S extends string = never>(
  db: Db,
  from: Knex.QueryBuilder,
  read: PackedRead<K, S>,
): Promise<Map<number, PackedUnion<K, S>>> {
  const text = read.fields.map((f) => FIELDS[f].sql(db)).join(` || '${FS}' || `);
  const packed = groupConcat(db, read.only ? `case when ${read.only} then ${text} end` : text, RS, read.orderBy);
  const sumNames = Object.keys(read.sums ?? {}) as S[];
  const rows: Record<string, unknown>[] = await from
    .select('f.union_id as u', db.raw(`${packed} as c`), ...sumNames.map((name, i) => db.raw(`sum(${read.sums![name]}) as s${i}`)))
    .groupBy('f.union_id');
  const decoders = read.fields.map((f) => [f, FIELDS[f].read] as const);
  const out = new Map<number, PackedUnion<K, S>>();
  for (const row of rows) {
    const cells: Pick<PackedCell, K>[] = [];
    if (row.c) {
      for (const cell of (row.c as string).split(RS)) {
        const parts = cell.split(FS);
        const decoded = {} as Record<Field, unknown>;
        for (let j = 0; j < decoders.length; j++) decoded[decoders[j]![0]] = decoders[j]![1](parts[j]!);
        cells.push(decoded as Pick<PackedCell, K>);
      }
    }
    const sums = {} as Record<S, number>;
    sumNames.forEach((name, i) => (sums[name] = Number(row[`s${i}`] ?? 0)));
    out.set(Number(row.u), { cells, sums });
  }
  return out;
}
