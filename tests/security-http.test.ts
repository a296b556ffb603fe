/**
 * Issue 12, items 9 and 10 (part): the hub is as strict as the subgraph (limits, body size, coded
 * and masked errors, one rate-limit count, subscriptions with the CSRF header); CORS answers only
 * configured origins; downloads use short-lived signed tickets instead of a CSRF token in the URL;
 * a cap on open SSE streams per caller; server timeouts (a slowloris is cut off).
 */
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@unionhub/schema';
import { parseHubConfig } from '../server/src/hub/config.js';
import { HUB_PATH, mountHub, type Hub } from '../server/src/hub/index.js';
import { createTicketSigner, signDownloadTicket } from '../server/src/hardening/tickets.js';
import { issueToken } from '../server/src/domain/auth.js';
import { HUB_SECRET_HEADER } from '../server/src/hardening/address.js';
import { knexOf } from '../server/src/db/orm.js';
import { openSse } from './sse.js';
import { startTestServer, type TestServer } from './harness.js';

const STRICT = {
  MAX_QUERY_DEPTH: 8, MAX_ALIASES: 5, MAX_TOKENS: 400, MAX_COMPLEXITY: 5_000, MAX_BATCH_OPERATIONS: 3, MAX_BODY_BYTES: 64 * 1024,
  MAX_STREAMS_PER_CALLER: 3, CORS_ORIGINS: ['https://stats.example'],
  // Short enough to see a slowloris cut off; an SSE stream must outlive the request timeout.
  HEADERS_TIMEOUT_SECONDS: 1, REQUEST_TIMEOUT_SECONDS: 2, KEEP_ALIVE_TIMEOUT_SECONDS: 3,
};

let s: TestServer;
let hub: Hub;
let dept: Server;

/**
 * A department subgraph that composes (answers `_service { sdl }`) and then fails in the ways a
 * gateway meets: `boom` with a foreign code and a stack, `gone` as an HTTP 502 that is not GraphQL.
 */
async function startDepartment(): Promise<string> {
  const sdl = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])\ntype Query { boom: String gone: String }';
  dept = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const json = (v: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      if (body.includes('_service')) return json({ data: { _service: { sdl } } });
      if (body.includes('boom')) return json({ data: { boom: null }, errors: [{ message: 'Department fault', path: ['boom'], extensions: { code: 'DEPT_EXPLODED', stacktrace: ['at /srv/dept/secret.js:1'] } }] });
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway at 10.0.0.7</html>');
    });
  });
  await new Promise<void>((ok) => dept.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(dept.address() as AddressInfo).port}/graphql`;
}

/** Calls the hub made to our subgraph: in this process (in-process.ts), or over HTTP (they carry its secret). */
let hubCalls = 0;

beforeAll(async () => {
  s = await startTestServer({ limits: STRICT });
  s.app.server.on('request', (req) => void (req.headers[HUB_SECRET_HEADER] && hubCalls++));
  const inProcess = s.app.inProcess;
  s.app.inProcess = (url, init) => {
    hubCalls++;
    return inProcess(url, init);
  };
  hub = await mountHub(s.app, parseHubConfig({ subgraphs: [{ name: 'dept', url: await startDepartment() }] }));
});
afterAll(async () => {
  await hub?.close();
  await s?.close();
  await new Promise((ok) => dept?.close(ok));
});

type Answer = { status: number; headers: Headers; body: any };
async function post(path: string, body: unknown, headers: Record<string, string> = s.auth('admin')): Promise<Answer> {
  const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
}
const codesOf = (body: any): string[] => (Array.isArray(body) ? body.flatMap(codesOf) : (body?.errors ?? []).map((e: any) => e.extensions?.code));

async function signIn(username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await post('/graphql', { query: 'mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { csrfToken } }', variables: { u: username, p: password } }, {});
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrf: res.body.data.signIn.csrfToken };
}

/** An SSE subscription at a path of the test server: the status, and (when accepted) each event's payload in order. */
const openStream = (path: string, query: string, headers: Record<string, string>) => openSse(`${s.url}${path}`, query, headers);

/** A program's subscription: its bearer token and Yoga's CSRF-prevention header (a GET needs one of the two CSRF headers). */
const program = (as: 'reporter' | 'reviewer') => ({ ...s.auth(as), 'x-graphql-yoga-csrf': '1' });

async function writeFunding(value: number): Promise<void> {
  const v = await s.gql('{ figure(unionCode: "P06-N10", indicatorCode: "funding", year: 2016, scenario: ACTUAL) { version } }');
  const w = await s.gql(`mutation { setFigures(cells: [{ unionCode: "P06-N10", indicatorCode: "funding", year: 2016, scenario: ACTUAL, value: ${value}, expectedVersion: ${v.data!.figure.version} }]) { figures { version } } }`);
  expect(w.errors).toBeUndefined();
}

describe('the hub is as strict as /graphql', () => {
  // A chain of single objects: deep, but cheap.
  const nested = (depth: number) => {
    let q = '{ code }';
    for (let i = 0; i < depth; i++) q = `{ parent ${q} }`;
    return `{ union(code: "P06-H01") ${q} }`;
  };
  const REFUSED: [string, unknown, string][] = [
    ['depth', { query: nested(STRICT.MAX_QUERY_DEPTH) }, 'QUERY_TOO_DEEP'],
    ['aliases', { query: `{ ${Array.from({ length: STRICT.MAX_ALIASES + 1 }, (_, i) => `a${i}: me { username }`).join(' ')} }` }, 'TOO_MANY_ALIASES'],
    ['tokens', { query: `{ ${'me { username } '.repeat(STRICT.MAX_TOKENS / 4 + 1)} }` }, 'TOO_COMPLEX'],
    ['cost', { query: '{ unions(limit: 100) { children { children { code } } } }' }, 'TOO_COMPLEX'],
    // No `limit` to go by: only the hierarchy's measured fan-out (the subgraph's bounds) makes this too costly.
    ['cost from the hierarchy', { query: '{ union(code: "TLD") { children { children { code } } } }' }, 'TOO_COMPLEX'],
    ['batch', Array.from({ length: STRICT.MAX_BATCH_OPERATIONS + 1 }, () => ({ query: '{ me { username } }' })), 'BATCH_TOO_LARGE'],
    ['syntax', { query: '{ union(' }, 'BAD_REQUEST'],
    ['unknown field', { query: '{ nope }' }, 'BAD_REQUEST'],
  ];
  /**
   * The same body with a field of the supergraph's own beside the rest: the hub's door serves a query
   * wholly ours by our /graphql (hub/shortcut.ts), so this one tests the gateway's own limits.
   */
  const viaGateway = (body: unknown) =>
    Array.isArray(body) ? body : { ...(body as { query: string }), query: (body as { query: string }).query.replace('{', '{ __schema { queryType { name } } ') };
  for (const [name, asSent, code] of REFUSED) for (const [path, body] of [['the door', asSent], ['the gateway', viaGateway(asSent)]] as const) {
    it(`refuses ${name} at ${HUB_PATH} (${path}) with the status and code of /graphql, without reaching a subgraph`, async () => {
      const direct = await post('/graphql', body);
      const before = hubCalls;
      const viaHub = await post(HUB_PATH, body);
      expect(hubCalls - before).toBe(0);
      expect(codesOf(direct.body)).toEqual([code]);
      expect(codesOf(viaHub.body)).toEqual([code]);
      // A limit's words too: the cost is estimated alike (our fields' bounds, the measured hierarchy).
      if (code !== 'BAD_REQUEST') expect(viaHub.body.errors[0].message).toBe(direct.body.errors[0].message);
      expect(viaHub.status).toBe(direct.status);
      expect(viaHub.status).toBeGreaterThanOrEqual(400);
      expect(viaHub.body.data ?? null).toBeNull();
      expect(JSON.stringify(viaHub.body)).not.toMatch(/serviceName/);
    });
  }

  it('still answers a batch within the limit and a query within every limit', async () => {
    const r = await post(HUB_PATH, Array.from({ length: STRICT.MAX_BATCH_OPERATIONS }, () => ({ query: '{ me { username } }' })));
    expect(r.status).toBe(200);
    expect(r.body.map((x: any) => x.data.me.username)).toEqual(Array(STRICT.MAX_BATCH_OPERATIONS).fill('admin'));
    const before = hubCalls;
    const q = await post(HUB_PATH, { query: nested(STRICT.MAX_QUERY_DEPTH - 3) });
    expect(q.body.errors).toBeUndefined();
    // Wholly ours: served at the door, no call from the gateway; beside the supergraph's own field, the gateway calls us.
    expect(hubCalls - before).toBe(0);
    const g = await post(HUB_PATH, viaGateway({ query: nested(STRICT.MAX_QUERY_DEPTH - 3) }));
    expect(g.body.errors).toBeUndefined();
    expect(g.body.data.union).toEqual(q.body.data.union);
    expect(hubCalls - before).toBeGreaterThan(0);
  });

  it('refuses a chunked body over MAX_BODY_BYTES with 413 TOO_LARGE (no Content-Length to go by)', async () => {
    for (const path of ['/graphql', HUB_PATH]) {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...s.auth('admin') } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        req.on('error', reject);
        expect(req.getHeader('content-length')).toBeUndefined();
        req.write('{"query": "{ me { username } }", "variables": {"pad": "');
        let sent = 0;
        const chunk = 'y'.repeat(8_192);
        const pump = () => {
          while (sent < STRICT.MAX_BODY_BYTES * 3) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end('"}}');
        };
        pump();
      }).catch((e: Error) => ({ status: -1, body: `socket closed before an answer: ${e.message}` }));
      expect(status, `${path}: ${body.slice(0, 200)}`).toBe(413);
      expect(codesOf(JSON.parse(body))).toEqual(['TOO_LARGE']);
    }
  });

  it('answers subgraph errors with our codes: no serviceName, no gateway code, no stack, no upstream address', async () => {
    const anonymous = await post(HUB_PATH, { query: '{ union(code: "P06") { name } }' }, {});
    const boom = await post(HUB_PATH, { query: '{ boom }' });
    const gone = await post(HUB_PATH, { query: '{ gone }' });
    expect(codesOf(anonymous.body)).toEqual(['UNAUTHENTICATED']);
    for (const r of [anonymous, boom, gone]) {
      const codes = codesOf(r.body);
      expect(codes.length).toBeGreaterThan(0);
      for (const c of codes) expect(Object.keys(ERROR_CODES)).toContain(c);
      const text = JSON.stringify(r.body);
      expect(text).not.toMatch(/serviceName|DOWNSTREAM_SERVICE_ERROR|SUBREQUEST_HTTP_ERROR|INTERNAL_SERVER_ERROR|DEPT_EXPLODED|stacktrace|secret\.js|10\.0\.0\.7|127\.0\.0\.1/);
      expect(text).not.toMatch(/"request"|"response"/);
    }
    expect(codesOf(boom.body)).toEqual(['INTERNAL']);
    expect(codesOf(gone.body)).toEqual(['INTERNAL']);
  });

  it('a browser session (cookie + x-csrf-token) subscribes over SSE at the hub and gets figuresChanged events', async () => {
    const { cookie, csrf } = await signIn('reviewer.backan', 'reviewer-demo-2026');
    const sub = await openStream(HUB_PATH, 'subscription { figuresChanged(root: "P06") { actor figures { unionCode value } } }', { cookie, 'x-csrf-token': csrf });
    try {
      expect(sub.status).toBe(200);
      expect(sub.contentType).toMatch(/text\/event-stream/);
      await new Promise((r) => setTimeout(r, 300));
      await writeFunding(11);
      expect((await sub.next()).data.figuresChanged).toEqual({ actor: 'admin', figures: [{ unionCode: 'P06-N10', value: 11 }] });
    } finally {
      sub.close();
    }
    // Without the CSRF header a cookie is refused at the hub as at /graphql, before any stream.
    for (const path of ['/graphql', HUB_PATH]) {
      const refused = await openStream(path, 'subscription { figuresChanged(root: "P06") { actor } }', { cookie });
      const first = await refused.next();
      refused.close();
      expect(refused.status, path).toBe(403);
      expect(codesOf(first), path).toEqual(['BAD_REQUEST']);
    }
  });
});

describe('rate limit counted once for a hub request', () => {
  let strict: TestServer;
  let strictHub: Hub;
  beforeAll(async () => {
    // A bucket of 10 requests that does not refill within the test.
    strict = await startTestServer({ limits: { RATE_LIMIT_PER_MINUTE: 1, RATE_LIMIT_BURST: 10, RATE_LIMIT_ANONYMOUS_PER_MINUTE: 10 } });
    strictHub = await mountHub(strict.app, parseHubConfig({ subgraphs: [] }));
  });
  afterAll(async () => {
    await strictHub?.close();
    await strict?.close();
  });

  it('a caller gets as many hub requests as /graphql requests from one bucket', async () => {
    const { token } = await issueToken(knexOf(strict.orm), { username: 'reviewer.backan', name: 'rate' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${strict.url}${HUB_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { username } }' }) });
      const body = (await res.json()) as any;
      statuses.push(res.status === 200 && body.data?.me?.username === 'reviewer.backan' ? 200 : res.status);
    }
    // 10 answered, then 429 at the hub itself (not a subgraph error inside a 200).
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
  });

  it('a request that claims to come from the hub without its secret is counted like any other', async () => {
    const { token } = await issueToken(knexOf(strict.orm), { username: 'viewer.taichinh', name: 'forged hub' });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await fetch(`${strict.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [HUB_SECRET_HEADER]: 'x'.repeat(43) }, body: JSON.stringify({ query: '{ me { username } }' }) });
      statuses.push(res.status);
    }
    expect(statuses.filter((x) => x === 429)).toHaveLength(1);
  });
});

describe('CORS answers only configured origins', () => {
  const PATHS = ['/graphql', HUB_PATH, '/exports/figures.csv?root=P06-H01&years=2016', '/reports/1.xlsx'];

  it('a foreign origin gets no Access-Control-Allow-Origin, preflight or not', async () => {
    for (const path of PATHS) {
      const pre = await fetch(`${s.url}${path}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-csrf-token,authorization' } });
      expect(pre.headers.get('access-control-allow-origin'), `preflight ${path}`).toBeNull();
      expect(pre.headers.get('access-control-allow-credentials'), `preflight ${path}`).toBeNull();
      const get = await fetch(`${s.url}${path}`, { headers: { origin: 'https://evil.example', ...s.auth('viewer') } });
      expect(get.headers.get('access-control-allow-origin'), `GET ${path}`).toBeNull();
      await get.arrayBuffer();
    }
  });

  it('a configured origin gets the CORS headers for itself, with credentials', async () => {
    for (const path of PATHS) {
      const pre = await fetch(`${s.url}${path}`, { method: 'OPTIONS', headers: { origin: 'https://stats.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-csrf-token' } });
      expect(pre.status, path).toBe(204);
      expect(pre.headers.get('access-control-allow-origin'), path).toBe('https://stats.example');
      expect(pre.headers.get('access-control-allow-credentials'), path).toBe('true');
      expect(pre.headers.get('access-control-allow-headers')?.toLowerCase(), path).toContain('x-csrf-token');
      // A page may send its own request id and read the one the server logged under.
      expect(pre.headers.get('access-control-allow-headers')?.toLowerCase(), path).toContain('x-request-id');
      expect(pre.headers.get('vary') ?? '', path).toMatch(/origin/i);
      const get = await fetch(`${s.url}${path}`, { headers: { origin: 'https://stats.example', ...s.auth('viewer') } });
      expect(get.headers.get('access-control-expose-headers')?.toLowerCase(), `GET ${path}`).toContain('x-request-id');
      expect(get.headers.get('access-control-allow-origin'), `GET ${path}`).toBe('https://stats.example');
      expect(get.headers.get('access-control-allow-credentials'), `GET ${path}`).toBe('true');
      await get.arrayBuffer();
    }
  });

  it('an origin that only starts like a configured one is foreign', async () => {
    const r = await fetch(`${s.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://stats.example.evil.example', 'access-control-request-method': 'POST' } });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('downloads: a short-lived signed ticket instead of a CSRF token in the URL', () => {
  const EXPORT = '/exports/figures.json?root=P06-H01&years=2016&scenario=actual';
  const ticketFor = (path: string, auth: { cookie: string; csrf: string } | null, as: 'admin' | 'viewer' | 'anonymous' = 'viewer') =>
    post('/graphql', { query: 'mutation ($p: String!) { downloadTicket(path: $p) { url ticket expiresAt } }', variables: { p: path } },
      auth ? { cookie: auth.cookie, 'x-csrf-token': auth.csrf } : s.auth(as));

  it('refuses ?csrf= in a download URL with 400 BAD_REQUEST, even when it is the right token', async () => {
    const session = await signIn('viewer.taichinh', 'viewer-demo-2026');
    for (const path of [`${EXPORT}&csrf=${encodeURIComponent(session.csrf)}`, `/reports/1.xlsx?csrf=${encodeURIComponent(session.csrf)}`]) {
      const res = await fetch(`${s.url}${path}`, { headers: { cookie: session.cookie } });
      const body = (await res.json()) as any;
      expect(res.status, path).toBe(400);
      expect(body.code, path).toBe('BAD_REQUEST');
      expect(body.message).toMatch(/downloadTicket/);
    }
  });

  it('a session gets a ticket for a path; the link then works with no header at all, as that user', async () => {
    const session = await signIn('viewer.taichinh', 'viewer-demo-2026');
    const r = await ticketFor(EXPORT, session);
    expect(r.body.errors).toBeUndefined();
    const { url, ticket, expiresAt } = r.body.data.downloadTicket;
    expect(url).toBe(`${EXPORT}&ticket=${encodeURIComponent(ticket)}`);
    const life = Date.parse(expiresAt) - Date.now();
    expect(life).toBeGreaterThan(0);
    expect(life).toBeLessThanOrEqual(60_000);
    // Neither the CSRF token nor the session's secrets are in the URL.
    expect(url).not.toContain(session.csrf);
    expect(url).not.toContain(session.cookie.split('=')[1]);
    const res = await fetch(`${s.url}${url}`);
    expect(res.status).toBe(200);
    const json = (await res.json()) as { figures: { approved_by: string | null }[] };
    // The viewer reads approved values only: what the same viewer reads with its token.
    const byToken = (await (await fetch(`${s.url}${EXPORT}`, { headers: s.auth('viewer') })).json()) as typeof json;
    expect(json).toEqual(byToken);
    // With a cookie but no CSRF header, a plain link is still refused.
    expect((await fetch(`${s.url}${EXPORT}`, { headers: { cookie: session.cookie } })).status).toBe(403);
  });

  it('a ticket opens only its own path and query, and not after it expires or once tampered with', async () => {
    const r = await ticketFor(EXPORT, null);
    const { ticket } = r.body.data.downloadTicket;
    const t = encodeURIComponent(ticket);
    const refused = [
      `/exports/figures.json?root=TLD&years=2016&scenario=actual&ticket=${t}`,
      `/exports/figures.csv?root=P06-H01&years=2016&scenario=actual&ticket=${t}`,
      `${EXPORT}&indicators=members&ticket=${t}`,
      `/reports/1.xlsx?ticket=${t}`,
      `${EXPORT}&ticket=${encodeURIComponent(ticket.slice(0, -2) + (ticket.endsWith('AA') ? 'BB' : 'AA'))}`,
      `${EXPORT}&ticket=garbage`,
    ];
    for (const path of refused) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as any).code, path).toBe('UNAUTHENTICATED');
    }
    // The same query in another order is the same download.
    const reordered = await fetch(`${s.url}/exports/figures.json?scenario=actual&years=2016&root=P06-H01&ticket=${t}`);
    expect(reordered.status).toBe(200);
    await reordered.arrayBuffer();
    // Expired: signed with this server's key, for this user and path, a second ago.
    const [viewer] = await s.sql<{ id: number }>(`select id from app_user where username = 'viewer.taichinh'`);
    const expired = signDownloadTicket({ userId: Number(viewer!.id), path: EXPORT, expiresAt: Date.now() - 1_000 });
    expect((await fetch(`${s.url}${EXPORT}&ticket=${encodeURIComponent(expired)}`)).status).toBe(401);
    const fresh = signDownloadTicket({ userId: Number(viewer!.id), path: EXPORT, expiresAt: Date.now() + 30_000 });
    const ok = await fetch(`${s.url}${EXPORT}&ticket=${encodeURIComponent(fresh)}`);
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });

  it('only signed-in callers get tickets, only for download paths', async () => {
    expect(codesOf((await ticketFor(EXPORT, null, 'anonymous')).body)).toEqual(['UNAUTHENTICATED']);
    for (const path of ['/graphql?query={me{username}}', '/imports/apply?token=x', 'https://evil.example/exports/figures.csv', '//evil.example/exports/x', `${EXPORT}&ticket=x`, `/exports/${'a'.repeat(3000)}`]) {
      expect(codesOf((await ticketFor(path, null, 'admin')).body), path).toEqual(['VALIDATION']);
    }
    const report = await ticketFor('/reports/1.docx', null, 'admin');
    expect(report.body.data.downloadTicket.url).toMatch(/^\/reports\/1\.docx\?ticket=/);
  });

  it('several instances sharing DOWNLOAD_TICKET_SECRET accept each other’s tickets; another secret does not', () => {
    const a = createTicketSigner('shared secret of the instances, 32+ chars');
    const b = createTicketSigner('shared secret of the instances, 32+ chars');
    const c = createTicketSigner('another secret entirely, also 32+ chars!');
    const ticket = a.sign({ userId: 7, path: EXPORT, expiresAt: Date.now() + 60_000 });
    expect(b.verify(ticket, EXPORT)).toBe(7);
    expect(c.verify(ticket, EXPORT)).toBeNull();
    expect(b.verify(ticket, '/exports/figures.json?root=TLD')).toBeNull();
  });
});

describe('a cap on open SSE streams per caller', () => {
  const SUB = 'subscription { figuresChanged(root: "P06") { actor } }';

  it('the N+1-th concurrent subscription of one user is refused with 429 RATE_LIMITED; closing one frees a slot', async () => {
    // Two sessions and a token of the same user share one allowance.
    const one = await signIn('reporter.backan', 'reporter-demo-2026');
    const two = await signIn('reporter.backan', 'reporter-demo-2026');
    const open = [
      await openStream('/graphql', SUB, { cookie: one.cookie, 'x-csrf-token': one.csrf }),
      await openStream('/graphql', SUB, { cookie: two.cookie, 'x-csrf-token': two.csrf }),
      await openStream(HUB_PATH, SUB, program('reporter')),
    ];
    try {
      for (const o of open) expect(o.status).toBe(200);
      // Every stream carries an event: each is subscribed (the hub's upstream one too).
      await new Promise((r) => setTimeout(r, 300));
      await writeFunding(12);
      for (const o of open) expect((await o.next()).data.figuresChanged.actor).toBe('admin');
      const extra = await openStream('/graphql', SUB, program('reporter'));
      const refusal = await extra.next();
      extra.close();
      expect(extra.status).toBe(429);
      expect(codesOf(refusal)).toEqual(['RATE_LIMITED']);
      expect(refusal.errors[0].message).toMatch(/At most 3 subscriptions/);
      // Through the hub the stream is already open when our subgraph refuses: the refusal is its event.
      const extraViaHub = await openStream(HUB_PATH, SUB, program('reporter'));
      const hubEvent = await extraViaHub.next();
      extraViaHub.close();
      expect(codesOf(hubEvent)).toEqual(['RATE_LIMITED']);
      // Another user is not affected.
      const other = await openStream('/graphql', SUB, program('reviewer'));
      expect(other.status).toBe(200);
      other.close();
      // The open streams still carry events.
      await writeFunding(14);
      for (const o of open) expect((await o.next()).data.figuresChanged.actor).toBe('admin');
      // Closing one frees a slot (the server notices the closed connection; wait for it, bounded).
      open.shift()!.close();
      let accepted = false;
      for (let i = 0; i < 50 && !accepted; i++) {
        const again = await openStream('/graphql', SUB, program('reporter'));
        accepted = again.status === 200;
        if (accepted) open.push(again);
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(accepted).toBe(true);
    } finally {
      for (const o of open) o.close();
    }
  });
});

describe('server timeouts', () => {
  it('are set on the HTTP server from the settings', () => {
    expect(s.app.server.headersTimeout).toBe(STRICT.HEADERS_TIMEOUT_SECONDS * 1000);
    expect(s.app.server.requestTimeout).toBe(STRICT.REQUEST_TIMEOUT_SECONDS * 1000);
    expect(s.app.server.keepAliveTimeout).toBe(STRICT.KEEP_ALIVE_TIMEOUT_SECONDS * 1000);
  });

  it('cuts off a client that sends its headers slowly (slowloris) after HEADERS_TIMEOUT_SECONDS', async () => {
    const { port } = new URL(s.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    let closed = false;
    socket.on('data', (d) => (answer += d));
    socket.on('close', () => (closed = true));
    socket.on('error', () => {});
    await new Promise((ok) => socket.once('connect', ok));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    // One header line every 200 ms: never done. 40 lines would take 8 s, the timeout is 1 s.
    let lines = 0;
    while (!closed && lines < 40) {
      await new Promise((r) => setTimeout(r, 200));
      if (!closed) socket.write(`X-Slow-${lines++}: ${'a'.repeat(10)}\r\n`);
    }
    socket.destroy();
    expect(closed).toBe(true);
    expect(lines).toBeLessThan(40);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('does not cut an SSE stream that outlives REQUEST_TIMEOUT_SECONDS', async () => {
    const sub = await openStream('/graphql', 'subscription { figuresChanged(root: "P06") { figures { value } } }', program('reviewer'));
    try {
      expect(sub.status).toBe(200);
      await new Promise((r) => setTimeout(r, (STRICT.REQUEST_TIMEOUT_SECONDS + 1.5) * 1000));
      await writeFunding(13);
      expect((await sub.next()).data.figuresChanged.figures).toEqual([{ value: 13 }]);
    } finally {
      sub.close();
    }
  });
});
