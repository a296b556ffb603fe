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

/** How each field is written as text in SQL (over `figure as f`); null is written as '' (see SETTERS). */
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

/** One field's text (between `from` and `to` of the packed string) into the cell. */
type Setter = (cell: PackedCell, text: string, from: number, to: number) => void;

const SETTERS: { [K in Field]: Setter } = {
  indicatorId: (c, t, a, b) => (c.indicatorId = Number(t.slice(a, b))),
  year: (c, t, a, b) => (c.year = Number(t.slice(a, b))),
  scenario: (c, t, a, b) => (c.scenario = t.slice(a, b) as Scenario),
  value: (c, t, a, b) => (c.value = a === b ? null : Number(t.slice(a, b))),
  status: (c, t, a, b) => (c.status = t.slice(a, b) as FigureStatus),
  version: (c, t, a, b) => (c.version = Number(t.slice(a, b))),
  approvedAt: (c, t, a, b) => (c.approvedAt = a === b ? null : t.slice(a, b)),
  approvedBy: (c, t, a, b) => (c.approvedBy = a === b ? null : t.slice(a, b)),
  proposed: (c, t, a, b) => (c.proposed = b - a === 1 && t.charCodeAt(a) === 49),
};

/** A cell with every field present (the unread ones undefined), so each visit sees one shape. */
const blankCell = (): PackedCell => ({
  indicatorId: undefined, year: undefined, scenario: undefined, value: undefined, status: undefined,
  version: undefined, approvedAt: undefined, approvedBy: undefined, proposed: undefined,
}) as unknown as PackedCell;

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
  /** Visit the union's cells in order, each decoded as it is reached into one reused object: read it, don't keep it. */
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
  const setters = read.fields.map((f) => SETTERS[f]);
  const out = new Map<number, PackedUnion<K, S>>();
  for (const row of rows) {
    const packedText = (row.c as string | null) ?? '';
    const sums = {} as Record<S, number>;
    sumNames.forEach((name, i) => (sums[name] = Number(row[`s${i}`] ?? 0)));
    out.set(Number(row.u), {
      sums,
      // One cell object per union, refilled for each cell, and the text scanned in place: the national
      // sheet visits ~600,000 cells, and an array of parts plus an object per cell were most of its garbage.
      each(visit) {
        if (!packedText) return;
        const cell = blankCell();
        const end = packedText.length;
        let at = 0;
        while (at <= end) {
          for (let i = 0; i < setters.length; i++) {
            let stop = packedText.indexOf(i === setters.length - 1 ? RS : FS, at);
            if (stop < 0) stop = end;
            setters[i]!(cell, packedText, at, stop);
            at = stop + 1;
          }
          visit(cell);
        }
      },
    });
  }
  return out;
}
