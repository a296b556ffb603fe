/**
 * Per-caller rate limiting: a token bucket in memory per API token, per session, or per address
 * for callers without credentials. Keys come from the raw credential (hashed), so a request is
 * counted before any database work; a forged credential is then refused by authentication.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE, readCookie } from '../context.js';

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

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt = Date.now();

  constructor(private readonly credentialed: RateLimit, private readonly anonymous: RateLimit) {}

  /** Take one request from the caller's bucket: 0 when allowed, else the seconds until one is. */
  take(key: string, now = Date.now()): number {
    const limit = key.startsWith('address:') ? this.anonymous : this.credentialed;
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
    return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
  }

  /** Forget full buckets now and then, so memory stays bounded by the active callers. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [key, b] of this.buckets) {
      const limit = key.startsWith('address:') ? this.anonymous : this.credentialed;
      if (b.tokens + ((now - b.at) * limit.perMinute) / 60_000 >= limit.burst) this.buckets.delete(key);
    }
  }
}

/** Whose bucket a request draws from: its bearer token, its session cookie, or its address. */
export function callerKey(req: IncomingMessage): string {
  const authorization = req.headers.authorization;
  const bearer = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  if (bearer) return `token:${createHash('sha256').update(bearer).digest('base64url')}`;
  const session = readCookie(req.headers.cookie ?? null, SESSION_COOKIE);
  if (session) return `session:${createHash('sha256').update(session).digest('base64url')}`;
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}
