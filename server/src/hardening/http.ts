/**
 * HTTP-level guards run before any handler: the caller's rate limit (429 + Retry-After) and
 * the request body's size (413, from Content-Length before reading, else counted as it streams).
 * Refusals are JSON in the GraphQL error shape, so a GraphQL client reads their code too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from '@mikro-orm/knex';
import { z } from 'zod';
import type { ErrorCode } from '@unionhub/schema';
import type { Limits } from '../config.js';
import { callerKey, DbRateLimiter, RateLimiter, type RequestLimiter } from './rate-limit.js';
import { dialectOf } from '../domain/db.js';
import { admitClient, fromOwnHub, parseTrustProxy } from './address.js';
import { noteRefusal } from '../observability/request.js';

export function refuseHttp(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}, says: Record<string, unknown> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  noteRefusal(res, code);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { ...says, code } }] }));
}

/** The client's own files and the health check are not rate limited; everything else is. */
function exempt(path: string): boolean {
  return path === '/healthz' || path === '/' || path === '/index.html' || path.startsWith('/assets/') || path === '/favicon.ico';
}

/**
 * The first thing every request meets: its client address is worked out (TRUST_PROXY, the hub's
 * word), then its bucket is charged. The hub's own calls to this process were charged at
 * /hub/graphql under the client's key already, so they pass.
 */
export function createRateGuard(limits: Limits, db: Knex) {
  const trust = parseTrustProxy(limits.TRUST_PROXY);
  const credentialed = { perMinute: limits.RATE_LIMIT_PER_MINUTE, burst: limits.RATE_LIMIT_BURST };
  const anonymous = { perMinute: limits.RATE_LIMIT_ANONYMOUS_PER_MINUTE, burst: Math.min(limits.RATE_LIMIT_BURST, limits.RATE_LIMIT_ANONYMOUS_PER_MINUTE) };
  // Several instances share one PostgreSQL: their callers' buckets are shared there too.
  const limiter: RequestLimiter = dialectOf(db) === 'postgresql' ? new DbRateLimiter(db, credentialed, anonymous) : new RateLimiter(credentialed, anonymous);
  /** true when the request was refused (and answered). */
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    admitClient(req, trust);
    if (exempt(path) || fromOwnHub(req)) return false;
    const wait = await limiter.take(await callerKey(req, db));
    if (wait === 0) return false;
    lingerThenClose(req, res);
    refuseHttp(res, 429, 'RATE_LIMITED', `Too many requests; retry in ${wait} s`, { 'retry-after': String(wait) }, { key: 'rate.limited', params: { retryAfter: wait } });
    return true;
  };
}

/** How long a refused request's unread body is read and discarded after the answer, at most. */
const LINGER_MS = 5_000;

/**
 * After refusing a request whose body was not read: discard what the client still sends, for up to
 * LINGER_MS, then close (nginx's "lingering close"). Closing a socket with unread input sends a reset,
 * which can throw away the answer before the client reads it: the client sees "connection reset", not
 * the 413. A body that ends in time leaves the connection open for the next request.
 */
export function lingerThenClose(req: IncomingMessage, res: ServerResponse): void {
  const close = () => req.socket.destroy();
  req.on('error', () => undefined);
  res.once('finish', () => {
    if (req.complete) return;
    const timer = setTimeout(close, LINGER_MS);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
    req.once('close', () => clearTimeout(timer));
    req.resume();
  });
}

/** The declared size is over the limit: refuse before reading a byte (what follows is discarded). */
export function declaredTooLarge(req: IncomingMessage, res: ServerResponse, max: number): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!(declared > max)) return false;
  lingerThenClose(req, res);
  refuseHttp(res, 413, 'TOO_LARGE', `The request body is over ${max} bytes`);
  return true;
}

/** Read a body of at most `max` bytes; null (after answering 413) when it streams past that. */
export function readBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > max) {
        refused = true;
        lingerThenClose(req, res);
        refuseHttp(res, 413, 'TOO_LARGE', `The request body is over ${max} bytes`);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.once('error', () => {
      if (!refused) {
        refused = true;
        resolve(null);
      }
    });
  });
}

/** A JSON object in a query parameter (Yoga would otherwise fail on it as a fault, not a refusal). */
const jsonObject = z.string().transform((text, ctx) => {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
    return z.NEVER;
  }
});

/** GET /graphql?query=…&variables=…: the parameters GraphQL over HTTP defines, checked before Yoga sees them. */
const getParams = z.object({
  // Lengths first, so nothing long is parsed (a GET carries subscriptions and small reads; larger ones are POSTed).
  query: z.string().max(10_000).optional(),
  operationName: z.string().max(200).optional(),
  variables: z.string().max(10_000).pipe(jsonObject).optional(),
  extensions: z.string().max(2_000).pipe(jsonObject).optional(),
});

/** true when the query string was refused (and answered 400 BAD_REQUEST). */
export function badQueryString(req: IncomingMessage, res: ServerResponse): boolean {
  const params = new URL(req.url ?? '/', 'http://x').searchParams;
  // Checked once each: a repeated one would be checked by its last value and read by Yoga by its first.
  const repeated = Object.keys(getParams.shape).filter((k) => params.getAll(k).length > 1);
  if (repeated.length) {
    refuseHttp(res, 400, 'BAD_REQUEST', `${repeated.join(', ')}: given more than once`);
    return true;
  }
  const parsed = getParams.safeParse(Object.fromEntries(params));
  if (parsed.success) return false;
  refuseHttp(res, 400, 'BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return true;
}
