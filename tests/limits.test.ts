/**
 * Request limits, rate limiting, masking and input bounds, through the real server: every refusal
 * comes with its code and leaves the database as it was.
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@unionhub/schema';
import { startTestServer, type TestServer } from './harness.js';
import { LIMITS, readLimits } from '../server/src/config.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ limits: { MAX_BODY_BYTES: 200_000 } });
});
afterAll(() => s.close());

async function post(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...s.auth('admin'), ...headers }, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const codes = (r: { errors?: { extensions: { code: string } }[] }) => (r.errors ?? []).map((e) => e.extensions.code);

async function checksum() {
  const [f] = await s.sql<{ n: number; v: number }>('select count(*) as n, sum(version) as v from figure');
  const [r] = await s.sql<{ n: number }>('select count(*) as n from figure_revision');
  return { figures: Number(f!.n), versions: Number(f!.v), revisions: Number(r!.n) };
}

describe('query limits', () => {
  it('refuses a query nested deeper than MAX_QUERY_DEPTH', async () => {
    let q = '{ code }';
    for (let i = 0; i < LIMITS.MAX_QUERY_DEPTH; i++) q = `{ children ${q} }`;
    const r = await s.gql(`{ union(code: "TLD") ${q} }`);
    expect(codes(r)).toContain('QUERY_TOO_DEEP');
    expect(r.data ?? null).toBeNull();
  });

  it('follows fragments when measuring depth', async () => {
    const frags = Array.from({ length: LIMITS.MAX_QUERY_DEPTH }, (_, i) => `fragment F${i} on Union { children { ${i + 1 < LIMITS.MAX_QUERY_DEPTH ? `...F${i + 1}` : 'code'} } }`).join('\n');
    const r = await s.gql(`{ union(code: "TLD") { ...F0 } }\n${frags}`);
    expect(codes(r)).toContain('QUERY_TOO_DEEP');
  });

  it('refuses more aliases than MAX_ALIASES', async () => {
    const r = await s.gql(`{ ${Array.from({ length: LIMITS.MAX_ALIASES + 1 }, (_, i) => `a${i}: me { username }`).join(' ')} }`);
    expect(codes(r)).toEqual(['TOO_MANY_ALIASES']);
  });

  it('refuses a query whose estimated cost is over MAX_COMPLEXITY (lists multiply)', async () => {
    const r = await s.gql('{ unions(limit: 5000) { children { children { code name } } } }');
    expect(codes(r)).toEqual(['TOO_COMPLEX']);
    expect(r.errors![0]!.message).toMatch(/about \d+ fields/);
  });

  it('refuses a document with more than MAX_TOKENS tokens', async () => {
    const r = await s.gql(`{ ${'me { username } '.repeat(Math.ceil(LIMITS.MAX_TOKENS / 4))} }`);
    expect(codes(r)).toEqual(['TOO_COMPLEX']);
  });

  it('lets through what the client and tools really send: the introspection query and the sheet’s largest read', async () => {
    const intro = await s.gql(getIntrospectionQuery());
    expect(intro.errors).toBeUndefined();
    expect(intro.data!.__schema.queryType.name).toBe('Query');
    const sheet = await s.gql('query ($s: Scenario!) { discrepancies(root: "TLD", scenario: $s, states: [OPEN, EXPLAINED], limit: 5000) { union { code } indicator { code } year rule { labelVi labelEn } difference message } }', { s: 'ACTUAL' });
    expect(sheet.errors).toBeUndefined();
  });

  it('answers a batch of up to MAX_BATCH_OPERATIONS operations and refuses a longer one', async () => {
    const ok = await post(JSON.stringify([{ query: '{ me { username } }' }, { query: '{ indicator(code: "members") { code } }' }]));
    expect(ok.body).toEqual([{ data: { me: { username: 'admin' } } }, { data: { indicator: { code: 'members' } } }]);
    const many = await post(JSON.stringify(Array.from({ length: LIMITS.MAX_BATCH_OPERATIONS + 1 }, () => ({ query: '{ me { username } }' }))));
    expect(many.status).toBeLessThan(500);
    expect(codes(many.body)).toEqual(['BATCH_TOO_LARGE']);
  });

  it('refuses a setFigures batch over MAX_CELLS_PER_WRITE before writing anything', async () => {
    const before = await checksum();
    const cells = Array.from({ length: LIMITS.MAX_CELLS_PER_WRITE + 1 }, (_, i) => ({ unionCode: 'P06-H01', indicatorCode: 'members', year: 2013 + (i % 5), scenario: 'ACTUAL', value: i, expectedVersion: 0 }));
    // This body is larger than the 200 kB this server allows: use one with the default limit.
    const big = await startTestServer();
    try {
      const r = await big.gql('mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }', { c: cells });
      expect(codes(r)).toEqual(['VALIDATION']);
      expect(r.errors![0]!.message).toMatch(String(LIMITS.MAX_CELLS_PER_WRITE));
    } finally {
      await big.close();
    }
    expect(await checksum()).toEqual(before);
  });
});

describe('request size', () => {
  it('refuses a body declared larger than MAX_BODY_BYTES with 413 before reading it', async () => {
    const r = await post(JSON.stringify({ query: '{ me { username } }', variables: { pad: 'x'.repeat(250_000) } }));
    expect(r.status).toBe(413);
    expect(codes(r.body)).toEqual(['TOO_LARGE']);
  });

  it('counts the bytes of a body sent without Content-Length (chunked) and refuses it past the limit', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...s.auth('admin') } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.write('{"query": "{ me { username } }", "variables": {"pad": "');
      let sent = 0;
      const chunk = 'y'.repeat(16_384);
      const pump = () => {
        while (sent < 400_000) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end('"}}');
      };
      pump();
    }).catch((e: Error) => ({ status: 413, body: JSON.stringify({ errors: [{ extensions: { code: `socket closed: ${e.message}` } }] }) }));
    expect(status).toBe(413);
    expect(JSON.parse(body).errors[0].extensions.code).toBe('TOO_LARGE');
  });

  /** The body of a chunked message, or null while its last chunk has not arrived. */
  function unchunk(text: string): string | null {
    let body = '';
    for (let at = 0; ; ) {
      const line = text.indexOf('\r\n', at);
      if (line < 0) return null;
      const size = parseInt(text.slice(at, line), 16);
      if (size === 0) return text.indexOf('\r\n', line + 2) < 0 ? null : body;
      if (text.length < line + 2 + size + 2) return null;
      body += text.slice(line + 2, line + 2 + size);
      at = line + 2 + size + 2;
    }
  }

  /** The next HTTP response on a raw socket: its status and body (Content-Length framed or chunked). */
  function nextResponse(socket: Socket): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      let text = '';
      const onData = (d: Buffer) => {
        text += d.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = text.slice(0, end);
        const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
        const body = length === undefined ? unchunk(text.slice(end + 4)) : text.length < end + 4 + Number(length) ? null : text.slice(end + 4, end + 4 + Number(length));
        if (body === null) return;
        socket.off('data', onData).off('error', reject).off('close', closed);
        resolve({ status: Number(head.slice(9, 12)), body });
      };
      const closed = () => reject(new Error(`the connection closed before a whole response: ${JSON.stringify(text.slice(0, 200))}`));
      socket.on('data', onData).once('error', reject).once('close', closed);
    });
  }

  /** Opens a raw connection and sends a POST's head declaring `length` bytes of body. */
  async function declareBody(length: number): Promise<Socket> {
    const { hostname, port } = new URL(s.url);
    const socket = connect(Number(port), hostname);
    await new Promise((ok) => socket.once('connect', ok));
    const auth = Object.entries(s.auth('admin') as Record<string, string>).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n${auth}\r\n`);
    return socket;
  }

  it('a refused oversized body: the client reads the 413, sends the rest, and the same connection answers its next request', async () => {
    const socket = await declareBody(400_000);
    const refused = await nextResponse(socket);
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('TOO_LARGE');
    // The client only now sends the body it declared (a browser uploading a large file does the same).
    await new Promise<void>((ok, fail) => socket.write('x'.repeat(400_000), (e) => (e ? fail(e) : ok())));
    socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
    const next = await nextResponse(socket);
    expect(next.status).toBe(200);
    socket.destroy();
  });

  it('a client that declares a large body and then sends nothing is closed after the linger, not kept', async () => {
    const socket = await declareBody(400_000);
    expect((await nextResponse(socket)).status).toBe(413);
    socket.on('error', () => undefined);
    await new Promise((ok) => socket.once('close', ok));
    expect(socket.destroyed).toBe(true);
  }, 20_000);

  it('still answers a body under the limit', async () => {
    const r = await post(JSON.stringify({ query: '{ me { username } }', variables: { pad: 'x'.repeat(150_000) } }));
    expect(r.status).toBe(200);
    expect(r.body.data.me.username).toBe('admin');
  });
});

describe('input bounds (zod at the edge)', () => {
  it('refuses over-long or malformed arguments with VALIDATION naming the field, before any work', async () => {
    const before = await checksum();
    const cases: [string, Record<string, unknown>, string][] = [
      ['mutation ($p: String!) { signIn(username: "admin", password: $p) { csrfToken } }', { p: 'p'.repeat(100_000) }, 'password'],
      ['mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }', { c: [{ unionCode: '<script>', indicatorCode: 'members', year: 2016, scenario: 'ACTUAL', value: 1, expectedVersion: 1 }] }, 'cells.0.unionCode'],
      ['mutation ($r: String) { setFigures(cells: [], reason: $r) { figures { version } } }', { r: 'r'.repeat(5_000) }, 'reason'],
      ['{ grid(root: "TLD", years: [2016, 3016]) { columns { year } } }', {}, 'years.1'],
      ['query ($q: String) { unions(search: $q) { code } }', { q: 'q'.repeat(1_000) }, 'search'],
      ['query ($l: Int!) { discrepancies(root: "TLD", limit: $l) { id } }', { l: 100_000_000 }, 'limit'],
      ['mutation ($t: String!) { commentFigure(cell: { unionCode: "P06-H01", indicatorCode: "members", year: 2016, scenario: ACTUAL }, text: $t) { version } }', { t: 't'.repeat(5_000) }, 'text'],
    ];
    for (const [query, vars, field] of cases) {
      const r = await s.gql(query, vars, { as: 'admin' });
      expect(codes(r), query).toEqual(['VALIDATION']);
      expect(r.errors![0]!.extensions.fields).toContain(field);
    }
    expect(await checksum()).toEqual(before);
  });

  it('reads its limits from the environment through zod, and refuses a bad value by name', () => {
    expect(readLimits({ MAX_QUERY_DEPTH: '7' }).MAX_QUERY_DEPTH).toBe(7);
    expect(readLimits({}).MAX_BODY_BYTES).toBe(2 * 1024 * 1024);
    expect(() => readLimits({ MAX_ALIASES: 'many' })).toThrow(/MAX_ALIASES/);
    expect(() => readLimits({ RATE_LIMIT_BURST: '0' })).toThrow(/RATE_LIMIT_BURST/);
  });
});

describe('rate limiting', () => {
  it('limits each token with a bucket (429, RATE_LIMITED, Retry-After) without touching other callers', async () => {
    const limited = await startTestServer({ limits: { RATE_LIMIT_PER_MINUTE: 60, RATE_LIMIT_BURST: 5, RATE_LIMIT_ANONYMOUS_PER_MINUTE: 60 } });
    try {
      const call = (as: 'admin' | 'viewer' | 'anonymous') =>
        fetch(`${limited.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...limited.auth(as) }, body: JSON.stringify({ query: '{ me { username } }' }) });
      for (let i = 0; i < 5; i++) expect((await call('admin')).status).toBe(200);
      const over = await call('admin');
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await over.json()) as any;
      expect(body.errors[0].extensions.code).toBe(ERROR_CODES.RATE_LIMITED);
      // Another token has its own bucket; the health check is never limited.
      expect((await call('viewer')).status).toBe(200);
      for (let i = 0; i < 10; i++) expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
      // Anonymous callers share their address's bucket.
      const anon = [];
      for (let i = 0; i < 7; i++) anon.push((await call('anonymous')).status);
      expect(anon.slice(0, 5).every((x) => x !== 429)).toBe(true);
      expect(anon.at(-1)).toBe(429);
      // The bucket refills (one request per second here).
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await call('admin')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('masking', () => {
  it('answers an unexpected fault with INTERNAL and a plain message: no stack, no original error, no SQL', async () => {
    // A real fault: the comment table disappears under the running server (this file's own copy).
    await s.sql('alter table comment rename to comment_gone');
    try {
      const r = await s.gql('{ figure(unionCode: "P06-H01", indicatorCode: "members", year: 2016, scenario: ACTUAL) { comments { text } } }');
      expect(codes(r)).toEqual(['INTERNAL']);
      const text = JSON.stringify(r.errors);
      for (const leak of ['stack', 'originalError', 'exception', 'comment', 'select', 'SQLITE', 'at ']) expect(text).not.toContain(leak);
    } finally {
      await s.sql('alter table comment_gone rename to comment');
    }
  });

  it('gives every refusal of a malformed request a code and no internals', async () => {
    for (const body of ['{bad json', '', '"x"', '{"query": 5}', '{"query": "{ nope }"}', '{"query": "{ union(code: 5) { code } }"}', '{"query": "query($c: String!) { union(code: $c) { code } }", "variables": {"c": 5}}']) {
      const r = await post(body);
      expect(r.status, body).toBeLessThan(500);
      expect(r.body.errors.length, body).toBeGreaterThan(0);
      for (const e of r.body.errors) {
        expect(Object.keys(ERROR_CODES), body).toContain(e.extensions.code);
        expect(Object.keys(e.extensions).filter((k) => ['stack', 'originalError', 'exception'].includes(k)), body).toEqual([]);
      }
    }
  });
});
