/** Environment, read once. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseTrustProxy } from './hardening/address.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface DatabaseTarget {
  kind: 'sqlite' | 'postgresql';
  /** File path for SQLite, connection URL for PostgreSQL. */
  location: string;
}

/** `DATABASE_URL`: a `postgres://` URL, `sqlite:path`, a bare file path, or unset (data/unionhub.sqlite). */
export function databaseTarget(url = process.env.DATABASE_URL): DatabaseTarget {
  if (!url) return { kind: 'sqlite', location: resolve(REPO_ROOT, 'data/unionhub.sqlite') };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgresql', location: url };
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  return { kind: 'sqlite', location: path === ':memory:' ? path : resolve(path) };
}

/** Where the database is, for logs: a PostgreSQL URL without its password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind !== 'postgresql') return target.location;
  const u = new URL(target.location);
  if (u.password) u.password = '***';
  return u.toString();
}

export function ensureParentDir(file: string): void {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
}

export const PORT = Number(process.env.PORT ?? 4000);
export const CLIENT_DIST = resolve(REPO_ROOT, 'client/dist');

const count = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

/**
 * Request limits and rate limiting, from the environment, checked once at start-up (a bad value
 * stops the server with the variable's name rather than running unguarded). README lists them.
 */
export const limitsSchema = z.object({
  MAX_QUERY_DEPTH: count(12),
  MAX_ALIASES: count(30),
  /** Estimated fields resolved: each field counts 1, a list multiplies what is below it by the most items it can return
   *  (its `limit`, from the variables too, or the bound declared next to the field: the hierarchy's fan-out, subtree sizes,
   *  the catalogue; hardening/cost.ts). The sheet's largest reads (5,000 discrepancies; approval progress to depth 2
   *  over 11 years) cost ~50,000 and ~80,000. */
  MAX_COMPLEXITY: count(100_000),
  /** Objects in one answer (items of lists of objects, counted as resolvers return them): past it the operation stops and
   *  its answer is a RESPONSE_TOO_LARGE refusal, never partial data. Stands behind the estimate. */
  MAX_RESULT_ITEMS: count(100_000),
  /** Representations in one `_entities` request (the hub's batched look-ups); more is refused with TOO_COMPLEX before any load. */
  MAX_ENTITY_REPRESENTATIONS: count(5_000),
  MAX_TOKENS: count(5_000),
  /** Operations in one batched (JSON array) request. */
  MAX_BATCH_OPERATIONS: count(10),
  /** Cells in one setFigures call or one cell selection. */
  MAX_CELLS_PER_WRITE: count(5_000),
  /** A GraphQL request body; refused with 413 before it is parsed. */
  MAX_BODY_BYTES: count(2 * 1024 * 1024),
  /** A written report section's editor document, as JSON bytes (issue 15); larger is VALIDATION. */
  MAX_SECTION_BYTES: count(200_000),
  /** An uploaded file (imports). */
  MAX_UPLOAD_BYTES: count(20 * 1024 * 1024),
  /** What an uploaded .xlsx may unpack to (the sum of its zip entries), checked before it is parsed (413 TOO_LARGE);
   *  the seeded country's export (109,564 approved cells) unpacks to 59 MB and takes ~270 MB more memory to read. */
  MAX_UPLOAD_INFLATED_BYTES: count(100 * 1024 * 1024),
  /** Parts (zip entries) of an uploaded .xlsx; an exported workbook has about a dozen. */
  MAX_UPLOAD_ENTRIES: count(1_000),
  /** Shared strings of an uploaded .xlsx (each a distinct text of the file: names, codes…). */
  MAX_UPLOAD_SHARED_STRINGS: count(500_000),
  /** Subscriptions (SSE streams) one user — or one address without credentials — holds open at once; the next is refused
   *  with 429 RATE_LIMITED until one closes (hardening/streams.ts). */
  MAX_STREAMS_PER_CALLER: count(10),
  /** Origins (scheme://host[:port], comma-separated) whose pages may call us with credentials; '' = same origin only. */
  CORS_ORIGINS: z.string().default('').transform((v, ctx) => {
    const origins = v.split(',').map((o) => o.trim()).filter(Boolean);
    for (const o of origins) {
      if (!/^https?:\/\/[^/?#\s]+$/.test(o) || new URL(o).origin !== o) ctx.addIssue({ code: 'custom', message: `"${o}" is not an origin such as https://stats.example` });
    }
    return origins;
  }),
  /** Time to receive a request's headers (a slowloris is cut off with 408). */
  HEADERS_TIMEOUT_SECONDS: count(20),
  /** Time to receive a whole request, body included (an upload of MAX_UPLOAD_BYTES needs ~1.4 Mbit/s); answers such as SSE
   *  streams and exports are not limited by it. Never below HEADERS_TIMEOUT_SECONDS. */
  REQUEST_TIMEOUT_SECONDS: count(120),
  /** An idle keep-alive connection is closed after this. */
  KEEP_ALIVE_TIMEOUT_SECONDS: count(5),
  /** How long a download ticket (`downloadTicket`) opens its link. */
  DOWNLOAD_TICKET_SECONDS: count(60),
  /** Requests per minute per API token or session (a token bucket: this refill rate, RATE_LIMIT_BURST at once). */
  RATE_LIMIT_PER_MINUTE: count(1_200),
  RATE_LIMIT_BURST: count(200),
  /** The same for callers without credentials (or with an unknown one), per address. */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: count(300),
  /** Reverse proxies whose X-Forwarded-For is believed: '' (none: the peer is the client), a number of hops, or a comma
   *  list of addresses/CIDRs/"loopback"; the client is the right-most untrusted address (hardening/address.ts). */
  TRUST_PROXY: z.string().default('').refine((v) => {
    try {
      parseTrustProxy(v);
      return true;
    } catch {
      return false;
    }
  }, 'a number of proxy hops, or a comma list of addresses, CIDRs or "loopback"'),
  /** Failed sign-ins per username+address before each further attempt must wait 1 s, 2 s, 4 s… (4× as many per address
   *  and per username across addresses; domain/auth.ts). */
  SIGNIN_FREE_FAILURES: count(5),
  /** The longest wait between sign-in attempts once delays apply. */
  SIGNIN_MAX_DELAY_SECONDS: count(60),
  /** Password hashes (scrypt) at once: the rest of libuv's pool (4 threads) stays free for SQLite's queries. */
  SIGNIN_HASH_CONCURRENCY: count(2),
  /** Sign-ins waiting for a hash slot; past that an attempt is refused at once (RATE_LIMITED), before any check. */
  SIGNIN_HASH_QUEUE: count(32, 0),
  /** Four-eyes: a user cannot approve a value (or a proposal) they wrote themselves; `off` lets them (domain/approval.ts). */
  FOUR_EYES: z.enum(['on', 'off']).default('on').transform((v) => v === 'on'),
});
export type Limits = z.infer<typeof limitsSchema>;

type Env = Record<string, string | undefined>;

/** The variables a schema names, checked (an empty value counts as unset); a bad one stops the start naming it. */
function readEnv<S extends z.ZodObject>(schema: S, what: string, env: Env): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]])));
  if (!parsed.success) throw new Error(`Bad ${what} in the environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function readLimits(env: Env = process.env): Limits {
  return readEnv(limitsSchema, 'limit', env);
}

export const LIMITS: Limits = readLimits();

/** The server's other settings, read once here (no other module reads the environment). */
export const settingsSchema = z.object({
  /** Seconds a token's or session's caller is cached per database (domain/auth.ts); 0 turns it off. */
  AUTH_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
  /** `off`: each write batch in a transaction of its own instead of group commit (domain/write-queue.ts); anything else: on. */
  GROUP_COMMIT: z.string().optional().transform((v) => v !== 'off'),
  /** `1`: session and CSRF cookies carry `Secure` (served over HTTPS). */
  COOKIE_SECURE: z.string().optional().transform((v) => v === '1'),
  /** Connections in the database pool (db/orm.ts). */
  DATABASE_POOL_SIZE: count(10),
  /** Read-only SQLite connections beside the one writer (db/readers.ts): grid, exports, report and progress read there. 0: everything on the writer. Kept under libuv's 4 threads, so a statement of the writer always finds one. */
  SQLITE_READERS: z.coerce.number().int().min(0).max(32).default(2),
  /** `0`: figure writes run on the main thread; otherwise, on SQLite files, in a writer thread with its own connection (db/writer-thread.ts). */
  SQLITE_WRITER_THREAD: z.string().optional().transform((v) => v !== '0'),
  /** How long a SQLite connection waits for another's lock before it fails (ms). */
  SQLITE_BUSY_TIMEOUT_MS: count(10_000),
  /** Worker threads answering grid reads on SQLite, each with a read-only connection (db/grid-workers.ts); 0: on the main thread. */
  SQLITE_GRID_WORKERS: z.coerce.number().int().min(0).max(8).default(1),
  /** How much the grid workers yield the CPU to the main thread (writes) on Linux: their threads' nice value, 0–19. */
  SQLITE_GRID_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** While writes are busy, the part of the time grid reads may take (db/read-pacer.ts), 0.05–1; 1: no pacing. */
  SQLITE_GRID_READ_SHARE: z.coerce.number().min(0.05).max(1).default(0.5),
  /** The federation hub's config file (hub/config.ts); unset: hub.config.json at the repository root, if any. */
  HUB_CONFIG: z.string().optional(),
  /** The mail server for notifications (`smtp://user:pass@host:587`, `smtps://…`); unset: notifications in the app only. */
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL').optional(),
  /** The sender of notification mails. */
  MAIL_FROM: z.string().default('UnionHub <no-reply@unionhub.local>'),
  /** A failed mail is tried again after this, doubling with each failure up to MAIL_RETRY_MAX_MS. */
  MAIL_RETRY_BASE_MS: count(60_000),
  MAIL_RETRY_MAX_MS: count(60 * 60_000),
  /** How often scheduled work (the mail outbox, reminders) runs; one instance at a time (domain/schedule.ts). */
  SCHEDULE_INTERVAL_MS: count(30_000, 50),
  /** An ISO-8601 instant the server's clock stands at when it starts (and runs on from): a demo or a test before or after a
   *  round's deadline (issue 14). Unset: real time. Read only here; the domain gets a `now()`. */
  CLOCK: z.string().optional().refine((v) => v === undefined || !Number.isNaN(Date.parse(v)), 'an ISO-8601 instant such as 2017-12-08T09:00:00+07:00'),
  /** Where `pnpm backup` writes its files when not given a path (domain/backup.ts). */
  BACKUP_DIR: z.string().default(resolve(REPO_ROOT, 'data/backups')).transform((v) => resolve(v)),
  /** The JSON log's level (observability/log.ts): error, warn, info (one line per request), debug or trace — the levels the hub's
   *  logger (@graphql-hive/logger) also accepts, as it reads LOG_LEVEL itself and refuses any other value. */
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** The bearer token Prometheus sends to scrape /metrics (at least 16 characters); unset: /metrics answers 404. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** On SIGTERM: how long in-flight requests and the current write group may take before the process exits anyway. */
  SHUTDOWN_GRACE_MS: count(10_000, 100),
});
export type Settings = z.infer<typeof settingsSchema>;

export function readSettings(env: Env = process.env): Settings {
  return readEnv(settingsSchema, 'setting', env);
}

export const SETTINGS: Settings = readSettings();

/** The environment a child process (pg_dump, pg_restore) runs with: ours plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** The server's clock: real time, or CLOCK's instant at start-up running on from there. */
export function clockOf(settings: Pick<Settings, 'CLOCK'> = SETTINGS, started = Date.now()): () => Date {
  if (!settings.CLOCK) return () => new Date();
  const offset = Date.parse(settings.CLOCK) - started;
  return () => new Date(Date.now() + offset);
}

/** The Finance department demo subgraph, a process of its own (`PORT=4101 UNIONHUB_URL=… pnpm department:finance`). */
export function financeSettings(env: Record<string, string | undefined> = process.env): { port: number; unionhub: string } {
  return { port: Number(env.PORT ?? 4101), unionhub: env.UNIONHUB_URL ?? 'http://localhost:4000/graphql' };
}

/**
 * The key download tickets are signed with is derived from DOWNLOAD_TICKET_SECRET (at least 32
 * characters). Unset: a random key per process — enough for one instance, but several instances
 * behind one balancer must share the secret, or a ticket issued by one is refused by another.
 */
export const DOWNLOAD_TICKET_SECRET: string | null = (() => {
  const v = process.env.DOWNLOAD_TICKET_SECRET;
  if (!v) return null;
  if (v.length < 32) throw new Error('DOWNLOAD_TICKET_SECRET must be at least 32 characters');
  return v;
})();
