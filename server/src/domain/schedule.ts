/**
 * Scheduled work runs on one instance at a time. `runExclusive` takes, on PostgreSQL, a session
 * advisory lock (`pg_try_advisory_lock`) on one pooled connection, held while the work runs and
 * released after; an instance that does not get it skips this turn. SQLite's file has one server
 * process, so an in-process guard is enough there (it also keeps one process's ticks from overlapping
 * on PostgreSQL). The ticker runs the registered jobs in turn, each under its lock; a job's failure is
 * logged and never reaches anything else.
 */
import type { Knex } from '@mikro-orm/knex';
import { dialectOf, type Db } from './db.js';

const running = new Map<unknown, Set<string>>();

/**
 * What the in-process guard is scoped by: SQLite's file (its one process), and on PostgreSQL the
 * pool's config — another pool, as another instance, is kept out by the advisory lock alone.
 */
function scopeOf(db: Db): unknown {
  if (dialectOf(db) === 'postgresql') return db.client.config;
  const c = (db.client.config as { connection?: { filename?: string } }).connection;
  return c?.filename ?? db.client.config;
}

export type Exclusive<T> = { ran: true; value: T } | { ran: false };

export async function runExclusive<T>(db: Db, name: string, fn: () => Promise<T>): Promise<Exclusive<T>> {
  const scope = scopeOf(db);
  const here = running.get(scope) ?? running.set(scope, new Set<string>()).get(scope)!;
  if (here.has(name)) return { ran: false };
  here.add(name);
  try {
    if (dialectOf(db) !== 'postgresql') return { ran: true, value: await fn() };
    return await underAdvisoryLock(db, name, fn);
  } finally {
    here.delete(name);
  }
}

async function underAdvisoryLock<T>(db: Db, name: string, fn: () => Promise<T>): Promise<Exclusive<T>> {
  const key = `unionhub:${name}`;
  // One connection holds the session lock and releases it: a pooled query could land on another.
  const connection = (await db.client.acquireConnection()) as unknown;
  const on = (sql: string) => (db.raw(sql, [key]) as Knex.Raw).connection(connection as never);
  try {
    const got = await on('select pg_try_advisory_lock(hashtext(?)) as locked');
    const locked = (got as unknown as { rows: { locked: boolean }[] }).rows[0]?.locked;
    if (!locked) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await on('select pg_advisory_unlock(hashtext(?))');
    }
  } finally {
    await db.client.releaseConnection(connection);
  }
}

export interface Job {
  name: string;
  run(): Promise<unknown>;
}

export interface Scheduler {
  /** Add a job to every tick (the lead's reminders; the mail drain). */
  register(name: string, run: () => Promise<unknown>): void;
  /** Run every job once now (each under its lock); what ran. */
  tick(): Promise<string[]>;
  start(): void;
  /** Stop ticking and wait for a tick under way. */
  stop(): Promise<void>;
}

export function createScheduler(db: Db, intervalMs: number, log: (message: string, error: unknown) => void = (m, e) => console.error(m, e)): Scheduler {
  const jobs: Job[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  let current: Promise<string[]> | null = null;
  const tick = (): Promise<string[]> => {
    // A tick still running (a slow SMTP server) is not doubled.
    if (current) return current;
    current = (async () => {
      const ran: string[] = [];
      for (const job of jobs) {
        try {
          if ((await runExclusive(db, job.name, job.run)).ran) ran.push(job.name);
        } catch (e) {
          log(`scheduled job "${job.name}" failed`, e);
        }
      }
      return ran;
    })().finally(() => {
      current = null;
    });
    return current;
  };
  return {
    register: (name, run) => void jobs.push({ name, run }),
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await current;
    },
  };
}
