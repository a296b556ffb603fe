/**
 * Several instances behave as one (issue 17): two real server processes on one PostgreSQL behind a
 * real HAProxy (Debian's package, round robin; it names the instance that answered in
 * `x-served-by`). A write through one reaches a subscription held by the other; a revoked token or
 * grant is refused at once by the other; sign-in failures and request buckets count across both.
 * On SQLite (one instance by design) only the splitting of events into notifications is checked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventPayloads } from '../server/src/cluster.js';
import type { FigureRow } from '../server/src/domain/figures.js';
import { issueToken } from '../server/src/domain/auth.js';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { databaseKind, freshDatabase } from './harness.js';
import { openSse } from './sse.js';

const root = resolve(import.meta.dirname, '..');
const ANONYMOUS_PER_MINUTE = 40;
const FREE_FAILURES = 5;

describe('events as notifications', () => {
  it('splits an event too large for one NOTIFY into valid events that together carry every row once', () => {
    const figure = (i: number) => ({ id: i, unionId: 1, unionPath: '/TLD/P06/', indicatorCode: 'members', year: 2017, scenario: 'actual', value: i, status: 'submitted', version: 1, updatedBy: 'admin', updatedAt: '2017-12-01T00:00:00.000Z', proposedValue: null, proposedBy: null, proposedAt: null, approvedBy: null, approvedAt: null }) as unknown as FigureRow;
    const figures = Array.from({ length: 500 }, (_, i) => figure(i));
    const payloads = eventPayloads('me', { kind: 'figuresChanged', actor: 'admin', figures }, 7000);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(7000);
    const carried = payloads.flatMap((p) => JSON.parse(p).event.figures.map((f: FigureRow) => f.id));
    expect(carried).toEqual(figures.map((f) => f.id));
    expect(() => eventPayloads('me', { kind: 'reportProgress', jobId: 'x'.repeat(8000), stage: 's', fraction: 0 }, 7000)).toThrow(/does not fit/);
  });
});

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output()}`);
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered: ${output()}`);
}

function start(command: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

describe.runIf(databaseKind() === 'postgresql')('two instances on one PostgreSQL behind HAProxy', () => {
  let proxyUrl = '';
  const processes: ChildProcess[] = [];
  let dir = '';
  let drop = async () => {};
  let adminToken = '';
  let reviewer = { token: '', tokenId: 0 };

  beforeAll(async () => {
    const db = await freshDatabase({ seeded: true });
    drop = db.drop;
    const orm = await openDatabase(db.target);
    const knex = knexOf(orm);
    adminToken = (await issueToken(knex, { username: 'admin', name: 'cluster test' })).token;
    const issued = await issueToken(knex, { username: 'reviewer.backan', name: 'cluster test' });
    reviewer = { token: issued.token, tokenId: issued.info.id };
    await orm.close();

    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      const server = start(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
        PORT: String(port), DATABASE_URL: db.target.location,
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS_PER_MINUTE), SIGNIN_FREE_FAILURES: String(FREE_FAILURES),
      });
      processes.push(server.child);
      await waitFor(`http://127.0.0.1:${port}/healthz`, server.child, server.output);
    }
    const proxyPort = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'unionhub-haproxy-'));
    writeFileSync(join(dir, 'haproxy.cfg'), [
      'global', '  maxconn 2000',
      'defaults', '  mode http', '  timeout connect 5s', '  timeout client 60s', '  timeout server 60s', '  timeout tunnel 1h',
      'frontend unionhub', `  bind 127.0.0.1:${proxyPort}`, '  default_backend instances',
      // Round robin per request; the answering instance named in a response header.
      'backend instances', '  balance roundrobin', '  http-response set-header x-served-by %[srv_name]',
      `  server one 127.0.0.1:${ports[0]}`, `  server two 127.0.0.1:${ports[1]}`, '',
    ].join('\n'));
    const proxy = start('haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db'], {});
    processes.push(proxy.child);
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    await waitFor(`${proxyUrl}/healthz`, proxy.child, proxy.output);
  }, 300_000);

  afterAll(async () => {
    for (const p of processes) {
      p.kill('SIGTERM');
      await new Promise((r) => (p.exitCode === null ? p.once('exit', r) : r(null)));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    await drop();
  });

  /** A GraphQL request through the proxy: its answer and which instance gave it. */
  async function gql(query: string, variables: Record<string, unknown> = {}, token: string | null = adminToken) {
    const res = await fetch(`${proxyUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, servedBy: res.headers.get('x-served-by'), body: (await res.json()) as { data?: any; errors?: { extensions: { code: string } }[] } };
  }

  /** Ask until an answer comes from `instance` (round robin: within a few); every answer is kept. */
  async function until(instance: string | null, ask: () => ReturnType<typeof gql>) {
    const answers: Awaited<ReturnType<typeof gql>>[] = [];
    for (let i = 0; i < 8; i++) {
      const a = await ask();
      answers.push(a);
      if (instance === null || a.servedBy === instance) return answers;
    }
    throw new Error(`no answer from ${instance} in 8 requests`);
  }
  const other = (instance: string | null) => (instance === 'one' ? 'two' : 'one');

  it('a write through one instance reaches a subscription held by the other', async () => {
    const query = 'subscription { figuresChanged(root: "P06") { actor figures { unionCode indicatorCode year value } } }';
    const sub = await openSse(`${proxyUrl}/graphql`, query, { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${adminToken}` });
    const holder = sub.header('x-served-by');
    expect(sub.status).toBe(200);
    const received: number[] = [];
    void (async () => {
      for (let e = await sub.next(); e !== null; e = await sub.next()) for (const f of e.data?.figuresChanged?.figures ?? []) received.push(f.value);
    })();
    await new Promise((r) => setTimeout(r, 300));
    try {
      const read = 'query { figure(unionCode: "P06", indicatorCode: "members", year: 2017, scenario: ACTUAL) { version } }';
      const write = 'mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells, reason: "cluster") { figures { version } } }';
      let value = 912_000;
      const written = await until(other(holder), async () => {
        const version = (await gql(read)).body.data.figure?.version ?? 0;
        value++;
        const w = await gql(write, { cells: [{ unionCode: 'P06', indicatorCode: 'members', year: 2017, scenario: 'ACTUAL', value, expectedVersion: version }] });
        // A read and a write per try: one more request moves the round robin's turn.
        if (w.servedBy === holder) await gql('{ __typename }');
        return w;
      });
      for (const w of written) expect(w.body.errors).toBeUndefined();
      expect(written.at(-1)!.servedBy).not.toBe(holder);
      await expect.poll(() => received).toContain(value);
    } finally {
      sub.close();
    }
  });

  it('a token revoked on one instance is refused at once on the other, and so is a revoked grant', async () => {
    const me = () => gql('{ me { username grants { id role } } }', {}, reviewer.token);
    // Both instances know the token (each has it in its caller cache now).
    const before = [...(await until('one', me)), ...(await until('two', me))];
    for (const a of before) expect(a.body.data.me.username).toBe('reviewer.backan');
    const grantId = before[0]!.body.data.me.grants[0].id as number;

    const revokedGrant = await gql('mutation ($id: Int!) { revokeRole(grantId: $id) }', { id: grantId });
    expect(revokedGrant.body.errors).toBeUndefined();
    const afterGrant = await until(other(revokedGrant.servedBy), me);
    for (const a of afterGrant) expect(a.body.data.me.grants.map((g: { id: number }) => g.id)).not.toContain(grantId);

    const revokedToken = await gql('mutation ($id: Int!) { revokeToken(id: $id) }', { id: reviewer.tokenId });
    expect(revokedToken.body.errors).toBeUndefined();
    const afterToken = await until(other(revokedToken.servedBy), me);
    expect(afterToken.at(-1)!.servedBy).toBe(other(revokedToken.servedBy));
    for (const a of afterToken) expect(a.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('counts sign-in failures across both instances', async () => {
    const signIn = () => gql('mutation { signIn(username: "reporter.backan", password: "not-the-password") { csrfToken } }', {}, null);
    const failures = [];
    for (let i = 0; i < FREE_FAILURES; i++) failures.push(await signIn());
    expect(failures.map((f) => f.body.errors?.[0]?.extensions.code)).toEqual(Array(FREE_FAILURES).fill('UNAUTHENTICATED'));
    expect(new Set(failures.map((f) => f.servedBy))).toEqual(new Set(['one', 'two']));
    // One instance alone has seen about half of them: only a shared count slows the next one down.
    const next = await signIn();
    expect(next.body.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
  });

  it('draws every anonymous request from one bucket, whichever instance answers', async () => {
    const answers = await Promise.all(Array.from({ length: ANONYMOUS_PER_MINUTE * 2 }, () => gql('{ __typename }', {}, null)));
    const allowed = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429);
    expect(allowed + refused.length).toBe(answers.length);
    // Per-instance buckets would let about twice the limit through; the few over it are the refill during the burst.
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThanOrEqual(ANONYMOUS_PER_MINUTE + 3);
    expect(new Set(refused.map((a) => a.servedBy))).toEqual(new Set(['one', 'two']));
  });
});
