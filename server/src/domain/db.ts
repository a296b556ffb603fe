/** Small helpers shared by the domain modules' SQL. */
import type { Knex } from '@mikro-orm/knex';

export type Db = Knex;

/** Datetimes come back as epoch ms from SQLite and as Date from PostgreSQL. */
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

const indicatorIdCache = new WeakMap<Db, Promise<Map<string, number>>>();

/** Indicator code → row id. The catalogue is mirrored at start-up and does not change while serving. */
export function indicatorIds(db: Db): Promise<Map<string, number>> {
  let ids = indicatorIdCache.get(db);
  if (!ids) {
    ids = db('indicator')
      .select('id', 'code')
      .then((rows: { id: number; code: string }[]) => new Map(rows.map((r) => [r.code, r.id])));
    indicatorIdCache.set(db, ids);
  }
  return ids;
}
