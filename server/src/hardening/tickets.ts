/**
 * Download tickets: a browser's link cannot carry the CSRF header, and a CSRF token in a URL ends up
 * in history, logs and Referer headers. Instead a signed-in page asks `downloadTicket(path)` and
 * navigates to `path&ticket=…`: an HMAC over the user, the expiry and the exact path and query
 * (parameters in any order), so a ticket opens that one download, for that user, for a minute.
 * Nothing is stored: any instance that shares DOWNLOAD_TICKET_SECRET checks it.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { DOWNLOAD_TICKET_SECRET } from '../config.js';

export const TICKET_PARAM = 'ticket';
/** The file endpoints a ticket may open (GET/HEAD downloads); never GraphQL or the imports. */
// A round's chase list too (issue 14: /files/rounds/<id>/chase.xlsx|csv, round-http.ts).
const DOWNLOAD_PATH = /^\/(exports|reports)\/[^/]+$|^\/files\/rounds\/\d{1,9}\/chase\.(xlsx|csv)$/;
const MAX_PATH = 2_048;

/**
 * What a ticket is bound to: the path and its parameters sorted, without `ticket`; null when the
 * path is not a download of ours (absolute or protocol-relative URLs, other endpoints, too long).
 */
export function canonicalDownload(pathAndQuery: string): string | null {
  if (pathAndQuery.length > MAX_PATH || !pathAndQuery.startsWith('/') || pathAndQuery.startsWith('//') || pathAndQuery.includes('#')) return null;
  let url: URL;
  try {
    url = new URL(pathAndQuery, 'http://unionhub.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://unionhub.invalid' || !DOWNLOAD_PATH.test(url.pathname)) return null;
  const params = new URLSearchParams(url.searchParams);
  params.delete(TICKET_PARAM);
  params.sort();
  const query = params.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

export interface TicketClaims {
  userId: number;
  /** The download path with its query. */
  path: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export function createTicketSigner(secret: string | null) {
  const key = secret ? Buffer.from(hkdfSync('sha256', secret, 'unionhub', 'download-ticket', 32)) : randomBytes(32);
  const mac = (payload: string, path: string) => createHmac('sha256', key).update(`${payload}\n${path}`).digest();
  return {
    sign(claims: TicketClaims): string {
      const path = canonicalDownload(claims.path);
      if (!path) throw new Error(`not a download path: ${claims.path}`);
      const payload = Buffer.from(JSON.stringify({ u: claims.userId, e: claims.expiresAt })).toString('base64url');
      return `${payload}.${mac(payload, path).toString('base64url')}`;
    },
    /** The user a ticket was issued to, if it is genuine, unexpired and for this path and query; else null. */
    verify(ticket: string, pathAndQuery: string, now = Date.now()): number | null {
      const path = canonicalDownload(pathAndQuery);
      if (ticket.length > 256) return null; // ours are ~90 characters
      const [payload, signature, extra] = ticket.split('.');
      if (!path || !payload || !signature || extra !== undefined) return null;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload, path);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: unknown; e?: unknown };
      if (typeof claims.u !== 'number' || typeof claims.e !== 'number' || claims.e <= now) return null;
      return claims.u;
    },
  };
}

/** This process's signer (DOWNLOAD_TICKET_SECRET, or a random key per process). */
const signer = createTicketSigner(DOWNLOAD_TICKET_SECRET);
export const signDownloadTicket = (claims: TicketClaims): string => signer.sign(claims);
export const verifyDownloadTicket = (ticket: string, pathAndQuery: string): number | null => signer.verify(ticket, pathAndQuery);
