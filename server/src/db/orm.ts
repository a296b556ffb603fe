import { MikroORM, type Options } from '@mikro-orm/core';
import { SqliteConnection, SqlitePlatform, type EntityManager } from '@mikro-orm/sqlite';
import { AbstractSqlDriver, PostgreSqlConnection, PostgreSqlPlatform } from '@mikro-orm/postgresql';
import type { Configuration } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { databaseTarget, ensureParentDir, SETTINGS, type DatabaseTarget } from '../config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from '../migrations/index.js';
import { syncCatalogue } from './catalogue.js';
import { DomainError } from '../domain/errors.js';
import { closeGridWorkers, openGridWorkers } from './grid-workers.js';
import { closeReaders, openReaders } from './readers.js';
import { beginImmediately, sqlitePool } from './sqlite-connections.js';
import { closeWriterThread, openWriterThread } from './writer-thread.js';

export type Orm = MikroORM;

/**
 * PostgreSQL returns bigint (count(*), sums of integers) and numeric as strings; SQLite returns
 * numbers. Parse both as numbers so the domain code reads the same values from either database.
 * Datetimes stay strings as MikroORM's own PostgreSQL connection sets them (`isoTime` reads both).
 */
class PgConnection extends PostgreSqlConnection {
  override createKnex() {
    super.createKnex();
    // PostgreSQL text cannot hold U+0000 (SQLite's can): refuse such input as bad input, not a fault.
    const client = (this.client as unknown as { client: { _query(c: unknown, q: unknown): Promise<unknown> } }).client;
    const query = client._query.bind(client);
    client._query = (c, q) =>
      query(c, q).catch((e: { code?: string }) => {
        throw e?.code === '22021' ? new DomainError('VALIDATION', 'Text may not contain the NUL character (U+0000)') : e;
      });
  }

  override getConnectionOptions() {
    const options = super.getConnectionOptions();
    const types = (options as unknown as { types: { setTypeParser(oid: number, parse: (s: string) => unknown): void } }).types;
    for (const oid of [20, 1700]) types.setTypeParser(oid, Number); // int8, numeric
    return options;
  }
}

/** MikroORM's PostgreSqlDriver with the connection above. */
class PgDriver extends AbstractSqlDriver<PgConnection> {
  constructor(config: Configuration) {
    super(config, new PostgreSqlPlatform(), PgConnection, ['knex', 'pg']);
  }
}

/** MikroORM's SQLite connection with read-only connections and grid workers beside it (readers.ts, grid-workers.ts), closed with it. */
class SqliteWithReaders extends SqliteConnection {
  override createKnex() {
    super.createKnex();
    openReaders(this.client, this.config.get('dbName') ?? '', SETTINGS.SQLITE_READERS);
    openGridWorkers(this.client, this.config.get('dbName') ?? '', SETTINGS.SQLITE_GRID_WORKERS, SETTINGS.SQLITE_GRID_WORKER_NICE, SETTINGS.SQLITE_GRID_READ_SHARE);
  }

  override async close(force?: boolean) {
    await closeWriterThread(this.client);
    await closeGridWorkers(this.client);
    await closeReaders(this.client);
    await super.close(force);
  }
}

class SqliteDriver extends AbstractSqlDriver<SqliteWithReaders> {
  constructor(config: Configuration) {
    super(config, new SqlitePlatform(), SqliteWithReaders, ['knex', 'sqlite3']);
  }
}

const COMMON: Options = {
  entities: ENTITIES,
  extensions: [Migrator],
  migrations: { migrationsList: MIGRATIONS, path: 'server/src/migrations', transactional: true, snapshot: false, silent: true },
  debug: false,
  allowGlobalContext: false,
};

export function ormOptions(target: DatabaseTarget): Options {
  if (target.kind === 'postgresql') {
    return {
      ...COMMON,
      driver: PgDriver,
      clientUrl: target.location,
      // Requests of one instance run side by side; several instances share the server's connections.
      pool: { min: 0, max: SETTINGS.DATABASE_POOL_SIZE },
    } as Options;
  }
  ensureParentDir(target.location);
  return { ...COMMON, driver: SqliteDriver, dbName: target.location, pool: sqlitePool() } as Options;
}

/** Open the database, bring its schema up to date and mirror the indicator catalogue. */
export async function openDatabase(target: DatabaseTarget = databaseTarget()): Promise<Orm> {
  const orm = await MikroORM.init(ormOptions(target));
  const conn = orm.em.getConnection();
  if (target.kind === 'sqlite') {
    // WAL lets readers run beside the single writer; NORMAL is durable at checkpoints, which WAL makes safe.
    await conn.execute('pragma journal_mode = wal');
    await conn.execute('pragma synchronous = normal');
    await conn.execute('pragma foreign_keys = on');
    // The server's connection (not a tool's, withDb, whose readers must not take the lock): its
    // transactions take the write lock when they begin, as the writer thread's, to which figure writes
    // go — each first taking its turn from the thread's groups (WriterThread.hold).
    const thread = SETTINGS.SQLITE_WRITER_THREAD ? openWriterThread(knexOf(orm), target.location) : null;
    beginImmediately(knexOf(orm), thread ? () => thread.hold() : undefined);
  }
  await orm.getMigrator().up();
  await syncCatalogue(knexOf(orm));
  return orm;
}

/** The query builder the domain modules use, on the ORM's own connection. */
export function knexOf(orm: Orm): Knex {
  return (orm.em as EntityManager).getKnex();
}
