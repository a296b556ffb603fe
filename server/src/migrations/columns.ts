/**
 * Column types that differ between SQLite and PostgreSQL, for migrations built with knex's schema
 * builder (`t.specificType(name, types.double)`). Everything else (`t.increments`, `t.text`,
 * `t.integer`, `t.smallint`, `t.datetime`, indexes, foreign keys) knex already writes for each.
 */
import type { Knex } from '@mikro-orm/knex';

export function columnTypes(knex: Knex) {
  const pg = (knex.client as { dialect?: string }).dialect === 'postgresql';
  return {
    /** An 8-byte float. (knex's `t.double` declares `float` in SQLite; the first migrations said `double`.) */
    double: pg ? 'double precision' : 'double',
    /** SQLite has no boolean type: 0/1 in an integer column. */
    boolean: pg ? 'boolean' : 'integer',
    /** Text compared byte by byte, as SQLite does: the union paths' prefix ranges rely on it. */
    bytewiseText: pg ? 'text collate "C"' : 'text',
  };
}

/** Queue every statement of a knex schema builder in a migration, one by one. */
export function queue(migration: { addSql(sql: string): void }, builder: Knex.SchemaBuilder): void {
  for (const q of builder.toSQL()) migration.addSql(q.sql);
}
