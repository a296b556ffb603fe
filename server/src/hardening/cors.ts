/**
 * CORS for every path in one place (GraphQL, the hub, files): only the origins of CORS_ORIGINS get
 * Access-Control-Allow-Origin — for themselves, with credentials — and every other origin gets no
 * CORS header at all, so a browser keeps a foreign page from reading our answers. Yoga's and the
 * gateway's own CORS are turned off: by default they echo any Origin back, credentials allowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const METHODS = 'GET, HEAD, POST, OPTIONS';
/** What our clients send: JSON, a bearer token, the session's CSRF header, Yoga's CSRF-prevention header, SSE, their own request id. */
const REQUEST_HEADERS = 'accept, authorization, content-type, x-csrf-token, x-graphql-yoga-csrf, x-request-id';
/** What a configured page may read besides the simple headers: file names, rate-limit waits, export counts, the request id (for a support call). */
const EXPOSED = 'content-disposition, retry-after, x-approved-cells, x-not-approved-cells, x-request-id';

/** Returns a guard: true when the request was a preflight, answered here. */
export function createCors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    const ok = typeof origin === 'string' && allowed.has(origin);
    // Caches must not hand one origin's answer to another.
    if (allowed.size > 0) res.setHeader('vary', 'Origin');
    if (ok) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', EXPOSED);
    }
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
    if (ok) {
      res.setHeader('access-control-allow-methods', METHODS);
      res.setHeader('access-control-allow-headers', REQUEST_HEADERS);
      res.setHeader('access-control-max-age', '600');
    }
    // A foreign origin's preflight gets an answer without permission: the browser stops there.
    res.writeHead(204).end();
    return true;
  };
}
