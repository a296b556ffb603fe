/**
 * The checks of Apollo's subgraph compatibility suite (which cannot run here) repeated on our
 * subgraph, and the federation hub for real: our server, the example Finance subgraph and the
 * hub on loopback ports, queried with real tokens. subgraph.test.ts covers SDL drift.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { Kind, parse, visit, type DocumentNode } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duesOf, startFinance, type Finance } from '../server/src/departments/finance.js';
import { fetchSdl } from '../server/src/hub/compose.js';
import { parseHubConfig } from '../server/src/hub/config.js';
import { HUB_PATH, mountHub, type Hub } from '../server/src/hub/index.js';
import { printSchemaSdl } from '../server/src/graphql/index.js';
import { freshDatabase, startTestServer, type As, type GqlResponse, type TestServer } from './harness.js';

let s: TestServer;
let finance: Finance;
let hub: Hub;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  s = await startTestServer();
  finance = await startFinance(0, `${s.url}/graphql`, '127.0.0.1');
  hub = await mountHub(s.app, parseHubConfig({ subgraphs: [{ name: 'finance', url: finance.url }] }));
});
afterAll(async () => {
  for (const c of closers) await c();
  await hub?.close();
  await finance?.close();
  await s?.close();
});

const FEDERATION_DIRECTIVES = new Set([
  'key', 'shareable', 'external', 'requires', 'provides', 'tag', 'inaccessible', 'override',
  'composeDirective', 'interfaceObject', 'authenticated', 'requiresScopes', 'policy',
]);

function keysOf(doc: DocumentNode): { type: string; fields: string }[] {
  const keys: { type: string; fields: string }[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'key') continue;
      const fields = d.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fields?.kind === Kind.STRING) keys.push({ type: def.name.value, fields: fields.value });
    }
  }
  return keys;
}

/** One representation per key form, as a gateway sends it (enums by their GraphQL name). */
const SAMPLES: Record<string, { rep: Record<string, unknown>; selection: string; expected: Record<string, unknown> }> = {
  'Union code': { rep: { code: 'P06' }, selection: '... on Union { code name level }', expected: { code: 'P06', name: 'LĐLĐ tỉnh Bắc Kạn', level: 1 } },
  'Indicator code': { rep: { code: 'grassroots' }, selection: '... on Indicator { code kind }', expected: { code: 'grassroots', kind: 'stock' } },
  'Figure unionCode indicatorCode year scenario': {
    rep: { unionCode: 'TLD', indicatorCode: 'members', year: 2014, scenario: 'ACTUAL' },
    selection: '... on Figure { unionCode indicatorCode year scenario value }',
    expected: { unionCode: 'TLD', indicatorCode: 'members', year: 2014, scenario: 'ACTUAL', value: 8_558_063 },
  },
};

describe('subgraph compatibility (the checks of Apollo’s suite)', () => {
  it('_service.sdl: @link to federation v2.6 imports exactly the federation directives the SDL uses', async () => {
    const r = await s.gql('{ _service { sdl } }', {}, { as: 'anonymous' });
    const doc = parse(r.data!._service.sdl);
    const link = doc.definitions
      .flatMap((d) => (d.kind === Kind.SCHEMA_EXTENSION || d.kind === Kind.SCHEMA_DEFINITION ? (d.directives ?? []) : []))
      .find((d) => d.name.value === 'link');
    const arg = (name: string) => link?.arguments?.find((a) => a.name.value === name)?.value;
    const url = arg('url');
    expect(url?.kind === Kind.STRING && url.value).toBe('https://specs.apollo.dev/federation/v2.6');
    const imports = arg('import');
    const imported = imports?.kind === Kind.LIST ? imports.values.map((v) => (v.kind === Kind.STRING ? v.value : '?')).sort() : [];
    const used = new Set<string>();
    visit(doc, { Directive: (d) => void (FEDERATION_DIRECTIVES.has(d.name.value) && used.add(`@${d.name.value}`)) });
    expect(imported).toEqual([...used].sort());
    expect(imported).toContain('@key');
  });

  it('_entities resolves every key form the SDL declares (and null for an unknown key)', async () => {
    const keys = keysOf(parse(printSchemaSdl()));
    // A new @key without a sample here fails the test, so every key form stays covered.
    expect(keys.map((k) => `${k.type} ${k.fields}`).sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const k of keys) {
      const sample = SAMPLES[`${k.type} ${k.fields}`]!;
      const r = await s.gql(`query ($reps: [_Any!]!) { _entities(representations: $reps) { ${sample.selection} } }`, {
        reps: [{ __typename: k.type, ...sample.rep }, { __typename: k.type, ...Object.fromEntries(Object.entries(sample.rep).map(([f, v]) => [f, typeof v === 'string' && f !== 'scenario' ? 'NOPE' : v])) }],
      });
      expect(r.errors, `${k.type}`).toBeUndefined();
      expect(r.data!._entities).toEqual([sample.expected, null]);
    }
  });

  it('_entities refuses an anonymous caller', async () => {
    const r = await s.gql('query { _entities(representations: [{ __typename: "Union", code: "P06" }]) { ... on Union { name } } }', {}, { as: 'anonymous' });
    expect(r.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('@shareable where needed: with a department, only entity key fields are defined in both subgraphs, and they compose', async () => {
    const ours = parse(await fetchSdl(`${s.url}/graphql`));
    const theirs = parse(await fetchSdl(finance.url));
    const fieldsOf = (doc: DocumentNode) =>
      new Set(doc.definitions.flatMap((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION ? (d.fields ?? []).map((f) => `${d.name.value}.${f.name.value}`) : [])));
    const shared = [...fieldsOf(theirs)].filter((f) => fieldsOf(ours).has(f) && !f.startsWith('Query.'));
    const keyFields = new Set(keysOf(theirs).flatMap((k) => k.fields.split(/\s+/).map((f) => `${k.type}.${f}`)));
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.filter((f) => !keyFields.has(f))).toEqual([]);
    const result = composeServices([{ name: 'unionhub', typeDefs: ours }, { name: 'finance', typeDefs: theirs }]);
    expect(result.errors).toBeUndefined();
  });

  it('ftv1: an inline trace in extensions when the gateway asks for it, none otherwise', async () => {
    const query = '{ union(code: "P06") { name } }';
    const traced = await s.gql(query, {}, { headers: { 'apollo-federation-include-trace': 'ftv1' } });
    const ftv1 = (traced as { extensions?: { ftv1?: string } }).extensions?.ftv1;
    expect(ftv1).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // The protobuf Trace names the resolved fields in UTF-8.
    expect(Buffer.from(ftv1!, 'base64').toString('latin1')).toContain('union');
    const plain = await s.gql(query);
    expect((plain as { extensions?: { ftv1?: string } }).extensions?.ftv1).toBeUndefined();
  });
});

async function viaHub<T = Record<string, any>>(query: string, as: As, headers: Record<string, string> = {}): Promise<GqlResponse<T>> {
  const res = await fetch(`${s.url}${HUB_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...s.auth(as), ...headers },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as GqlResponse<T>;
}

const JOINED = (code: string) => `{
  union(code: "${code}") {
    name
    dues(year: 2016) { year collected remittedUpward members { value } membersTarget { value } }
  }
  financeCaller { username }
}`;

describe('the federation hub', () => {
  it('composes our subgraph and the Finance department', () => {
    expect(hub.subgraphs.map((g) => g.name)).toEqual(['unionhub', 'finance']);
    expect(hub.supergraphSdl).toMatch(/join__graph\(name: "finance", url: "http:\/\/127\.0\.0\.1:\d+\/graphql"\)/);
  });

  it('joins both subgraphs for a viewer: approved values only, and Finance sees the viewer', async () => {
    const direct = await s.gql('{ a: figure(unionCode: "P06", indicatorCode: "members", year: 2016, scenario: ACTUAL) { value status } t: figure(unionCode: "P06", indicatorCode: "members", year: 2016, scenario: TARGET) { value status } }');
    expect(direct.data!.a.status).toBe('SUBMITTED'); // the seed's actuals wait for approval; targets are approved
    expect(direct.data!.t.status).toBe('APPROVED');

    const seenBefore = finance.seen.length;
    const r = await viaHub(JOINED('P06'), 'viewer');
    expect(r.errors).toBeUndefined();
    const dues = duesOf('P06', 2016);
    expect(r.data).toEqual({
      union: {
        name: 'LĐLĐ tỉnh Bắc Kạn',
        dues: [{
          year: 2016, collected: dues.collected, remittedUpward: dues.remittedUpward,
          // A cell the viewer may not see comes back empty from UnionHub's _entities.
          members: { value: null },
          membersTarget: { value: direct.data!.t.value },
        }],
      },
      financeCaller: { username: 'viewer.taichinh' },
    });
    expect(finance.seen.slice(seenBefore)).toContain('viewer.taichinh');
  });

  it('joins both subgraphs for a reporter: unapproved values in its subtree, nothing outside it', async () => {
    const direct = await s.gql('{ figure(unionCode: "P06", indicatorCode: "members", year: 2016, scenario: ACTUAL) { value } }');
    const inside = await viaHub(JOINED('P06'), 'reporter');
    expect(inside.errors).toBeUndefined();
    expect(inside.data!.union.dues[0].members).toEqual({ value: direct.data!.figure.value });
    expect(direct.data!.figure.value).toBeGreaterThan(0);
    expect(inside.data!.financeCaller).toEqual({ username: 'reporter.backan' });

    const outside = await viaHub(JOINED('P01'), 'reporter');
    expect(outside.data!.union.dues[0].collected).toBe(duesOf('P01', 2016).collected);
    expect(outside.data!.union.dues[0].members.value).toBeNull();
    expect(outside.data!.union.dues[0].membersTarget.value).toBeNull();
  });

  it('refuses an anonymous caller in both subgraphs', async () => {
    const r = await viaHub('{ union(code: "P06") { name } }', 'anonymous');
    expect(r.data?.union ?? null).toBeNull();
    expect(r.errors?.map((e) => e.extensions?.code)).toContain('UNAUTHENTICATED');
    const f = await viaHub('{ financeCaller { username } }', 'anonymous');
    expect(f.errors?.map((e) => e.extensions?.code)).toContain('UNAUTHENTICATED');
  });

  it('carries a browser session (cookie + CSRF header) to our subgraph', async () => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { signIn(username: "reviewer.backan", password: "reviewer-demo-2026") { csrfToken } }' }),
    });
    const csrf = ((await res.json()) as { data: { signIn: { csrfToken: string } } }).data.signIn.csrfToken;
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const ok = await viaHub('{ me { username } }', 'anonymous', { cookie, 'x-csrf-token': csrf });
    expect(ok.data).toEqual({ me: { username: 'reviewer.backan' } });
    const noCsrf = await viaHub('{ me { username } }', 'anonymous', { cookie });
    expect(noCsrf.data?.me ?? null).toBeNull();
    expect(noCsrf.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('hub start-up', () => {
  async function subgraphWith(sdl: string): Promise<string> {
    const yoga = createYoga({ schema: buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: {} }]), landingPage: false });
    const server = createServer(yoga);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    closers.push(() => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }

  it('stops with every composition error, naming the subgraphs, when a department does not compose', async () => {
    // Redeclares a non-key Union field without @shareable, and with another type.
    const url = await subgraphWith(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
      type Union @key(fields: "code") { code: String! name: Int! }
      type Query { clashing: Union }`);
    const failed = mountHub(s.app, parseHubConfig({ subgraphs: [{ name: 'clash', url }] }));
    await expect(failed).rejects.toThrow(/The federation hub cannot start: composing "unionhub" \(.+\), "clash" \(.+\) failed:/);
    const message = await failed.then(() => '', (e: Error) => e.message);
    expect(message).toMatch(/Union\.name/);
    expect(message).toMatch(/"clash"/);
    expect(message.split('\n').filter((l) => l.startsWith('  - ')).length).toBeGreaterThanOrEqual(2);
  });

  it('stops when a required department does not answer; leaves out an optional one', async () => {
    const dead = 'http://127.0.0.1:9/graphql';
    await expect(mountHub(s.app, parseHubConfig({ subgraphs: [{ name: 'payroll', url: dead }] }))).rejects.toThrow(/cannot read the SDL of "payroll"[\s\S]*payroll \(http:\/\/127\.0\.0\.1:9\/graphql\)/);
    const optional = await mountHub(s.app, parseHubConfig({ subgraphs: [{ name: 'payroll', url: dead, optional: true }] }));
    closers.push(() => optional.close());
    expect(optional.subgraphs.map((g) => g.name)).toEqual(['unionhub']);
    expect(optional.skipped.map((g) => g.name)).toEqual(['payroll']);
    // mounting replaced the hub at HUB_PATH; put the joined one back for any later test
    s.app.mount(HUB_PATH, hub.handle);
  });

  it('refuses an invalid config with the field at fault', () => {
    expect(() => parseHubConfig({ subgraphs: [{ name: 'unionhub', url: 'http://x/graphql' }] })).toThrow(/subgraphs\.0\.name: "unionhub" is taken/);
    expect(() => parseHubConfig({ subgraphs: [{ name: 'finance', url: 'not a url' }] })).toThrow(/subgraphs\.0\.url/);
  });
});

describe('pnpm start with a hub config', () => {
  /** `tsx server/src/main.ts` on a copy of the seeded database with HUB_CONFIG; resolves at exit or once the hub is up. */
  async function start(config: unknown): Promise<{ code: number | null; output: string; url: string; stop(): Promise<void> }> {
    const dir = mkdtempSync(join(tmpdir(), 'unionhub-hub-start-'));
    const db = await freshDatabase({ seeded: true });
    writeFileSync(join(dir, 'hub.json'), JSON.stringify(config));
    const port = await new Promise<number>((ok) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => ok(p));
      });
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: resolve(import.meta.dirname, '..'),
      env: { ...process.env, PORT: String(port), DATABASE_URL: db.target.location, HUB_CONFIG: join(dir, 'hub.json'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    const ready = new Promise<void>((ok) => {
      const watch = (d: Buffer) => {
        output += d;
        if (/federation hub at /.test(output)) ok();
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
    });
    const code = await Promise.race([exited, ready.then(() => undefined)]);
    return {
      code: code ?? null,
      output,
      url: `http://127.0.0.1:${port}`,
      stop: async () => {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
        await db.drop();
      },
    };
  }

  it('serves the joined hub at /hub/graphql; a browser session reaches our subgraph through it', async () => {
    const server = await start({ subgraphs: [{ name: 'finance', url: finance.url }] });
    try {
      expect(server.output).toMatch(/federation hub at http:\/\/localhost:\d+\/hub\/graphql: unionhub \+ finance/);
      const signIn = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { signIn(username: "viewer.taichinh", password: "viewer-demo-2026") { csrfToken } }' }),
      });
      const csrf = ((await signIn.json()) as { data: { signIn: { csrfToken: string } } }).data.signIn.csrfToken;
      const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const r = await fetch(`${server.url}${HUB_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: JSON.stringify({ query: '{ me { username } union(code: "P06") { name } }' }),
      });
      expect(await r.json()).toEqual({ data: { me: { username: 'viewer.taichinh' }, union: { name: 'LĐLĐ tỉnh Bắc Kạn' } } });
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('stops start-up with exit code 1 and the composition errors when a department does not compose', async () => {
    const clash = await (async () => {
      const yoga = createYoga({
        schema: buildSubgraphSchema([{ typeDefs: parse(`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
          type Indicator @key(fields: "code") { code: String! unit: Int! }
          type Query { budget: Indicator }`), resolvers: {} }]),
        landingPage: false,
      });
      const server = createServer(yoga);
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      closers.push(() => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    })();
    const server = await start({ subgraphs: [{ name: 'budget', url: clash }] });
    try {
      expect(server.code, server.output).toBe(1);
      expect(server.output).toMatch(/The federation hub cannot start: composing "unionhub" .*"budget" .* failed:/);
      expect(server.output).toMatch(/Indicator\.unit/);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
