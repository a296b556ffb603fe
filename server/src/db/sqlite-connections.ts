/**
 * What every SQLite connection of the server is set up with. Several connections write to the
 * file (the main one and the writer thread's, db/writer-thread.ts) and several read it, so each
 * waits for a lock instead of failing at once, and a transaction takes the write lock when it
 * begins: a transaction begun deferred that read and then meets another connection's commit
 * cannot write at all (SQLITE_BUSY_SNAPSHOT, which no waiting cures).
 */
import { knex, SqliteKnexDialect, type Knex } from '@mikro-orm/knex';
import { SETTINGS } from '../config.js';

interface Sqlite3Connection {
  exec(sql: string, cb: (e: Error | null) => void): void;
}

/** knex's pool option that runs `pragmas` (with the server's busy timeout) on each new connection. */
export function sqlitePool(pragmas = '') {
  return {
    afterCreate: (conn: Sqlite3Connection, done: (e: Error | null, c: unknown) => void) =>
      conn.exec(`pragma busy_timeout = ${SETTINGS.SQLITE_BUSY_TIMEOUT_MS}; ${pragmas}`, (e) => done(e, conn)),
  };
}

interface TransactionLike {
  begin(conn: unknown): Promise<unknown>;
  commit(...args: unknown[]): Promise<unknown>;
  rollback(...args: unknown[]): Promise<unknown>;
  query(conn: unknown, sql: string): Promise<unknown>;
}

/** A statement that writes rows. */
const WRITES = /^\s*(insert|update|delete|replace)\b/i;

/** Waits for this connection's turn to write (the writer thread's `hold`), resolving with how to give it back. */
export type TakeTurn = () => Promise<() => void>;

/**
 * This knex's transactions begin with `BEGIN IMMEDIATE` (knex sends a deferred `BEGIN`): they
 * queue for the write lock, waiting up to the busy timeout, rather than fail when they first write.
 * With `turn`, each first waits for its turn and gives it back when it commits or rolls back, and
 * so does a write outside a transaction (a session's insert at sign-in, a token's last use): left
 * to the busy handler, which polls, a sign-in waited up to ~0.6 s behind 20 writers' groups.
 * Nested transactions (savepoints) are knex's own.
 */
export function beginImmediately(db: Knex, turn?: TakeTurn): void {
  const client = db.client as { transaction(...args: unknown[]): TransactionLike; query(conn: unknown, q: string | { sql: string }): Promise<unknown> };
  if (turn) {
    // Only statements outside a transaction come here: a transaction's client is built from the
    // prototype (knex's makeTxClient), not from this instance.
    const query = client.query.bind(client);
    client.query = async (conn, q) => {
      if (!WRITES.test(typeof q === 'string' ? q : q.sql)) return query(conn, q);
      const giveBack = await turn();
      try {
        return await query(conn, q);
      } finally {
        giveBack();
      }
    };
  }
  const make = client.transaction.bind(client);
  client.transaction = (...args: unknown[]) => {
    const trx = make(...args);
    let giveBack = () => {};
    const ended = <T>(p: Promise<T>) => p.finally(() => giveBack());
    const { commit, rollback } = trx;
    trx.commit = (...a) => ended(commit.apply(trx, a));
    trx.rollback = (...a) => ended(rollback.apply(trx, a));
    // knex calls begin once a connection is acquired, always after this returns.
    trx.begin = async (conn) => {
      if (turn) giveBack = await turn();
      try {
        return await trx.query(conn, 'BEGIN IMMEDIATE;');
      } catch (e) {
        giveBack();
        throw e;
      }
    };
    return trx;
  };
}

/** A connection to the SQLite file that writes, set up as the main one (db/orm.ts): the writer thread's. */
export function openWritingConnection(filename: string): Knex {
  const db = knex({
    client: SqliteKnexDialect as unknown as Knex.Config['client'],
    connection: { filename },
    useNullAsDefault: true,
    // foreign_keys and synchronous are per connection: as the main connection's.
    pool: { min: 1, max: 1, ...sqlitePool('pragma foreign_keys = on; pragma synchronous = normal') },
  } as Knex.Config);
  beginImmediately(db);
  return db;
}
