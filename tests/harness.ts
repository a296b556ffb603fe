/**
 * A real server for a test file: its own copy of the seeded database (a SQLite file, or on
 * PostgreSQL a database made from the seeded template — see global-setup.ts), the real app on an
 * ephemeral loopback port, and a GraphQL client over HTTP.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { openSse } from './sse.js';
import { knexOf, openDatabase, type Orm } from '../server/src/db/orm.js';
import { createDatabase, databaseName, databaseUrl, dropDatabase } from '../server/src/db/postgres.js';
import type { DatabaseTarget } from '../server/src/config.js';
import { rawRows } from '../server/src/domain/db.js';
import { startApp, type App, type AppOptions } from '../server/src/app.js';
import { gridWorkersOf } from '../server/src/db/grid-workers.js';
import { issueToken } from '../server/src/domain/auth.js';
import { DEMO_USERS } from '../server/src/db/demo-users.js';

export type As = 'admin' | 'reviewer' | 'reporter' | 'viewer' | 'anonymous';
export interface GqlOptions {
  /** Which demo user calls (a bearer token of theirs); default admin. */
  as?: As;
  /** Or any user by username (a token issued for them on first use). */
  user?: string;
  headers?: Record<string, string>;
}

export interface GqlResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions: Record<string, any> & { code: string } }[];
}

/** One running app on a test's database, and a GraphQL client over HTTP to it. */
export interface TestInstance {
  url: string;
  orm: Orm;
  app: App;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, opts?: GqlOptions): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

export interface TestServer extends TestInstance {
  /** The test's database: a SQLite file path, or a postgres:// URL. */
  file: string;
  /** Bearer tokens of the demo users, by role. */
  tokens: Record<Exclude<As, 'anonymous'>, string>;
  auth(as?: As): Record<string, string>;
  /** Subscribe over SSE; `next()` resolves with each event's payload, in order. */
  subscribe(query: string, as?: As): Promise<{ next(): Promise<any>; close(): void }>;
  /** Raw SQL straight on the test's database, `?` placeholders; rows on SQLite and PostgreSQL alike. */
  sql<T = Record<string, any>>(query: string, params?: unknown[]): Promise<T[]>;
  /** A bearer token of a user by username, issued on first use. */
  tokenOf(username: string): Promise<string>;
}

/**
 * Rate limiting is effectively off unless a test asks for limits (options.limits): test files fire
 * requests far faster than any person, from one token.
 */
function startOn(orm: Orm, options: AppOptions): Promise<App> {
  return startApp(knexOf(orm), 0, '127.0.0.1', { ...options, limits: { RATE_LIMIT_PER_MINUTE: 1e9, RATE_LIMIT_BURST: 1e9, RATE_LIMIT_ANONYMOUS_PER_MINUTE: 1e9, ...options.limits } });
}

type Credentials = (opts: GqlOptions) => Promise<Record<string, string>>;
const credentialsOf = (server: Pick<TestServer, 'auth' | 'tokenOf'>): Credentials => async (opts) =>
  opts.user === undefined ? server.auth(opts.as) : { authorization: `Bearer ${await server.tokenOf(opts.user)}` };

/** `close` runs once however often it is called (a test may stop an instance its afterAll stops again). */
function instanceOf(orm: Orm, app: App, credentials: Credentials, close: () => Promise<void>): TestInstance {
  let closed: Promise<void> | undefined;
  return {
    url: app.url,
    orm,
    app,
    async gql(query, variables, opts = {}) {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await credentials(opts)), ...opts.headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    close: () => (closed ??= close()),
  };
}

export async function startTestServer(options: AppOptions = {}): Promise<TestServer> {
  const db = await freshDatabase({ seeded: true });
  const file = db.target.location;
  const orm = await openDatabase(db.target);
  const knex = knexOf(orm);
  const app = await startOn(orm, options);
  const tokens = {} as TestServer['tokens'];
  for (const u of DEMO_USERS) tokens[u.role] = (await issueToken(knex, { username: u.username, name: 'tests' })).token;
  const auth = (as: As = 'admin'): Record<string, string> => (as === 'anonymous' ? {} : { authorization: `Bearer ${tokens[as]}` });
  const issued = new Map<string, Promise<string>>();
  const tokenOf = (username: string): Promise<string> => {
    if (!issued.has(username)) issued.set(username, issueToken(knex, { username, name: 'tests' }).then((t) => t.token));
    return issued.get(username)!;
  };
  const instance = instanceOf(orm, app, credentialsOf({ auth, tokenOf }), async () => {
    await app.close();
    await orm.close();
    await db.drop();
  });
  return {
    ...instance,
    tokens,
    auth,
    tokenOf,
    file,
    async subscribe(query, as = 'admin') {
      const sub = await openSse(`${app.url}/graphql`, query, { 'x-graphql-yoga-csrf': '1', ...auth(as) });
      const next = async (): Promise<any> => {
        const payload = await sub.next();
        if (payload === null) throw new Error('the subscription ended');
        return payload;
      };
      // Let the server register the subscription before the caller acts.
      await new Promise((r) => setTimeout(r, 150));
      return { next, close: sub.close };
    },
    async sql(query, params = []) {
      return rawRows(knex, query, params) as never;
    },
  };
}

/**
 * Another app on a test server's database (a second instance beside it, or its restart), with its
 * own options (e.g. another clock `now`); the same users and tokens. `close()` stops it and its
 * connection, never the database.
 */
export async function startInstance(server: TestServer, options: AppOptions = {}): Promise<TestInstance> {
  const orm = await openDatabase({ kind: databaseKind(), location: server.file });
  const app = await startOn(orm, options);
  return instanceOf(orm, app, credentialsOf(server), async () => {
    await app.close();
    await orm.close();
  });
}

/** Which database the suite runs on (`tests/with-postgres.sh` runs it on PostgreSQL). */
export function databaseKind(): DatabaseTarget['kind'] {
  return inject('templateDb').startsWith('postgres') ? 'postgresql' : 'sqlite';
}

let databases = 0;

/**
 * A database of the test's own, removed by `drop()`: a copy of the seeded template, or (seeded:
 * false) an empty one for a program to migrate and seed itself. SQLite: a file in a temporary
 * folder; PostgreSQL: a database on the test server.
 */
export async function freshDatabase(opts: { seeded: boolean }): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  const template = inject('templateDb');
  if (databaseKind() === 'postgresql') {
    const name = `t_${process.pid}_${++databases}_${Date.now().toString(36)}`;
    await createDatabase(template, name, opts.seeded ? databaseName(template) : undefined);
    return { target: { kind: 'postgresql', location: databaseUrl(template, name) }, drop: () => dropDatabase(template, name) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-server-'));
  const file = join(dir, 'db.sqlite');
  if (opts.seeded) copyFileSync(template, file);
  return { target: { kind: 'sqlite', location: file }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A browser test file's real server (its own database copy) and Chromium. */
export async function startBrowserSuite(): Promise<{ s: TestServer; browser: Browser }> {
  const s = await startTestServer();
  await gridWorkersOf(s.app.db)?.warm();
  return { s, browser: await launchBrowser() };
}

export async function closeBrowserSuite(s: TestServer | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await s?.close();
}
