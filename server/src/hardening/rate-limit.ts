/**
 * Per-caller rate limiting: a token bucket in memory per API token, per session, or per address
 * for callers without a valid credential. The credential is verified first (the caller cache in
 * domain/auth.ts answers most look-ups without a query, unknown ones included), so a made-up token
 * or cookie draws from its address's anonymous bucket instead of getting a fresh bucket each time.
 */
import type { IncomingMessage } from 'node:http';
import type { Knex } from '@mikro-orm/knex';
import { SESSION_COOKIE, readCookie } from '../context.js';
import { callerFromSession, callerFromToken, sha256 } from '../domain/auth.js';
import { clientAddress } from './address.js';

export interface RateLimit {
  /** Refill, requests per minute. */
  perMinute: number;
  /** Bucket size: requests allowed at once. */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Takes a request from a caller's bucket: 0 when allowed, else the seconds until one is. */
export interface RequestLimiter {
  take(key: string, now?: number): number | Promise<number>;
}

const limitOf = (key: string, credentialed: RateLimit, anonymous: RateLimit) => (key.startsWith('address:') ? anonymous : credentialed);
/** Seconds until a bucket holding `tokens` has one again. */
const secondsUntilOne = (tokens: number, perMs: number) => Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));

export class RateLimiter implements RequestLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt = Date.now();

  constructor(private readonly credentialed: RateLimit, private readonly anonymous: RateLimit) {}

  /** Take one request from the caller's bucket: 0 when allowed, else the seconds until one is. */
  take(key: string, now = Date.now()): number {
    const limit = limitOf(key, this.credentialed, this.anonymous);
    const perMs = limit.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    b.tokens = Math.min(limit.burst, b.tokens + (now - b.at) * perMs);
    b.at = now;
    this.buckets.set(key, b);
    this.sweep(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return secondsUntilOne(b.tokens, perMs);
  }

  /** Forget full buckets now and then, so memory stays bounded by the active callers. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [key, b] of this.buckets) {
      const limit = limitOf(key, this.credentialed, this.anonymous);
      if (b.tokens + ((now - b.at) * limit.perMinute) / 60_000 >= limit.burst) this.buckets.delete(key);
    }
  }
}

/**
 * The same buckets in the database (PostgreSQL), shared by every instance: one statement refills
 * and takes atomically (the row is locked by the upsert). Full buckets are swept now and then.
 */
export class DbRateLimiter implements RequestLimiter {
  private sweptAt = Date.now();
  constructor(private readonly db: Knex, private readonly credentialed: RateLimit, private readonly anonymous: RateLimit) {}

  async take(key: string, now = Date.now()): Promise<number> {
    const { burst, perMinute } = limitOf(key, this.credentialed, this.anonymous);
    const perMs = perMinute / 60_000;
    const refill = 'least(cast(? as double precision), rate_bucket.tokens + (excluded.at_ms - rate_bucket.at_ms) * cast(? as double precision))';
    const r = (await this.db.raw(
      `insert into rate_bucket (key, tokens, at_ms, allowed) values (?, ?, ?, true)
       on conflict (key) do update set
         tokens = case when ${refill} >= 1 then ${refill} - 1 else ${refill} end,
         allowed = ${refill} >= 1,
         at_ms = excluded.at_ms
       returning tokens, allowed`,
      [key, burst - 1, now, burst, perMs, burst, perMs, burst, perMs, burst, perMs],
    )) as { rows: { tokens: number; allowed: boolean }[] };
    const row = r.rows[0]!;
    await this.sweep(now);
    return row.allowed ? 0 : secondsUntilOne(Number(row.tokens), perMs);
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    // A bucket idle long enough to be full again is the same as no bucket.
    const longest = Math.max(this.credentialed.burst / this.credentialed.perMinute, this.anonymous.burst / this.anonymous.perMinute) * 60_000;
    await this.db('rate_bucket').where('at_ms', '<', now - longest).delete();
  }
}

/**
 * Whose bucket a request draws from: its bearer token or its session cookie when valid, else its
 * address (no credential, or one that is unknown, expired or revoked — or a look-up that failed).
 */
export async function callerKey(req: IncomingMessage, db: Knex): Promise<string> {
  const authorization = req.headers.authorization;
  const bearer = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  const session = bearer ? null : readCookie(req.headers.cookie ?? null, SESSION_COOKIE);
  try {
    if (bearer && (await callerFromToken(db, bearer))) return `token:${sha256(bearer)}`;
    if (session && (await callerFromSession(db, session))) return `session:${sha256(session)}`;
  } catch {
    // The database could not say: treat the caller as anonymous (authentication will answer it).
  }
  return `address:${clientAddress(req)}`;
}
