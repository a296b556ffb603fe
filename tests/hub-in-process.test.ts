/**
 * Issue 17 ("the hub costs little"): the hub calls our own subgraph in this process (in-process.ts),
 * not over loopback HTTP — and what a hub call had at /graphql's door still happens: its request
 * line under the hub's request id, naming the caller our subgraph authenticated (bearer token, or
 * session cookie with its CSRF header). A hub whose config points `self` elsewhere (a balancer)
 * still calls it over HTTP. A query only our subgraph answers is sent to it whole (shortcut.ts)
 * and answered as /graphql answers it; any other takes the gateway's plan. The client's address
 * through the hub: security-auth.test.ts.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_SECRET_HEADER } from '../server/src/hardening/address.js';
import { createLogger } from '../server/src/observability/log.js';
import { parseHubConfig } from '../server/src/hub/config.js';
import { HUB_PATH, isThisServer, mountHub, type Hub } from '../server/src/hub/index.js';
import { answeredBy, fieldsResolvedBy } from '../server/src/hub/shortcut.js';
import { composeServices } from '@theguild/federation-composition';
import { buildSchema, parse } from 'graphql';
import { startTestServer, type TestServer } from './harness.js';

interface Line { msg: string; reqId?: string; path?: string; status?: number; caller?: string | null; operation?: string | null; codes?: string[] }
const logged: Line[] = [];
const log = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => void (logged.push(JSON.parse(chunk.toString()) as Line), done()) }));
const requestLines = (id: string) => logged.filter((l) => l.msg === 'request' && l.reqId === id);

let s: TestServer;
let hub: Hub;
/** Every HTTP request the server received, by path. */
const received: string[] = [];
/** The bodies of the hub's calls to our subgraph in this process. */
const calls: string[] = [];

beforeAll(async () => {
  s = await startTestServer({ log });
  s.app.server.on('request', (req) => void received.push((req.url ?? '').split('?')[0]!));
  const inProcess = s.app.inProcess;
  s.app.inProcess = (url, init) => {
    calls.push(String(init.body ?? ''));
    return inProcess(url, init);
  };
  hub = await mountHub(s.app, parseHubConfig({ subgraphs: [] }));
});
afterAll(async () => {
  await hub?.close();
  await s?.close();
});

async function post(path: string, query: string, headers: Record<string, string>) {
  const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

describe('the hub calls our subgraph in this process', () => {
  it('answers without an HTTP request to /graphql; the subgraph logs its line under the hub request id, with the caller', async () => {
    const id = `in-process-${Date.now()}`;
    const from = received.length;
    // With introspection beside `me` the query is the gateway's (a query wholly ours is served at the door, below).
    const r = await post(HUB_PATH, 'query WhoAmI { me { username } __schema { queryType { name } } }', { ...s.auth('reviewer'), 'x-request-id': id });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.me.username).toBe('reviewer.backan');
    expect(r.headers.get('x-request-id')).toBe(id);
    // Only the client's own request reached the socket.
    expect(received.slice(from)).toEqual([HUB_PATH]);
    await expect.poll(() => requestLines(id).map((l) => l.path).sort()).toEqual(['/graphql', HUB_PATH]);
    const [sub, door] = [requestLines(id).find((l) => l.path === '/graphql')!, requestLines(id).find((l) => l.path === HUB_PATH)!];
    expect(sub).toMatchObject({ status: 200, caller: 'reviewer.backan', operation: 'WhoAmI', codes: [] });
    // The hub authenticates nobody itself: its line names the caller our subgraph found.
    expect(door).toMatchObject({ status: 200, caller: 'reviewer.backan', operation: 'WhoAmI' });
  });

  it('a browser session (cookie + x-csrf-token) is the caller in process; without its CSRF header it is refused with the code of /graphql', async () => {
    const signIn = await post('/graphql', 'mutation { signIn(username: "reporter.backan", password: "reporter-demo-2026") { csrfToken } }', {});
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = signIn.body.data.signIn.csrfToken as string;
    const from = received.length;
    const ok = await post(HUB_PATH, '{ me { username } }', { cookie, 'x-csrf-token': csrf });
    expect(ok.body.data.me.username).toBe('reporter.backan');
    const direct = await post('/graphql', '{ me { username } }', { cookie });
    const viaHub = await post(HUB_PATH, '{ me { username } }', { cookie });
    expect(direct.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(viaHub.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(received.slice(from)).toEqual([HUB_PATH, '/graphql', HUB_PATH]);
  });
});

describe('a query only our subgraph answers goes to it whole', () => {
  const query = 'query Grid {  grid(root: "P06", depth: 1, years: [2016]) { ...G } }\nfragment G on Grid { columns { indicatorCode year } rows { unionCode values statuses } }';

  it('posted: served at the hub\'s door by our /graphql (no call from the gateway), the same answer as /graphql\'s', async () => {
    const [from, sockets] = [calls.length, received.length];
    const id = `door-${Date.now()}`;
    const viaHub = await post(HUB_PATH, query, { ...s.auth('viewer'), 'x-request-id': id });
    const direct = await post('/graphql', query, s.auth('viewer'));
    expect(calls.length - from).toBe(0);
    expect(received.slice(sockets)).toEqual([HUB_PATH, '/graphql']);
    expect(viaHub.body.errors).toBeUndefined();
    expect(viaHub.body).toEqual(direct.body);
    await expect.poll(() => requestLines(id).map((l) => l.path)).toEqual([HUB_PATH]);
    expect(requestLines(id)[0]).toMatchObject({ status: 200, caller: 'viewer.taichinh', operation: 'Grid' });
    // Not ours: a mutation, and a query with the supergraph's introspection, go through the gateway, which calls us.
    const before = calls.length;
    await post(HUB_PATH, '{ me { username } __schema { queryType { name } } }', s.auth('viewer'));
    await post(HUB_PATH, 'mutation { signOut }', s.auth('viewer'));
    expect(calls.length - before).toBe(2);
  });

  it('sent otherwise (a GET): by the gateway, as the client wrote it, in one call, and answered as /graphql answers it', async () => {
    const from = calls.length;
    const res = await fetch(`${s.url}${HUB_PATH}?query=${encodeURIComponent(query)}`, { headers: { ...s.auth('viewer'), 'x-graphql-yoga-csrf': '1' } });
    const viaHub = (await res.json()) as { data?: unknown; errors?: unknown };
    expect(calls.slice(from).map((b) => JSON.parse(b).query)).toEqual([query]);
    const direct = await post('/graphql', query, s.auth('viewer'));
    expect(viaHub.errors).toBeUndefined();
    expect(viaHub).toEqual(direct.body);
  });

  it('a refusal of our subgraph is the same through the hub: its code, its message, its path', async () => {
    const unknown = '{ union(code: "NOPE") { name children { code } } grid(root: "NOPE", years: [2016]) { columns { year } } }';
    const [u1, u2] = [await post(HUB_PATH, unknown, s.auth('viewer')), await post('/graphql', unknown, s.auth('viewer'))];
    expect(u1.body.errors?.map((e) => e.extensions?.code)).toEqual(u2.body.errors?.map((e) => e.extensions?.code));
    expect(u1.body.errors?.length).toBeGreaterThan(0);
    expect((u1.body.errors as { path?: unknown; message?: string }[]).map((e) => [e.path, e.message])).toEqual((u2.body.errors as { path?: unknown; message?: string }[]).map((e) => [e.path, e.message]));
    expect(u1.body.data).toEqual(u2.body.data);
  });

  it('introspection is the supergraph\'s, by the gateway', async () => {
    const from = calls.length;
    const r = await post(HUB_PATH, '{ __schema { queryType { name } } }', s.auth('viewer'));
    expect(r.body.data.__schema.queryType.name).toBe('Query');
    expect(calls.length - from).toBe(0);
  });

  describe('which fields are ours, from the supergraph', () => {
    const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@override", "@external", "@requires"])';
    const composed = composeServices([
      { name: 'unionhub', url: 'http://x/graphql', typeDefs: parse(`${link}
        type Query { union(code: String!): U shared: String @shareable }
        type Mutation { rename(code: String!): U }
        type U @key(fields: "code") { code: String! name: String moved: String members: Int @shareable }`) },
      { name: 'dept', url: 'http://y/graphql', typeDefs: parse(`${link}
        type Query { dues: Int shared: String @shareable }
        type U @key(fields: "code") { code: String! dues: Int moved: String @override(from: "unionhub") members: Int @external perHead: Float @requires(fields: "members") }`) },
    ]);
    const sdl = composed.supergraphSdl!;
    const fields = fieldsResolvedBy(sdl, 'unionhub');
    const schema = buildSchema(sdl, { assumeValidSDL: true });
    const ours = (q: string, name?: string) => answeredBy(schema, parse(q), name, fields);

    it('ours: our own fields and the shared ones; not another subgraph\'s, not one overridden or only external here', () => {
      expect(composed.errors ?? []).toEqual([]);
      for (const f of ['Query.union', 'Query.shared', 'U.code', 'U.name', 'U.members']) expect(fields, f).toContain(f);
      for (const f of ['Query.dues', 'U.dues', 'U.moved', 'U.perHead']) expect(fields, f).not.toContain(f);
    });

    it('a query is ours only when every field it selects is, through fragments too; never introspection or a mutation', () => {
      expect(ours('{ union(code: "P06") { code name __typename } shared }')).toBe(true);
      expect(ours('query A { ...Q } fragment Q on Query { union(code: "P06") { ...N } } fragment N on U { name }')).toBe(true);
      expect(ours('{ union(code: "P06") { name dues } }')).toBe(false);
      expect(ours('{ union(code: "P06") { ... on U { moved } } }')).toBe(false);
      expect(ours('query A { ...Q } fragment Q on Query { dues }')).toBe(false);
      expect(ours('{ union(code: "P06") { name } __schema { types { name } } }')).toBe(false);
      expect(ours('query A { shared } query B { dues }', 'A')).toBe(true);
      expect(ours('query A { shared } query B { dues }', 'B')).toBe(false);
      expect(ours('mutation { rename(code: "P06") { name } }')).toBe(false);
    });
  });
});

// Last: it mounts another hub in place of the one above.
describe('a hub whose `self` is another server', () => {
  let balancer: Server;
  let remote: Hub;
  /** Requests the balancer passed on, and those that reached our server carrying the hub secret. */
  const relayed: string[] = [];
  let vouched = 0;

  beforeAll(async () => {
    const target = new URL(s.url);
    // A balancer in front of one instance (here: this very server, reached over HTTP all the same).
    balancer = createServer((req, res) => {
      relayed.push(req.url ?? '');
      const up = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((ok) => balancer.listen(0, '127.0.0.1', ok));
    s.app.server.on('request', (req) => void (req.headers[HUB_SECRET_HEADER] && vouched++));
    const self = `http://127.0.0.1:${(balancer.address() as AddressInfo).port}/graphql`;
    expect(isThisServer(self, `${s.url}/graphql`)).toBe(false);
    remote = await mountHub(s.app, parseHubConfig({ self }));
  });
  afterAll(async () => {
    await remote?.close();
    await new Promise((ok) => balancer?.close(ok));
  });

  it('calls it over HTTP, with the caller and the request id', async () => {
    const id = `over-http-${Date.now()}`;
    const [relayedBefore, vouchedBefore] = [relayed.length, vouched];
    const r = await post(HUB_PATH, 'query WhoAmI { me { username } }', { ...s.auth('viewer'), 'x-request-id': id });
    expect(r.body.data.me.username).toBe('viewer.taichinh');
    expect(relayed.length - relayedBefore).toBe(1);
    expect(vouched - vouchedBefore).toBe(1);
    await expect.poll(() => requestLines(id).map((l) => l.path).sort()).toEqual(['/graphql', HUB_PATH]);
    expect(requestLines(id).find((l) => l.path === '/graphql')).toMatchObject({ caller: 'viewer.taichinh', operation: 'WhoAmI' });
  });

  it('this server under a loopback name and its own port is this server', () => {
    const own = `${s.url}/graphql`;
    const port = new URL(s.url).port;
    expect(isThisServer(own, own)).toBe(true);
    expect(isThisServer(`http://localhost:${port}/graphql`, own)).toBe(true);
    expect(isThisServer(`http://localhost:${Number(port) + 1}/graphql`, own)).toBe(false);
    expect(isThisServer(`http://10.0.0.5:${port}/graphql`, own)).toBe(false);
    expect(isThisServer(`http://127.0.0.1:${port}/other`, own)).toBe(false);
  });
});
