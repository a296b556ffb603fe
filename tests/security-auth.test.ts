/**
 * Issue 12, items 1–3 and two pieces of item 10: sign-in throttling under concurrency (attempts
 * reserved before the hash; hashing bounded so the database's thread pool stays free), progressive
 * delays instead of a lock an attacker controls (per username+address, per address, per username),
 * the real client address behind a trusted proxy and through the hub, rate limits keyed on a
 * verified credential, the issuer of a token, and control characters refused in names.
 * Everything is counted (answers, password checks, hashes in flight), never timed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { hasControlCharacters } from '@unionhub/schema';
import * as auth from '../server/src/domain/auth.js';
import { resetSignInLimits } from '../server/src/domain/auth.js';
import { parseHubConfig } from '../server/src/hub/config.js';
import { HUB_PATH, mountHub, type Hub } from '../server/src/hub/index.js';
import { startTestServer, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { admitClient, parseTrustProxy } from '../server/src/hardening/address.js';
import { readLimits } from '../server/src/config.js';
import type { IncomingMessage } from 'node:http';

/** What auth.ts counts; read through the module so this file loads (and fails by assertion) without it. */
const stats = (): { passwordChecks: number; hashing: number; maxHashing: number } =>
  (auth as unknown as { signInStats?: () => { passwordChecks: number; hashing: number; maxHashing: number } }).signInStats?.() ?? { passwordChecks: NaN, hashing: NaN, maxHashing: NaN };

const SIGN_IN = 'mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { csrfToken me { username } } }';
/** The free failures per username and address before delays begin (SIGNIN_FREE_FAILURES' default). */
const FREE = 5;

interface Answer {
  data?: { signIn?: { me: { username: string } } } | null;
  errors?: { message: string; extensions: { code: string; retryAfter?: number } }[];
}
const code = (a: Answer) => (a.data?.signIn ? 'OK' : a.errors?.[0]?.extensions.code ?? 'NONE');
const tally = (answers: Answer[]) => answers.map(code).reduce<Record<string, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {});

function signInVia(url: string, path = '/graphql') {
  return async (username: string, password: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: SIGN_IN, variables: { u: username, p: password } }) });
    return (await res.json()) as Answer;
  };
}

let s: TestServer;
/** Behind a trusted proxy (loopback), with the hub mounted. */
let p: TestServer;
let hub: Hub;
beforeAll(async () => {
  s = await startTestServer();
  p = await startTestServer({ limits: { TRUST_PROXY: '127.0.0.1' } });
  hub = await mountHub(p.app, parseHubConfig({ subgraphs: [] }));
});
afterAll(async () => {
  await hub?.close();
  await p?.close();
  await s?.close();
});
beforeEach(() => resetSignInLimits(knexOf(s.orm)));

/**
 * The clock held still while a flood runs: all its attempts come at one instant, as they would on
 * a fast machine, so no delay can pass in between (on a busy one the flood can outlast the first
 * 1 s delay, and a sequential attacker would get that extra guess too).
 */
async function atOneInstant<T>(fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

describe('1. sign-in throttling holds under concurrency', () => {
  it('200 parallel wrong sign-ins (single requests) run no more password checks than the free failures', async () => {
    const before = stats().passwordChecks;
    const signIn = signInVia(s.url);
    const answers = await atOneInstant(() => Promise.all(Array.from({ length: 200 }, () => signIn('reviewer.backan', 'wrong-password'))));
    const t = tally(answers);
    // Each UNAUTHENTICATED answer is a password that was checked; the rest were refused before hashing.
    expect(t.UNAUTHENTICATED ?? 0).toBeLessThanOrEqual(FREE);
    expect(t.RATE_LIMITED).toBeGreaterThanOrEqual(200 - FREE);
    expect(stats().passwordChecks - before).toBeLessThanOrEqual(FREE);
  });

  it('20 parallel batches of 10 signIn mutations run no more password checks than the free failures', async () => {
    const before = stats().passwordChecks;
    const batch = JSON.stringify(Array.from({ length: 10 }, () => ({ query: SIGN_IN, variables: { u: 'reporter.backan', p: 'wrong-password' } })));
    const answers = (
      await atOneInstant(() => Promise.all(Array.from({ length: 20 }, async () => (await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batch })).json() as Promise<Answer[]>)))
    ).flat();
    expect(answers).toHaveLength(200);
    expect(tally(answers).UNAUTHENTICATED ?? 0).toBeLessThanOrEqual(FREE);
    expect(stats().passwordChecks - before).toBeLessThanOrEqual(FREE);
  });

  it('bounds the password hashes in flight while 400 distinct attempts arrive; /healthz and a signed-in reader all succeed meanwhile', async () => {
    // 400 different addresses (behind the trusted proxy) and usernames: no throttle applies, so only the hashing bound holds them.
    const signIn = signInVia(p.url);
    const flood = Promise.all(Array.from({ length: 400 }, (_, i) => signIn(`nobody.${i}`, 'wrong-password', { 'x-forwarded-for': `10.1.${i >> 8}.${i & 255}` })));
    const reader = Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        if (i % 2) return (await fetch(`${p.url}/healthz`)).status === 200;
        const r = await p.gql<{ union: { name: string } }>('{ union(code: "P06") { name } }', {}, { as: 'viewer' });
        return Boolean(r.data?.union?.name) && !r.errors;
      }),
    );
    const [answers, read] = await Promise.all([flood, reader]);
    expect(read.every(Boolean)).toBe(true);
    const t = tally(answers);
    expect((t.UNAUTHENTICATED ?? 0) + (t.RATE_LIMITED ?? 0)).toBe(400);
    // SIGNIN_HASH_CONCURRENCY's default: at most 2 scrypt calls share the libuv pool with SQLite.
    expect(stats().maxHashing).toBeGreaterThanOrEqual(1);
    expect(stats().maxHashing).toBeLessThanOrEqual(2);
    // Past the bounded queue an attempt is refused at once (RATE_LIMITED), not queued without end.
    expect(t.RATE_LIMITED ?? 0).toBeGreaterThan(0);
    expect(stats().hashing).toBe(0);
  });
});

describe('2. lockout is not a weapon', () => {
  it('delays a username after the free failures (RATE_LIMITED + retryAfter, no password check); the right password gets in after the wait', async () => {
    const signIn = signInVia(s.url);
    for (let i = 0; i < FREE; i++) expect(code(await signIn('viewer.taichinh', 'wrong-password'))).toBe('UNAUTHENTICATED');
    const before = stats().passwordChecks;
    const refused = await signIn('viewer.taichinh', 'viewer-demo-2026');
    expect(code(refused)).toBe('RATE_LIMITED');
    expect(refused.errors![0]!.extensions.retryAfter).toBeGreaterThanOrEqual(1);
    expect(stats().passwordChecks).toBe(before);
    await new Promise((r) => setTimeout(r, refused.errors![0]!.extensions.retryAfter! * 1000 + 100));
    const right = await signIn('viewer.taichinh', 'viewer-demo-2026');
    expect(right.data?.signIn?.me.username).toBe('viewer.taichinh');
  });

  it('the delay grows with each failure past the free ones', async () => {
    const signIn = signInVia(s.url);
    for (let i = 0; i < FREE; i++) await signIn('admin', 'wrong-password');
    const first = (await signIn('admin', 'wrong-password')).errors![0]!.extensions.retryAfter!;
    await new Promise((r) => setTimeout(r, first * 1000 + 100));
    expect(code(await signIn('admin', 'wrong-password'))).toBe('UNAUTHENTICATED');
    const second = await signIn('admin', 'wrong-password');
    expect(code(second)).toBe('RATE_LIMITED');
    expect(second.errors![0]!.extensions.retryAfter!).toBeGreaterThan(first);
  });

  it('a failure spray from one address does not shut out a user who signed in from there before', async () => {
    const signIn = signInVia(s.url);
    expect(code(await signIn('reviewer.backan', 'reviewer-demo-2026'))).toBe('OK');
    const spray = [];
    for (let i = 0; i < 40; i++) spray.push(await signIn(`guess.${i}`, 'wrong-password'));
    expect(tally(spray).RATE_LIMITED).toBeGreaterThan(0);
    expect(code(await signIn('reviewer.backan', 'reviewer-demo-2026'))).toBe('OK');
  });

  it('without TRUST_PROXY, X-Forwarded-For and a made-up hub header are ignored: a spray is still one address', async () => {
    const signIn = signInVia(s.url);
    const spray = [];
    for (let i = 0; i < 40; i++) spray.push(await signIn(`spoof.${i}`, 'wrong-password', { 'x-forwarded-for': `192.0.2.${i}`, 'x-unionhub-client': `192.0.2.${i}`, 'x-unionhub-hub-secret': 'guess' }));
    expect(tally(spray).RATE_LIMITED).toBeGreaterThan(0);
  });

  it('behind a trusted proxy, one client\'s failures do not delay another client; a client cannot forge its place in the chain', async () => {
    const signIn = signInVia(p.url);
    const spray = [];
    for (let i = 0; i < 40; i++) spray.push(await signIn(`attacker.${i}`, 'wrong-password', { 'x-forwarded-for': '203.0.113.5' }));
    expect(tally(spray).RATE_LIMITED).toBeGreaterThan(0);
    // A forged left-most entry does not help: the right-most untrusted address (added by the proxy) counts.
    expect(code(await signIn('attacker.x', 'wrong-password', { 'x-forwarded-for': '198.51.100.99, 203.0.113.5' }))).toBe('RATE_LIMITED');
    expect(code(await signIn('admin', 'admin-demo-2026', { 'x-forwarded-for': '198.51.100.7' }))).toBe('OK');
  });

  it('a distributed attack on one username is still slowed (global per-username throttle)', async () => {
    const signIn = signInVia(p.url);
    const answers = [];
    for (let i = 0; i < 40; i++) answers.push(await signIn('reporter.backan', 'wrong-password', { 'x-forwarded-for': `198.18.0.${i}` }));
    const t = tally(answers);
    expect(t.RATE_LIMITED).toBeGreaterThan(0);
    expect(t.UNAUTHENTICATED).toBeLessThan(40);
  });

  it('the hub passes the real client\'s address: one client\'s failures through the hub do not delay another client', async () => {
    const viaHub = signInVia(p.url, HUB_PATH);
    const spray = [];
    for (let i = 0; i < 40; i++) spray.push(await viaHub(`hubguess.${i}`, 'wrong-password', { 'x-forwarded-for': '203.0.113.77' }));
    expect(spray.flatMap((a) => a.errors ?? []).some((e) => e.extensions.code === 'RATE_LIMITED')).toBe(true);
    const other = await viaHub('viewer.taichinh', 'viewer-demo-2026', { 'x-forwarded-for': '198.51.100.8' });
    expect(other.errors ?? []).toEqual([]);
    expect(other.data?.signIn?.me.username).toBe('viewer.taichinh');
  });
});

describe('TRUST_PROXY: the right-most address that is not a trusted proxy', () => {
  const req = (peer: string, forwarded?: string) => ({ socket: { remoteAddress: peer }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;
  const from = (trust: string, peer: string, forwarded?: string) => admitClient(req(peer, forwarded), parseTrustProxy(trust));

  it('believes X-Forwarded-For only from a trusted peer, and only up to the first untrusted hop', () => {
    expect(from('', '203.0.113.1', '198.51.100.1')).toBe('203.0.113.1');
    expect(from('10.0.0.0/8', '203.0.113.1', '198.51.100.1')).toBe('203.0.113.1');
    expect(from('10.0.0.0/8', '10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
    // The client wrote the left part; the proxies appended the rest.
    expect(from('10.0.0.0/8', '10.0.0.5', '1.1.1.1, 198.51.100.1, 10.0.0.9')).toBe('198.51.100.1');
    expect(from('loopback', '::ffff:127.0.0.1', '198.51.100.2')).toBe('198.51.100.2');
    expect(from('2001:db8::/32', '2001:db8::1', '[2001:db8:ffff::9]:4431, 2001:db8::2')).toBe('2001:db8:ffff::9');
    // A number of hops: that many proxies, whatever they are.
    expect(from('1', '192.0.2.1', '1.1.1.1, 198.51.100.3')).toBe('198.51.100.3');
    expect(from('2', '192.0.2.1', '1.1.1.1, 198.51.100.3')).toBe('1.1.1.1');
    expect(from('3', '192.0.2.1', '198.51.100.3')).toBe('198.51.100.3');
    // Garbage in the header stops the walk at the last real address.
    expect(from('10.0.0.0/8', '10.0.0.5', 'not-an-address')).toBe('10.0.0.5');
  });

  it('refuses a bad TRUST_PROXY at start-up, by name', () => {
    expect(readLimits({ TRUST_PROXY: '10.0.0.0/8, loopback' }).TRUST_PROXY).toBe('10.0.0.0/8, loopback');
    for (const bad of ['true', 'proxy.example', '10.0.0.0/40', '10.0.0.1/8/2']) expect(() => readLimits({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
  });
});

describe('3. rate limits key on a verified caller', () => {
  let r: TestServer;
  beforeAll(async () => {
    r = await startTestServer({ limits: { RATE_LIMIT_ANONYMOUS_PER_MINUTE: 10, RATE_LIMIT_PER_MINUTE: 600, RATE_LIMIT_BURST: 100 } });
  });
  afterAll(async () => r?.close());
  const me = (headers: Record<string, string>) =>
    fetch(`${r.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ me { username } }' }) });

  it('50 forged bearer tokens from one address share the anonymous bucket (429s); a valid token is unaffected', async () => {
    const statuses = [];
    for (let i = 0; i < 50; i++) statuses.push((await me({ authorization: `Bearer uht_forged${i}x${Math.random().toString(36).slice(2)}` })).status);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(50 - 10);
    const valid = await me(r.auth('viewer'));
    expect(valid.status).toBe(200);
    expect(((await valid.json()) as { data: { me: { username: string } } }).data.me.username).toBe('viewer.taichinh');
  });

  it('a session cookie that is not even valid percent-encoding is an anonymous caller, not a fault', async () => {
    const res = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'uh_session=%E0%A4%A' }, body: JSON.stringify({ query: '{ me { username } }' }) });
    expect(res.status).toBeLessThan(500);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a GraphQL parameter given twice in a query string is refused (found by the fuzz test: it was checked by its last value, run by its first)', async () => {
    const res = await fetch(`${s.url}/graphql?query=${encodeURIComponent('{ me { username } }')}&variables=junk&variables=${encodeURIComponent('{}')}`, { headers: { 'x-graphql-yoga-csrf': '1', ...s.auth('admin') } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('a flood of forged credentials does not push valid callers out of the cache', async () => {
    const db = knexOf(s.orm);
    const valid = s.tokens.viewer;
    // The clock held still: the cache's seconds must not run out while 10,050 look-ups run on a slow machine.
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now);
    onTestFinished(() => clock.mockRestore());
    expect(await auth.callerFromToken(db, valid)).not.toBeNull();
    for (let i = 0; i < 10_050; i++) expect(await auth.callerFromToken(db, `uht_forged_flood_${i}`)).toBeNull();
    let queries = 0;
    const count = () => void queries++;
    db.on('query', count);
    try {
      expect((await auth.callerFromToken(db, valid))?.username).toBe('viewer.taichinh');
    } finally {
      db.removeListener('query', count);
    }
    // Still cached: the valid caller cost no query (unknown credentials are kept apart, bounded).
    expect(queries).toBe(0);
  });

  it('50 forged session cookies from one address share the anonymous bucket too', async () => {
    const statuses = [];
    for (let i = 0; i < 50; i++) statuses.push((await me({ cookie: `uh_session=uhs_forged${i}${Math.random().toString(36).slice(2)}`, 'x-csrf-token': 'x' })).status);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThan(0);
    expect((await me(r.auth('admin'))).status).toBe(200);
  });
});

describe('10. names and token issuers', () => {
  it('records who issued an API token, in the answer and in the token list', async () => {
    const issued = await s.gql('mutation { issueToken(username: "viewer.taichinh", name: "issuer check") { info { id issuedBy } } }', {}, { as: 'admin' });
    expect(issued.errors).toBeUndefined();
    expect(issued.data!.issueToken.info.issuedBy).toBe('admin');
    const list = await s.gql('{ apiTokens { id issuedBy } }', {}, { as: 'admin' });
    expect(list.data!.apiTokens.find((t: { id: number }) => t.id === issued.data!.issueToken.info.id).issuedBy).toBe('admin');
    const [row] = await s.sql('select issued_by as "issuedBy" from api_token where id = ?', [issued.data!.issueToken.info.id]);
    expect(row!.issuedBy).toBe('admin');
  });

  it('refuses control characters (C0, C1, NUL, bidi overrides and marks) in display names, token names and usernames, naming the field', async () => {
    const bad = ['Ann\u0000', 'tab\tname', 'line\nbreak', 'c1\u0085', 'del\u007f', '\u202Eevil', 'iso\u2066late\u2069', 'mark\u200F', 'ltr\u200E', 'emb\u202A'];
    for (const name of bad) {
      const u = await s.gql('mutation ($d: String!) { createUser(username: "ctl.user", displayName: $d, password: "long-enough-pass") { username } }', { d: name });
      expect(u.errors?.[0]?.extensions.code, JSON.stringify(name)).toBe('VALIDATION');
      expect(u.errors![0]!.extensions.fields).toContain('displayName');
      const t = await s.gql('mutation ($n: String!) { issueToken(username: "viewer.taichinh", name: $n) { token } }', { n: name });
      expect(t.errors?.[0]?.extensions.code, JSON.stringify(name)).toBe('VALIDATION');
      expect(t.errors![0]!.extensions.fields).toContain('name');
    }
    const u = await s.gql('mutation { createUser(username: "ctl\\u202Euser", displayName: "Fine", password: "long-enough-pass") { username } }');
    expect(u.errors?.[0]?.extensions.code).toBe('VALIDATION');
    expect(u.errors![0]!.extensions.fields).toContain('username');
    expect(await s.sql("select id from app_user where username like 'ctl%'")).toEqual([]);
    // Ordinary Vietnamese names pass.
    expect((await s.gql('mutation { createUser(username: "ctl.ok", displayName: "Nguyễn Thị Đào", password: "long-enough-pass") { displayName } }')).data?.createUser.displayName).toBe('Nguyễn Thị Đào');
  });

  it('one shared helper decides what a control character is', () => {
    for (const c of ['\u0000', '\u001f', '\u007f', '\u0080', '\u009f', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069']) expect(hasControlCharacters(`a${c}b`), c.codePointAt(0)!.toString(16)).toBe(true);
    for (const ok of ['Công đoàn Bắc Kạn', 'a-b_c.d', 'Ω ≠ ∞', '\u2070', '\u2065x']) expect(hasControlCharacters(ok), ok).toBe(false);
  });
});
