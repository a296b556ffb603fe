/**
 * A real server for a test file: its own copy of the seeded SQLite file, the real app on an
 * ephemeral loopback port, and a GraphQL client over HTTP.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { knexOf, openDatabase, type Orm } from '../server/src/db/orm.js';
import { startApp, type App } from '../server/src/app.js';

export interface GqlResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions: Record<string, any> & { code: string } }[];
}

export interface TestServer {
  url: string;
  file: string;
  orm: Orm;
  app: App;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResponse<T>>;
  /** Raw SQL straight on the test's database file. */
  sql<T = Record<string, any>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-server-'));
  const file = join(dir, 'db.sqlite');
  copyFileSync(inject('templateDb'), file);
  const orm = await openDatabase({ kind: 'sqlite', location: file });
  const knex = knexOf(orm);
  const app = await startApp(knex, 0, '127.0.0.1');
  return {
    url: app.url,
    file,
    orm,
    app,
    async gql(query, variables, headers) {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    async sql(query, params = []) {
      return (await knex.raw(query, params as never[])) as never;
    },
    async close() {
      await app.close();
      await orm.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
