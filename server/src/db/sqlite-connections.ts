/**
 * What every SQLite connection of the server is set up with. Several connections write to the
 * file (the main one and the writer thread's, db/writer-thread.ts) and several read it, so each
 * waits for a lock instead of failing at once, and a transaction takes the write lock when it
 * begins: a transaction begun deferred that read and then meets another connection's commit
 * cannot write at all (SQLITE_BUSY_SNAPSHOT, which no waiting cures).
 */
import { knex, SqliteKnexDialect, type Knex } from '@mikro-orm/knex';
import { SETTINGS } from '../config.js';

type Done = (this: { lastID?: number; changes?: number } | undefined, e: Error | null, rows?: unknown) => void;

interface Sqlite3Statement {
  all(params: unknown[], cb: Done): void;
  run(params: unknown[], cb: Done): void;
  finalize(cb?: () => void): void;
}

interface Sqlite3Connection {
  exec(sql: string, cb: (e: Error | null) => void): void;
  prepare(sql: string, cb: (e: Error | null) => void): Sqlite3Statement;
  all(sql: string, params: unknown[], cb: Done): void;
  run(sql: string, params: unknown[], cb: Done): void;
  close(cb: (e: Error | null) => void): void;
}

/** knex's pool option that runs `pragmas` (with the server's busy timeout) on each new connection; `keep` keeps its statements. */
export function sqlitePool(pragmas = '', keep = false) {
  return {
    afterCreate: (conn: Sqlite3Connection, done: (e: Error | null, c: unknown) => void) =>
      conn.exec(`pragma busy_timeout = ${SETTINGS.SQLITE_BUSY_TIMEOUT_MS}; ${pragmas}`, (e) => {
        if (keep) keepStatements(conn);
        done(e, conn);
      }),
  };
}

/** Statements kept per connection, by text; the least recently used is finalized past this. */
const KEPT_STATEMENTS = 256;

/**
 * The connection's statements, prepared once and kept by their text. node-sqlite3 prepares each
 * statement as one job on libuv's pool and runs it as another; a kept one runs in one job, and
 * skips parsing. A text seen for the first time runs as before while its copy is prepared; a
 * statement that fails is dropped. Each call gets its own `lastID` and `changes` (knex reads them
 * from the callback's `this`, which is otherwise the shared statement).
 */
function keepStatements(conn: Sqlite3Connection): void {
  type Kept = { statement: Sqlite3Statement; ready: boolean };
  const kept = new Map<string, Kept>();
  // Only while still kept: an evicted entry was finalized then, and a newer one may hold its text.
  const drop = (sql: string, k: Kept) => {
    if (kept.get(sql) !== k) return;
    kept.delete(sql);
    k.statement.finalize();
  };
  const call = (method: 'all' | 'run') => {
    const direct = conn[method].bind(conn);
    return (sql: string, params: unknown[], cb: Done) => {
      const k = kept.get(sql);
      if (!k) {
        const entry: Kept = { statement: conn.prepare(sql, (e) => (e ? drop(sql, entry) : (entry.ready = true))), ready: false };
        kept.set(sql, entry);
        const [oldest, old] = kept.entries().next().value!;
        if (kept.size > KEPT_STATEMENTS) drop(oldest, old);
      } else {
        kept.delete(sql); // most recently used last
        kept.set(sql, k);
      }
      if (!k?.ready) return direct(sql, params, cb);
      k.statement[method](params ?? [], function (e, rows) {
        if (e) drop(sql, k);
        cb.call({ lastID: this?.lastID, changes: this?.changes }, e, rows);
      });
    };
  };
  conn.all = call('all');
  conn.run = call('run');
  // node-sqlite3 refuses to close a connection with statements not finalized.
  const close = conn.close.bind(conn);
  conn.close = (cb) => {
    const statements = [...kept.values()].map((k) => k.statement);
    kept.clear();
    let left = statements.length;
    if (left === 0) return close(cb);
    for (const st of statements) st.finalize(() => --left === 0 && close(cb));
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
    pool: { min: 1, max: 1, ...sqlitePool('pragma foreign_keys = on; pragma synchronous = normal', true) },
  } as Knex.Config);
  beginImmediately(db);
  return db;
}
