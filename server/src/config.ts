/** Environment, read once. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

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
  /** Estimated fields resolved: each field counts 1, a list multiplies what is below it (by its `limit`, else 10). The sheet's
   *  largest query (5,000 discrepancies) costs ~55,000. */
  MAX_COMPLEXITY: count(100_000),
  MAX_TOKENS: count(5_000),
  /** Operations in one batched (JSON array) request. */
  MAX_BATCH_OPERATIONS: count(10),
  /** Cells in one setFigures call or one cell selection. */
  MAX_CELLS_PER_WRITE: count(5_000),
  /** A GraphQL request body; refused with 413 before it is parsed. */
  MAX_BODY_BYTES: count(2 * 1024 * 1024),
  /** An uploaded file (imports). */
  MAX_UPLOAD_BYTES: count(20 * 1024 * 1024),
  /** Requests per minute per API token or session (a token bucket: this refill rate, RATE_LIMIT_BURST at once). */
  RATE_LIMIT_PER_MINUTE: count(1_200),
  RATE_LIMIT_BURST: count(200),
  /** The same for callers without credentials, per address. */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: count(300),
});
export type Limits = z.infer<typeof limitsSchema>;

export function readLimits(env: Record<string, string | undefined> = process.env): Limits {
  const parsed = limitsSchema.safeParse(Object.fromEntries(Object.keys(limitsSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]])));
  if (!parsed.success) throw new Error(`Bad limit in the environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export const LIMITS: Limits = readLimits();
