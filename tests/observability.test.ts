/**
 * Logs, metrics and graceful shutdown (issue 17) on `pnpm start`'s server (server/src/main.ts) as a
 * child process, with its stdout captured: one JSON line per request with its id, operation,
 * duration and error codes — never a password or token; the hub's request id in its subgraph's
 * line too; /metrics behind its token with bounded labels; and SIGTERM in the middle of writes
 * losing none that was answered, the process exiting 0 within its grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './harness.js';
import { REPO_ROOT, type DatabaseTarget } from '../server/src/config.js';
import { rawRows } from '../server/src/domain/db.js';
import { withDb } from '../server/src/domain/backup.js';
import { KNOWN_OPERATIONS, serveMetrics } from '../server/src/observability/metrics.js';
import { FindUnionsQuery, SetFiguresMutation } from '../schema/src/documents/index.js';

const METRICS_TOKEN = 'scrape-token-of-the-observability-test';
const GRACE_MS = 15_000;
const PASSWORD = 'admin-demo-2026';
const FIND_UNIONS = print(FindUnionsQuery);
const SET_FIGURES = print(SetFiguresMutation);

let child: ChildProcess;
let output = '';
let url = '';
let target: DatabaseTarget;
let drop: () => Promise<void>;
let dir: string;
let exited: Promise<number | null>;
/** The admin's browser session, signed in with the real password. */
let session = { cookie: '', csrf: '', token: '' };

interface Line { msg: string; reqId?: string; path?: string; status?: number; caller?: string | null; operation?: string | null; durationMs?: number; codes?: string[]; [k: string]: unknown }
const lines = (): Line[] => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
const requestLines = (id: string) => lines().filter((l) => l.msg === 'request' && l.reqId === id);

beforeAll(async () => {
  const db = await freshDatabase({ seeded: true });
  target = db.target;
  drop = db.drop;
  dir = mkdtempSync(join(tmpdir(), 'unionhub-obs-'));
  writeFileSync(join(dir, 'hub.json'), JSON.stringify({ subgraphs: [] }));
  child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env, DATABASE_URL: target.location, PORT: '0', HUB_CONFIG: join(dir, 'hub.json'), LOG_LEVEL: 'info',
      METRICS_TOKEN, SHUTDOWN_GRACE_MS: String(GRACE_MS),
      RATE_LIMIT_PER_MINUTE: '1000000000', RATE_LIMIT_BURST: '1000000000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  exited = new Promise((ok) => child.once('exit', (code) => ok(code)));
  // Started: the hub is mounted after the app listens (expect.poll is for tests, not hooks).
  const deadline = Date.now() + 90_000;
  while (child.exitCode === null && !lines().some((l) => /^federation hub at /.test(l.msg)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (child.exitCode !== null || !lines().some((l) => /^federation hub at /.test(l.msg))) throw new Error(`the server did not start:\n${output}`);
  url = /http:\/\/localhost:(\d+)\//.exec(lines().find((l) => /^UnionHub on /.test(l.msg))!.msg)![0].replace('localhost', '127.0.0.1').replace(/\/$/, '');

  const signIn = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation SignIn($u: String!, $p: String!) { signIn(username: $u, password: $p) { csrfToken } }', variables: { u: 'admin', p: PASSWORD } }),
  });
  const cookies = signIn.headers.getSetCookie().map((c) => c.split(';')[0]!);
  session = {
    cookie: cookies.join('; '),
    csrf: ((await signIn.json()) as { data: { signIn: { csrfToken: string } } }).data.signIn.csrfToken,
    token: cookies.find((c) => c.startsWith('uh_session='))!.split('=')[1]!,
  };
  expect(session.token.length).toBeGreaterThan(10);
});

afterAll(async () => {
  if (child?.exitCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  await drop?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf, ...headers },
    body: JSON.stringify(body),
  });
  return { res, body: (await res.json()) as { data?: any; errors?: { extensions: { code: string } }[] } };
}

const metrics = async (headers: Record<string, string> = { authorization: `Bearer ${METRICS_TOKEN}` }) => fetch(`${url}/metrics`, { headers });
/** The value of one series in Prometheus text, 0 when absent. */
const sample = (text: string, series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ')[1] ?? 0);

describe('request logs', () => {
  it('logs one JSON line per request with its id, caller, operation, duration and codes — never the password or session', async () => {
    const id = `obs-test-${Date.now()}`;
    const read = await post('/graphql', { query: FIND_UNIONS, variables: { text: 'Bắc Kạn', limit: 5 } }, { 'x-request-id': id });
    expect(read.res.headers.get('x-request-id')).toBe(id);
    expect(read.body.errors).toBeUndefined();
    // A refused write: its codes are in the line.
    const badId = `obs-bad-${Date.now()}`;
    const bad = await post('/graphql', { query: SET_FIGURES, variables: { cells: [{ unionCode: 'NO-SUCH', indicatorCode: 'members', year: 2018, scenario: 'ACTUAL', value: 1, expectedVersion: 0 }] } }, { 'x-request-id': badId });
    const codes = bad.body.errors!.map((e) => e.extensions.code);
    expect(codes.length).toBeGreaterThan(0);
    // Refused before GraphQL (413 here; 429 and 415 answer the same way): the code is on the line too.
    const bigId = `obs-big-${Date.now()}`;
    const big = await post('/graphql', { query: FIND_UNIONS, variables: { text: 'x'.repeat(2 * 1024 * 1024 + 1), limit: 1 } }, { 'x-request-id': bigId });
    expect(big.res.status).toBe(413);
    // An id that is not well-formed is replaced, not echoed.
    const odd = await post('/graphql', { query: FIND_UNIONS, variables: { text: 'x', limit: 1 } }, { 'x-request-id': 'no good' });
    expect(odd.res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    await expect.poll(() => requestLines(id).length + requestLines(badId).length).toBe(2);
    expect(requestLines(id)[0]).toMatchObject({ path: '/graphql', status: 200, caller: 'admin', operation: 'FindUnions', codes: [] });
    expect(requestLines(id)[0]!.durationMs).toBeTypeOf('number');
    expect(requestLines(badId)[0]).toMatchObject({ caller: 'admin', operation: 'SetFigures', codes: [...new Set(codes)] });
    await expect.poll(() => requestLines(bigId).length).toBe(1);
    expect(requestLines(bigId)[0]).toMatchObject({ path: '/graphql', status: 413, codes: ['TOO_LARGE'] });
    // The sign-in's line is there too, and nothing anywhere carries a credential.
    expect(lines().some((l) => l.msg === 'request' && l.operation === 'SignIn')).toBe(true);
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(session.token);
    expect(output).not.toContain(session.csrf);
  });

  it('carries the hub request id to the subgraph it calls: one id in both lines', async () => {
    const id = `obs-hub-${Date.now()}`;
    // With a field of the supergraph's own (introspection) the query is the gateway's, which calls our subgraph for the rest.
    const viaGateway = FIND_UNIONS.replace('findUnions(', '__schema { queryType { name } } findUnions(');
    const r = await post('/hub/graphql', { query: viaGateway, variables: { text: 'Bắc Kạn', limit: 5 } }, { 'x-request-id': id });
    expect(r.body.errors).toBeUndefined();
    expect(r.res.headers.get('x-request-id')).toBe(id);
    await expect.poll(() => requestLines(id).map((l) => l.path).sort()).toEqual(['/graphql', '/hub/graphql']);
    expect(requestLines(id).find((l) => l.path === '/graphql')).toMatchObject({ caller: 'admin', operation: 'FindUnions' });
    // The hub authenticates nobody itself: its line names the caller our subgraph found.
    expect(requestLines(id).find((l) => l.path === '/hub/graphql')).toMatchObject({ caller: 'admin', operation: 'FindUnions' });
    expect(output).not.toContain(session.token);
  });

  it('a query wholly ours is served at the hub\'s door by our /graphql: one line, at /hub/graphql, with the caller and the operation', async () => {
    const id = `obs-hub-own-${Date.now()}`;
    const r = await post('/hub/graphql', { query: FIND_UNIONS, variables: { text: 'Bắc Kạn', limit: 5 } }, { 'x-request-id': id });
    expect(r.body.errors).toBeUndefined();
    expect(r.res.headers.get('x-request-id')).toBe(id);
    await expect.poll(() => requestLines(id).map((l) => l.path)).toEqual(['/hub/graphql']);
    expect(requestLines(id)[0]).toMatchObject({ caller: 'admin', operation: 'FindUnions', status: 200 });
  });
});

describe('/metrics', () => {
  it('refuses a scrape without the token (401), and answers 404 where no token is configured', async () => {
    const none = await metrics({});
    expect(none.status).toBe(401);
    expect(await none.text()).toMatch(/METRICS_TOKEN/);
    expect((await metrics({ authorization: 'Bearer not-the-token' })).status).toBe(401);
    // The app's handler with METRICS_TOKEN unset.
    const server: Server = createServer((req, res) => void serveMetrics(req, res, undefined, null));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('shows the operations just run, writes, re-checks, group sizes, streams, the pool and the outbox', async () => {
    const before = await (await metrics()).text();
    const series = 'unionhub_graphql_request_duration_seconds_count{operation="FindUnions",endpoint="/graphql"}';
    await post('/graphql', { query: FIND_UNIONS, variables: { text: 'Bắc', limit: 3 } });
    const write = await post('/graphql', { query: SET_FIGURES, variables: { cells: [{ unionCode: 'P06-H01', indicatorCode: 'members', year: 2018, scenario: 'ACTUAL', value: 7, expectedVersion: 0 }] } });
    expect(write.body.errors).toBeUndefined();
    const res = await metrics();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, series)).toBe(sample(before, series) + 1);
    expect(text).toMatch(/unionhub_graphql_request_duration_seconds_bucket\{le="0\.005",operation="FindUnions",endpoint="\/graphql"\}/);
    expect(sample(text, 'unionhub_graphql_request_duration_seconds_count{operation="FindUnions",endpoint="/hub/graphql"}')).toBeGreaterThanOrEqual(1);
    for (const name of ['unionhub_write_duration_seconds_count', 'unionhub_recheck_duration_seconds_count', 'unionhub_write_group_batches_count']) {
      expect(sample(text, name), name).toBeGreaterThan(sample(before, name));
    }
    expect(text).toMatch(/^unionhub_sse_streams \d+$/m);
    expect(text).toMatch(/^unionhub_db_pool_connections\{state="used"\} \d+$/m);
    expect(text).toMatch(/^unionhub_mail_outbox_due \d+$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('collapses 1,000 invented operation names into one label', async () => {
    const names = Array.from({ length: 1_000 }, (_, i) => `Invented_${i}_${Math.random().toString(36).slice(2, 10)}`);
    for (let i = 0; i < names.length; i += 10) {
      const batch = names.slice(i, i + 10).map((n) => ({ query: `query ${n} { __typename }`, operationName: n }));
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      expect(res.status).toBe(200);
    }
    const text = await (await metrics()).text();
    const labels = new Set([...text.matchAll(/^unionhub_graphql_request_duration_seconds_count\{operation="([^"]*)"/gm)].map((m) => m[1]!));
    expect([...labels].filter((l) => l.startsWith('Invented_'))).toEqual([]);
    expect(labels.size).toBeLessThanOrEqual(KNOWN_OPERATIONS.size + 1);
    expect(sample(text, 'unionhub_graphql_request_duration_seconds_count{operation="other",endpoint="/graphql"}')).toBeGreaterThanOrEqual(1_000);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM during writes: every answered write is in the database, streams get a retry hint, exit 0', async () => {
    const WRITERS = ['P06-H01', 'P06-H02', 'P06-H03', 'P06-H04', 'P06-H05'];
    const marker = (w: number, r: number) => (w + 1) * 10_000 + r;
    // A live stream, read raw: it must end with a `retry:` field.
    const stream = await fetch(`${url}/graphql?query=${encodeURIComponent('subscription { figuresChanged { actor } }')}`, {
      headers: { accept: 'text/event-stream', cookie: session.cookie, 'x-csrf-token': session.csrf, 'x-graphql-yoga-csrf': '1' },
    });
    expect(stream.status).toBe(200);
    // Read chunk by chunk: the server cuts the connection after the hint, so the body as a whole would be lost.
    let raw = '';
    const streamText = (async () => {
      const reader = stream.body!.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        raw += decoder.decode(value, { stream: true });
      }
    })().catch(() => undefined);

    const answered: number[] = [];
    let refused = 0;
    const writers = WRITERS.map(async (unionCode, w) => {
      for (let r = 1; ; r++) {
        try {
          const { res, body } = await post('/graphql', { query: SET_FIGURES, variables: { cells: [{ unionCode, indicatorCode: 'workers', year: 2018, scenario: 'ACTUAL', value: marker(w, r), expectedVersion: r - 1 }] } });
          if (res.status !== 200 || body.errors) throw new Error(JSON.stringify(body.errors));
          answered.push(marker(w, r));
        } catch {
          refused++; // the server has stopped listening (or cut the request): this writer stops
          return;
        }
      }
    });
    await expect.poll(() => answered.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(25);
    child.kill('SIGTERM');
    const code = await exited;
    await Promise.all(writers);
    expect(code, output).toBe(0);
    expect(lines().find((l) => l.msg === 'stopped')).toMatchObject({ clean: true });
    // Whatever was in flight when the shutdown began was finished and answered, not cut.
    const all = lines();
    const begun = all.findIndex((l) => l.msg === 'shutting down');
    const finishing = all.slice(begun).filter((l) => l.msg === 'request' && !l.stream);
    expect(finishing.length).toBeGreaterThanOrEqual(all[begun]!.inFlight as number);
    expect(finishing.filter((l) => l.status !== 200 || l.aborted)).toEqual([]);
    // The writers were still writing when the server stopped: each was turned away at the end.
    expect(refused).toBe(WRITERS.length);
    await streamText;
    expect(raw).toMatch(/^retry: \d+$/m);

    const stored = await withDb(target, (db) =>
      rawRows(db, `select r.after_value as v from figure_revision r join figure f on f.id = r.figure_id join trade_union u on u.id = f.union_id
        join indicator i on i.id = f.indicator_id where i.code = 'workers' and f.year = 2018 and f.scenario = 'actual' and u.code in (${WRITERS.map(() => '?').join(',')})`, WRITERS),
    );
    const values = new Set(stored.map((x) => Number(x.v)));
    expect(answered.filter((v) => !values.has(v))).toEqual([]);
    expect(answered.length).toBeGreaterThanOrEqual(25);
  });
});
