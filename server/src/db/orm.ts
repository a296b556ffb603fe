import { MikroORM, type Options } from '@mikro-orm/core';
import { SqliteDriver, type EntityManager } from '@mikro-orm/sqlite';
import type { Knex } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { databaseTarget, ensureParentDir, type DatabaseTarget } from '../config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from '../migrations/index.js';
import { syncCatalogue } from './catalogue.js';

export type Orm = MikroORM;

export function ormOptions(target: DatabaseTarget): Options {
  if (target.kind === 'postgresql') {
    throw new Error('PostgreSQL is not wired in yet: set DATABASE_URL to a SQLite file.');
  }
  ensureParentDir(target.location);
  return {
    driver: SqliteDriver,
    dbName: target.location,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, path: 'server/src/migrations', transactional: true, snapshot: false, silent: true },
    debug: false,
    allowGlobalContext: false,
  };
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
  }
  await orm.getMigrator().up();
  await syncCatalogue(orm.em.fork());
  return orm;
}

/** The query builder the domain modules use, on the ORM's own connection. */
export function knexOf(orm: Orm): Knex {
  return (orm.em as EntityManager).getKnex();
}
