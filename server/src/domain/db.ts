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

/** An aggregate joining a text expression's values with `separator` (a literal without quotes). */
export function groupConcat(db: Db, expr: string, separator: string): string {
  return `${dialectOf(db) === 'postgresql' ? 'string_agg' : 'group_concat'}(${expr}, '${separator}')`;
}

/**
 * A float column as text that reads back as the same double (to pack it into a string): SQLite's
 * plain text form keeps 15 digits, 17 always round-trip; PostgreSQL's text form is already exact.
 */
export function numberText(db: Db, column: string): string {
  return dialectOf(db) === 'postgresql' ? `cast(${column} as text)` : `printf('%!.17g', ${column})`;
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

/** A union is in a year's tree when the year lies in its validity. */
export function validIn(q: Knex.QueryBuilder, years: { from: number; to: number }, alias = 'u'): Knex.QueryBuilder {
  return q
    .where(`${alias}.valid_from`, '<=', years.to)
    .andWhere((w) => w.whereNull(`${alias}.valid_to`).orWhere(`${alias}.valid_to`, '>=', years.from));
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
