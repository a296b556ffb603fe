/**
 * Figure cells read one string per union instead of one row per cell: node-sqlite3 building a JS
 * object per row and column costs several times what the database spends on the query, and
 * splitting strings is cheap. The one place that writes the cells as text in SQL and reads them back.
 */
import type { Knex } from '@mikro-orm/knex';
import { FIGURE_STATUSES, SCENARIOS, type FigureStatus, type Scenario } from '@unionhub/schema';
import { groupConcat, numberText, rawRows, timeText, type Db } from './db.js';

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

/**
 * The fields that identify and qualify a cell travel as one integer: one integer's text per cell
 * instead of five texts and their separators halves the SQL's string building, and the decoder
 * reads digits without slicing. Fixed bit places (`at`, `bits`), so decoding is a few masks; a part
 * the read does not ask for is left out of the sum in SQL and reads as 0 (the read's type hides it).
 */
type KeyField = 'indicatorId' | 'year' | 'scenario' | 'status' | 'proposed';
/** Each part's bit place and its SQL over the figure row `r` (`f` in a read, `new`/`old` in figure_pack's triggers). */
const KEY_PARTS: Record<KeyField, { at: number; code: (r: string) => string }> = {
  proposed: { at: 0, code: (r) => `case when ${r}.proposed_value is null then 0 else 1 end` },
  status: { at: 1, code: (r) => caseOf(`${r}.status`, FIGURE_STATUSES) }, // 2 bits
  scenario: { at: 3, code: (r) => caseOf(`${r}.scenario`, SCENARIOS) }, // 1 bit
  // Years are validated to a few decades around 2000 (schema's YEARS): 12 bits leave room for any.
  year: { at: 4, code: (r) => `${r}.year` },
  // Above bit 16: the ids are the catalogue's rows, so the key stays far below 2^53.
  indicatorId: { at: 16, code: (r) => `cast(${r}.indicator_id as bigint)` },
};

/** `column`'s place in `values` as a whole number in SQL. */
function caseOf(column: string, values: readonly string[]): string {
  return `case ${column} ${values.map((v, i) => `when '${v}' then ${i}`).join(' ')} end`;
}

/** The key of the asked key fields in SQL, parenthesised (SQLite's || binds tighter than + and *). */
function keyCode(fields: KeyField[], r: string): string {
  return `(${fields.map((f) => `${KEY_PARTS[f].code(r)} * ${2 ** KEY_PARTS[f].at}`).join(' + ')})`;
}

/** The key segment into the cell. `& mask` is exact however large the key: it keeps the low 32 bits. */
function setKey(cell: PackedCell, text: string, from: number, to: number): void {
  const key = numberAt(text, from, to);
  const low = key & 0xffff;
  cell.proposed = (low & 1) === 1;
  cell.status = FIGURE_STATUSES[(low >> 1) & 3]!;
  cell.scenario = SCENARIOS[(low >> 3) & 1]!;
  cell.year = low >> 4;
  cell.indicatorId = (key - low) / 0x10000;
}

/** The other fields, each as its own text (over the figure row `r`); null is written as '' (see SETTERS). */
type TextField = Exclude<Field, KeyField>;
const TEXT_FIELDS: { [K in TextField]: (db: Db, r: string) => string } = {
  // Exact on both databases: a plain REAL-to-text on SQLite keeps 15 significant digits, a double needs 17.
  value: (db, r) => `coalesce(${numberText(db, `${r}.value`)}, '')`,
  version: (_, r) => `${r}.version`,
  approvedAt: (db, r) => `coalesce(${timeText(db, `${r}.approved_at`)}, '')`,
  approvedBy: (_, r) => `coalesce(${r}.approved_by, '')`,
};

/** One field's text (between `from` and `to` of the packed string) into the cell. */
type Setter = (cell: PackedCell, text: string, from: number, to: number) => void;

const SETTERS: { [K in TextField]: Setter } = {
  value: (c, t, a, b) => (c.value = a === b ? null : numberAt(t, a, b)),
  version: (c, t, a, b) => (c.version = numberAt(t, a, b)),
  approvedAt: (c, t, a, b) => (c.approvedAt = a === b ? null : t.slice(a, b)),
  approvedBy: (c, t, a, b) => (c.approvedBy = a === b ? null : t.slice(a, b)),
};

/** A number's text between `from` and `to`: whole ones (nearly every count) read without a substring. */
function numberAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number(text.slice(from, to));
    n = n * 10 + digit;
  }
  return n;
}


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

/** Which of `fields` travel in the key and which as texts, in the order a packed cell has them. */
function layout<K extends Field>(fields: readonly K[]) {
  const keyFields = fields.filter((f): f is K & KeyField => f in KEY_PARTS);
  const textFields = fields.filter((f): f is K & TextField => f in TEXT_FIELDS);
  const setters = [...(keyFields.length ? [setKey] : []), ...textFields.map((f) => SETTERS[f])];
  return { keyFields, textFields, setters };
}

/** One cell's packed text in SQL, over the figure row `r`. */
export function cellText(db: Db, fields: readonly Field[], r = 'f'): string {
  const { keyFields, textFields } = layout(fields);
  const segments = [...(keyFields.length ? [keyCode(keyFields, r)] : []), ...textFields.map((f) => TEXT_FIELDS[f](db, r))];
  return segments.join(` || '${FS}' || `);
}

/**
 * The cells of `from` (a filtered `figure as f` query) grouped by union: union id → its cells and
 * its sums. A union with rows but no cell passing `only` has no cells. Several queries over
 * disjoint sets of unions are sent as one statement (`union all`), each planned on its own; an empty
 * list reads nothing.
 */
export async function packedCellsByUnion<K extends Field, S extends string = never>(
  db: Db,
  from: Knex.QueryBuilder | readonly Knex.QueryBuilder[],
  read: PackedRead<K, S>,
): Promise<Map<number, PackedUnion<K, S>>> {
  const text = cellText(db, read.fields);
  const packed = groupConcat(db, read.only ? `case when ${read.only} then ${text} end` : text, RS, read.orderBy);
  const sumNames = Object.keys(read.sums ?? {}) as S[];
  const [first, ...rest] = (Array.isArray(from) ? from : [from]).map((q: Knex.QueryBuilder) =>
    q.select('f.union_id as u', db.raw(`${packed} as c`), ...sumNames.map((name, i) => db.raw(`sum(${read.sums![name]}) as s${i}`))).groupBy('f.union_id'),
  );
  if (!first) return new Map();
  // Joined as text: knex would put the first select's `group by` after the `union all`.
  const parts = [first, ...rest].map((q) => q.toSQL());
  const rows: Record<string, unknown>[] = rest.length
    ? await rawRows(db, parts.map((p) => p.sql).join(' union all '), parts.flatMap((p) => p.bindings))
    : await first;
  return decodeRows(rows, read.fields, sumNames);
}

/**
 * The fields `figure_pack` keeps for each cell: what the grid reads. Its triggers (db/figure-pack.ts)
 * write each cell as `cellText(db, KEPT_FIELDS, 'new')`: changing these fields or the key's layout
 * needs a migration that rebuilds the table.
 */
export const KEPT_FIELDS = ['indicatorId', 'year', 'scenario', 'value', 'status', 'version', 'proposed'] as const;
export type KeptField = (typeof KEPT_FIELDS)[number];

/**
 * The cells of `from` (a filtered `figure_pack as p` query) grouped by union, as `packedCellsByUnion`
 * gives them: the table keeps each union's cells packed per scenario and year, so a read joins a few
 * thousand texts instead of packing hundreds of thousands of rows.
 */
export async function keptCellsByUnion(db: Db, from: Knex.QueryBuilder): Promise<Map<number, PackedUnion<KeptField, never>>> {
  const rows: Record<string, unknown>[] = await from.select('p.union_id as u', db.raw(`${groupConcat(db, 'p.cells', RS)} as c`)).groupBy('p.union_id');
  return decodeRows(rows, KEPT_FIELDS, []);
}

/** `{ u, c, s0… }` rows of packed text into each union's cells and sums. */
function decodeRows<K extends Field, S extends string>(rows: Record<string, unknown>[], fields: readonly K[], sumNames: S[]): Map<number, PackedUnion<K, S>> {
  const { setters } = layout(fields);
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

/** Between two cells of a packed text (figure_pack's triggers join and cut cells with it). */
export const CELL_SEPARATOR = RS;
