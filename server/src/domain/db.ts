/** Small helpers shared by the domain modules' SQL. */
import type { Knex } from '@mikro-orm/knex';

export type Db = Knex;

/**
 * The same code runs on SQLite and PostgreSQL. Where their SQL differs, branch on this (and keep
 * the branch here when it is more than one line).
 */
export type Dialect = 'sqlite' | 'postgresql';
export function dialectOf(db: Db): Dialect {
  return (db.client as { dialect?: string }).dialect === 'postgresql' ? 'postgresql' : 'sqlite';
}

/** Rows of a raw statement: knex gives SQLite's rows as an array and PostgreSQL's in `.rows`. */
export async function rawRows<T = Record<string, unknown>>(db: Db, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  const r = await db.raw(sql, bindings as Knex.RawBinding[]);
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}

/**
 * An aggregate joining a text expression's values with `separator` (a literal without quotes),
 * optionally in an order (SQLite 3.44+ and PostgreSQL take the same ORDER BY inside).
 */
export function groupConcat(db: Db, expr: string, separator: string, orderBy?: string): string {
  return `${dialectOf(db) === 'postgresql' ? 'string_agg' : 'group_concat'}(${expr}, '${separator}'${orderBy ? ` order by ${orderBy}` : ''})`;
}

/**
 * A float column as text that reads back as the same double (to pack it into a string), null
 * staying null: SQLite's plain text form keeps 15 digits and printf without "!" 16, 17 always
 * round-trip (and printf turns NULL into "0.0"); PostgreSQL's text form is exact (since v12).
 * (-0 reads back as 0.)
 */
export function numberText(db: Db, column: string): string {
  if (dialectOf(db) === 'postgresql') return `cast(${column} as text)`;
  // Whole numbers (nearly every count) tested first and given as the integer (text once concatenated):
  // exact, and a fraction of printf's cost. NULL fails the first test and must not reach printf.
  return `case when ${column} = cast(${column} as integer) and abs(${column}) < 9e15 then cast(${column} as integer) when ${column} is null then null else printf('%!.17g', ${column}) end`;
}

/** A datetime column as text inside SQL (to pack it into a string): epoch ms on SQLite, timestamptz text on PostgreSQL; `isoTime` reads both. */
export function timeText(db: Db, column: string): string {
  return dialectOf(db) === 'postgresql' ? `cast(${column} as text)` : column;
}

/** Datetimes come back as epoch ms from SQLite and as a timestamptz string from PostgreSQL. */
export function isoTime(v: unknown): string {
  return new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as number | Date)).toISOString();
}

/** Paths are "/TLD/P01/"; every descendant's path sorts inside [path, path with its last "/" → "0"). */
export function pathRange(path: string): [string, string] {
  return [path, `${path.slice(0, -1)}0`];
}

/**
 * A union is in a year's tree when the year lies in its validity: from `valid_from` to `valid_to`,
 * both included, `valid_to` null while it exists. `validIn` asks it in SQL for any year of a span
 * (the span [y, y] for one year, or a column: `db.ref('f.year')`); `existsIn` is the same rule on a loaded row.
 */
type YearBound = number | Knex.Ref<string, Record<string, string>>;
export function validIn(q: Knex.QueryBuilder, years: { from: YearBound; to: YearBound }, alias = 'u'): Knex.QueryBuilder {
  return q
    .where(`${alias}.valid_from`, '<=', years.to)
    .andWhere((w) => w.whereNull(`${alias}.valid_to`).orWhere(`${alias}.valid_to`, '>=', years.from));
}
export function existsIn(u: { validFrom: number; validTo: number | null }, year: number): boolean {
  return u.validFrom <= year && (u.validTo === null || u.validTo >= year);
}

/** The id of a row `insert(…).returning('id')` made: PostgreSQL answers `{ id }`, SQLite the bare id. */
export function insertedId(rows: readonly unknown[]): number {
  const row = rows[0];
  return Number(typeof row === 'object' && row !== null ? (row as { id: number }).id : row);
}

/**
 * Most rows one multi-row insert may carry: a bound parameter per column and row, under SQLite's
 * 32,766 and PostgreSQL's 65,535; knex writes SQLite's as one SELECT per row joined by UNION ALL,
 * and SQLite allows at most 500 of those.
 */
export function rowsPerInsert(db: Db, columns: number): number {
  return dialectOf(db) === 'postgresql' ? Math.floor(65_535 / columns) : Math.min(500, Math.floor(32_766 / columns));
}

/**
 * Statements sent together on one connection: the driver runs them back to back instead of waiting,
 * between each, for this thread to take an answer and send the next (under load each such wait cost
 * more than the statement). On SQLite they run in any order, so only statements that do not depend
 * on each other go together. All settle before the first failure (in the order given) is thrown: a
 * rollback must not overtake a write still in flight, which SQLite would then run outside the
 * transaction; on PostgreSQL the first failure is the cause, the later ones its aborted transaction.
 */
export async function together<T extends readonly unknown[]>(...statements: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(statements);
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/** An insert that meets a unique key: update the listed columns from the new row (an upsert) instead of failing. */
export interface OnConflict {
  target: readonly string[];
  merge: readonly string[];
}

/**
 * Insert `rows` in as few statements as the driver allows, written here as one `values` list per
 * statement: knex's builder wrapped every column of every row (and wrote SQLite's as one SELECT per
 * row), which was the largest part of a write group's time in knex. A column a row lacks is NULL
 * on SQLite and its DEFAULT on PostgreSQL, as knex's builder gives it. `after` runs after each
 * chunk with the `returning` columns of the rows it made.
 */
export async function insertChunked<T extends Record<string, unknown>>(
  db: Db,
  table: string,
  rows: readonly T[],
  opts: { onConflict?: OnConflict; returning?: readonly string[]; after?: (chunk: T[], returned: Record<string, unknown>[]) => Promise<void> | void } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const columns = new Set<string>();
  for (const r of rows) for (const k in r) columns.add(k);
  const names = [...columns];
  const missing = dialectOf(db) === 'postgresql' ? 'default' : 'null';
  const quoted = (c: string) => `"${c}"`;
  const conflict = opts.onConflict
    ? ` on conflict (${opts.onConflict.target.map(quoted).join(', ')}) do update set ${opts.onConflict.merge.map((c) => `${quoted(c)} = excluded.${quoted(c)}`).join(', ')}`
    : '';
  const size = rowsPerInsert(db, names.length);
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const bindings: unknown[] = [];
    const tuples = chunk.map((r) => {
      const parts = names.map((c) => {
        const v = r[c];
        if (v === undefined) return missing;
        bindings.push(v);
        return '?';
      });
      return `(${parts.join(', ')})`;
    });
    const returning = opts.returning ? ` returning ${opts.returning.map(quoted).join(', ')}` : '';
    const returned = await rawRows(db, `insert into ${quoted(table)} (${names.map(quoted).join(', ')}) values ${tuples.join(', ')}${conflict}${returning}`, bindings);
    await opts.after?.(chunk, returned);
  }
}

/** The SQL type a VALUES column is cast to on PostgreSQL, whose parameters are otherwise untyped text. */
export type ValuesType = 'integer' | 'bigint' | 'double precision' | 'text' | 'timestamptz';

/**
 * Rows as an SQL `values (…), (…)` list for a CTE or a join, each column cast on PostgreSQL (SQLite
 * takes the bound values as they are). Callers keep rows × columns under `rowsPerInsert`'s bound.
 */
export function valuesList(db: Db, types: readonly ValuesType[], rows: readonly (readonly unknown[])[]): { sql: string; bindings: unknown[] } {
  const pg = dialectOf(db) === 'postgresql';
  const row = `(${types.map((t) => (pg ? `cast(? as ${t})` : '?')).join(', ')})`;
  return { sql: `values ${rows.map(() => row).join(', ')}`, bindings: rows.flat() };
}

/**
 * What per-database caches are keyed on: the connection's config, which a transaction shares with
 * the knex it came from (keying on the knex object itself would miss inside every transaction).
 */
export function cacheKey(db: Db): object {
  return db.client.config as object;
}

const indicatorIdCache = new WeakMap<object, Promise<Map<string, number>>>();

/** Indicator code → row id. The catalogue is mirrored at start-up and does not change while serving. */
export function indicatorIds(db: Db): Promise<Map<string, number>> {
  let ids = indicatorIdCache.get(cacheKey(db));
  if (!ids) {
    ids = db('indicator')
      .select('id', 'code')
      .then((rows: { id: number; code: string }[]) => new Map(rows.map((r) => [r.code, r.id])));
    const key = cacheKey(db);
    indicatorIdCache.set(key, ids);
    ids.catch(() => indicatorIdCache.delete(key));
  }
  return ids;
}

/**
 * PostgreSQL breaks a deadlock by aborting one of the transactions (40P01): two instances writing
 * cells of the same unions' years in opposite orders can meet on figure_pack's rows. The aborted
 * one wrote nothing; it runs again, a few times.
 */
export async function againOnDeadlock<T>(run: () => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= tries || (e as { code?: unknown }).code !== '40P01') throw e;
    }
  }
}
