/**
 * GraphQL over SSE's single connection mode at /graphql/stream (the Yoga graphql-sse plugin): a page
 * reserves one stream (PUT), holds it open (GET) and runs each subscription over it (POST; DELETE
 * stops one), so a tab holds one connection however many subscriptions it follows — a browser opens
 * at most six to a host over HTTP/1.1.
 *
 * The plugin answers these requests itself, before Yoga's request parsing, so what Yoga's own
 * plugins do at that stage is done here for every one of the four requests: the CSRF header must be
 * present (as useCSRFPrevention asks) and the credentials must be valid (createContext: bearer
 * token, or session cookie with its CSRF token). A stream belongs to the caller that reserved it:
 * its token is refused to anyone else. Each operation then runs through Yoga's envelop (parse,
 * validate with the limit rules, context, the stream cap of streams.ts, masked and coded errors).
 * The rate guard (http.ts) charges each request at the server's door as for /graphql.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { ERROR_CODES, type ErrorCode } from '@unionhub/schema';
import { createContext, CSRF_HEADER, type Context } from '../context.js';
import type { EventBus } from '../events.js';
import type { AccessPolicy } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { codeResult } from './coded-errors.js';
import { clientAddress } from './address.js';
import type { Knex } from '@mikro-orm/knex';

export const STREAM_ENDPOINT = '/graphql/stream';
/** graphql-sse's header (or `token` query parameter) naming the reserved stream. */
const TOKEN_HEADER = 'x-graphql-event-stream-token';
/** A reservation that no GET has opened within this is forgotten (its token then refused). */
const RESERVATION_MS = 60_000;

type Refusal = [string, { status: number; statusText: string; headers: Record<string, string> }];
const refuse = (status: number, code: ErrorCode, message: string): Refusal => [
  JSON.stringify({ errors: [{ message, extensions: { code } }] }),
  { status, statusText: code, headers: { 'content-type': 'application/json; charset=utf-8' } },
];

interface Reservation {
  caller: string;
  reservedAt: number;
  connected: boolean;
}

/**
 * The plugins to add to Yoga (after useCSRFPrevention and before anything that ends responses):
 * one that remembers each request's Node request (for the caller's address), then the endpoint.
 */
export function streamEndpoint(db: Knex, bus: EventBus, policy: AccessPolicy, maxPerCaller: number): Plugin<Context>[] {
  const nodeRequests = new WeakMap<Request, IncomingMessage>();
  const reservations = new Map<string, Reservation>();
  const held = (caller: string, now: number) => {
    let n = 0;
    for (const [token, r] of reservations) {
      if (!r.connected && now - r.reservedAt > RESERVATION_MS) reservations.delete(token);
      else if (r.caller === caller) n++;
    }
    return n;
  };

  /** graphql-sse's `authenticate`: the stream's token, or a refusal answered as is. */
  const authenticate = async (req: { method: string; url: string; headers: { get(key: string): string | null | undefined }; raw: Request }): Promise<string | Refusal> => {
    if (!req.headers.get(CSRF_HEADER) && !req.headers.get('x-graphql-yoga-csrf')) {
      return refuse(403, 'FORBIDDEN', `A request to ${STREAM_ENDPOINT} must send its ${CSRF_HEADER} header`);
    }
    let ctx: Context;
    try {
      const node = nodeRequests.get(req.raw);
      ctx = await createContext(db, bus, req.raw, node && clientAddress(node), policy);
    } catch (e) {
      if (e instanceof DomainError) {
        const status = (e.details as { http?: { status?: number } }).http?.status ?? 403;
        return refuse(status, e.code as ErrorCode, e.message);
      }
      throw e;
    }
    const caller = ctx.access.caller ? `user:${ctx.access.caller.userId}` : `address:${ctx.address}`;
    const now = Date.now();
    if (req.method === 'PUT') {
      // Each reservation is a stream held open: as many as the subscriptions one caller may hold.
      if (held(caller, now) >= maxPerCaller) return refuse(429, ERROR_CODES.RATE_LIMITED as ErrorCode, `At most ${maxPerCaller} event streams may be open at once; close one first`);
      const token = randomUUID();
      reservations.set(token, { caller, reservedAt: now, connected: false });
      return token;
    }
    const token = req.headers.get(TOKEN_HEADER) ?? new URL(req.url, 'http://x').searchParams.get('token');
    // No token: graphql-sse's distinct connection mode, one operation per request, as on /graphql.
    if (!token) return randomUUID();
    const reservation = reservations.get(token);
    if (!reservation || reservation.caller !== caller || (!reservation.connected && now - reservation.reservedAt > RESERVATION_MS)) {
      return refuse(404, 'NOT_FOUND', 'No such event stream (reserve one with PUT first)');
    }
    if (req.method === 'GET' && req.headers.get('accept') === 'text/event-stream') {
      reservation.connected = true;
      req.raw.signal.addEventListener('abort', () => reservations.delete(token), { once: true });
    }
    return token;
  };

  const remember: Plugin<Context> = {
    onRequest({ request, serverContext }) {
      const node = (serverContext as { req?: IncomingMessage } | undefined)?.req;
      if (node) nodeRequests.set(request, node);
    },
  };
  return [
    remember,
    useGraphQLSSE({
      endpoint: STREAM_ENDPOINT,
      authenticate,
      // Yoga's result processing (our coded errors) is skipped on this path: code each event here.
      onNext: (_ctx, _req, result) => codeResult(result),
    }) as Plugin<Context>,
  ];
}
