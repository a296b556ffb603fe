/**
 * Several instances behave as one (issue 17): two real server processes on one PostgreSQL behind a
 * real HAProxy (Debian's package, round robin; it names the instance that answered in
 * `x-served-by`). A write through one reaches a subscription held by the other; a revoked token or
 * grant is refused at once by the other; sign-in failures and request buckets count across both;
 * each instance's /metrics counts the SSE streams it holds.
 * On SQLite (one instance by design) only the splitting of events into notifications is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventPayloads } from '../server/src/cluster.js';
import type { FigureRow } from '../server/src/domain/figures.js';
import { issueToken } from '../server/src/domain/auth.js';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { databaseKind, freshDatabase } from './harness.js';
import { startCluster, type Cluster } from './instances.js';
import { openSse } from './sse.js';

const ANONYMOUS_PER_MINUTE = 40;
const FREE_FAILURES = 5;
const METRICS_TOKEN = 'scrape-token-of-the-cluster-test';

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

describe.runIf(databaseKind() === 'postgresql')('two instances on one PostgreSQL behind HAProxy', () => {
  let proxyUrl = '';
  let cluster: Cluster | null = null;
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

    cluster = await startCluster(db.target.location, {
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS_PER_MINUTE), SIGNIN_FREE_FAILURES: String(FREE_FAILURES), METRICS_TOKEN,
    });
    proxyUrl = cluster.proxyUrl;
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
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

  it('each instance counts the streams it holds in /metrics, and the count drops when one closes; scrapes are not rate limited', async () => {
    /** Each instance's `unionhub_sse_streams`, scraped from the instance itself (not through the proxy). */
    const streams = async () => Object.fromEntries(await Promise.all(cluster!.instances.map(async (i) => {
      const res = await fetch(`${i.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      const open = /^unionhub_sse_streams (\d+)$/m.exec(await res.text())?.[1];
      return [i.name, res.status === 200 && open !== undefined ? Number(open) : NaN] as const;
    })));
    // A scraper (one address, no user) is not charged to the anonymous bucket the instances share.
    const scrapes = await Promise.all(Array.from({ length: ANONYMOUS_PER_MINUTE * 2 }, () => streams()));
    expect(scrapes.flatMap((s) => Object.values(s)).filter((n) => Number.isNaN(n))).toEqual([]);
    // A closed stream takes a moment to reach its instance through the proxy on a busy machine.
    const every = { interval: 100, timeout: 10_000 };
    // The earlier test's stream is closed: nothing open anywhere.
    await expect.poll(streams, every).toEqual({ one: 0, two: 0 });
    const subscribe = () => openSse(`${proxyUrl}/graphql`, 'subscription { figuresChanged(root: "P06") { actor } }', { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${adminToken}` });
    const first = await subscribe();
    let second: Awaited<ReturnType<typeof subscribe>> | null = null;
    try {
      expect(first.status).toBe(200);
      // Which instance holds it, found by the metrics alone; the proxy's header must agree.
      await expect.poll(async () => Object.values(await streams()).reduce((a, b) => a + b), every).toBe(1);
      const holder = Object.entries(await streams()).find(([, n]) => n === 1)![0];
      expect(first.header('x-served-by')).toBe(holder);
      const otherOne = other(holder);
      // Round robin puts the next stream on the other instance: each counts only its own.
      second = await subscribe();
      expect(second.header('x-served-by')).toBe(otherOne);
      await expect.poll(streams, every).toEqual({ [holder]: 1, [otherOne]: 1 });
      first.close();
      await expect.poll(streams, every).toEqual({ [holder]: 0, [otherOne]: 1 });
      second.close();
      await expect.poll(streams, every).toEqual({ [holder]: 0, [otherOne]: 0 });
    } finally {
      first.close();
      second?.close();
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
