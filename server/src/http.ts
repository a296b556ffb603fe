/**
 * What the file endpoints (exports, imports, report downloads) share: the caller as GraphQL sees
 * it, refusals as coded JSON with the right status, and download file names.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from '@mikro-orm/knex';
import { createContext, type Context } from './context.js';
import type { EventBus } from './events.js';
import { CellBatchError, DomainError } from './domain/errors.js';
import { Access } from './domain/access.js';
import { callerOf } from './domain/auth.js';
import { TICKET_PARAM, verifyDownloadTicket } from './hardening/tickets.js';
import { clientAddress } from './hardening/address.js';
import { lingerThenClose } from './hardening/http.js';

/** The HTTP status of each refusal code (others: 400). */
const STATUS: Record<string, number> = {
  VALIDATION: 400, NOT_FOUND: 404, CONFLICT: 409, LOCKED: 409, FORBIDDEN: 403, FORBIDDEN_TRANSITION: 409,
  UNAUTHENTICATED: 401, RATE_LIMITED: 429, BAD_FILE: 415, TOO_LARGE: 413,
};

/**
 * Refusals as JSON: `code` and `message`, plus `errors` in the GraphQL error shape (one per
 * rejected cell for a refused import), as the other HTTP guards answer.
 */
export function sendError(res: ServerResponse, e: unknown): void {
  let status = 500;
  let body: { code: string; message: string; errors: { message: string; extensions: Record<string, unknown> }[] };
  if (e instanceof CellBatchError) {
    status = 400;
    body = {
      code: 'VALIDATION',
      message: `${e.errors.length} cell(s) refused; nothing was written. ${e.errors.slice(0, 3).map((x) => x.message).join('; ')}`,
      errors: e.errors.map((x) => ({ message: x.message, extensions: { ...x.details, code: x.code } })),
    };
  } else if (e instanceof DomainError) {
    const { http, ...details } = e.details as { http?: { status: number } };
    status = http?.status ?? STATUS[e.code] ?? 400;
    body = { code: e.code, message: e.message, errors: [{ message: e.message, extensions: { ...details, code: e.code } }] };
  } else {
    console.error('[INTERNAL]', e);
    body = { code: 'INTERNAL', message: 'Internal error', errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL' } }] };
  }
  if (res.headersSent) {
    res.destroy(); // mid-stream: cut the download so it cannot pass for complete
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/**
 * A refusal decided before the request's body was read (who calls, what they may do, the
 * parameters): answered at once; what the client still sends is discarded for a while, then the
 * connection is closed (lingerThenClose).
 */
export function refuseUnread(req: IncomingMessage, res: ServerResponse, e: unknown): void {
  lingerThenClose(req, res);
  sendError(res, e);
}

/**
 * The caller, exactly as GraphQL sees it — or, for a plain download link (which cannot carry the
 * CSRF header), as the signed ticket of `downloadTicket` names it. A CSRF token in the URL is refused:
 * it would end up in history, logs and Referer headers.
 */
export async function callerContext(db: Knex, bus: EventBus, req: IncomingMessage, url: URL): Promise<Context> {
  if (url.searchParams.has('csrf')) {
    throw new DomainError('BAD_REQUEST', 'A CSRF token in a URL is not accepted: ask the downloadTicket mutation for a link, or send the x-csrf-token header');
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const ticket = url.searchParams.get(TICKET_PARAM);
  if (ticket !== null) {
    const userId = req.method === 'GET' || req.method === 'HEAD' ? verifyDownloadTicket(ticket, url.pathname + url.search) : null;
    const caller = userId === null ? null : await callerOf(db, userId);
    if (!caller) throw new DomainError('UNAUTHENTICATED', 'The download ticket is invalid, expired or not for this link: ask downloadTicket for a new one', { http: { status: 401 } });
    // The ticket is the credential: whatever cookie the browser adds is not looked at.
    headers.delete('authorization');
    headers.delete('cookie');
    const ctx = await createContext(db, bus, new Request(url, { headers }), clientAddress(req));
    ctx.access = new Access(caller);
    ctx.actor = caller.username;
    return ctx;
  }
  const ctx = await createContext(db, bus, new Request(url, { headers }), clientAddress(req));
  if (!ctx.access.authenticated) throw new DomainError('UNAUTHENTICATED', 'Sign in first (a bearer token or the session cookie)');
  return ctx;
}

/** A generated file as the answer to a GET (or just its headers to a HEAD), never cached. */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: { bytes: Uint8Array; filename: string; asciiFilename: string }, contentType: string): void {
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': file.bytes.length,
    'content-disposition': contentDisposition(file.filename, file.asciiFilename),
    'cache-control': 'private, no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : file.bytes);
}

export function contentDisposition(filename: string, asciiFilename: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFilename.replace(/["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

