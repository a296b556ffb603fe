/**
 * Readers beside the writer (issue 17). SQLite in WAL mode lets any number of connections read while
 * one writes, but MikroORM keeps one connection, so a national grid read queued every write behind
 * it. The read-heavy paths (grid, exports, report, progress) take `readsOf(db)`: on SQLite a pool of
 * read-only connections to the same file, opened with the writer and closed with it; on PostgreSQL
 * (whose pool already reads beside writes) and for an in-memory file, the writer itself.
 * A reader sees what was committed when its statement began — every write is committed before it is answered.
 */
import { knex, SqliteKnexDialect, type Knex } from '@mikro-orm/knex';
import { sqlitePool } from './sqlite-connections.js';

const READERS = new WeakMap<Knex, Knex>();

/** Where a read-only path reads: the readers registered for this writer, else the writer. */
export function readsOf(db: Knex): Knex {
  return READERS.get(db) ?? db;
}

/** A pool of `size` read-only connections to a SQLite file. */
export function openReaderPool(filename: string, size: number): Knex {
  return knex({
    client: SqliteKnexDialect as unknown as Knex.Config['client'],
    connection: { filename },
    useNullAsDefault: true,
    // query_only: a reader can never write, whatever path reaches it; the busy timeout rides over a checkpoint.
    pool: { min: 0, max: size, ...sqlitePool('pragma query_only = 1') },
  } as Knex.Config);
}

/** Open `size` read-only connections to the SQLite file behind `writer`; none for `:memory:` or size 0. */
export function openReaders(writer: Knex, filename: string, size: number): Knex | null {
  if (size <= 0 || filename === ':memory:' || filename === '') return null;
  const readers = openReaderPool(filename, size);
  READERS.set(writer, readers);
  return readers;
}

export async function closeReaders(writer: Knex): Promise<void> {
  const readers = READERS.get(writer);
  READERS.delete(writer);
  await readers?.destroy();
}
