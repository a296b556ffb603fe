import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateOutput } from '@gql.tada/cli-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSchemaSdl } from '../server/src/graphql/index.js';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('federation v2 subgraph', () => {
  it('has a checked-in schema.graphql identical to the one the code prints (run `pnpm print-schema` after a change)', () => {
    const checkedIn = readFileSync(resolve(import.meta.dirname, '../schema/schema.graphql'), 'utf8');
    expect(checkedIn).toBe(`${printSchemaSdl()}\n`);
  });

  it('has the typed documents\' introspection generated from that schema (schema/src/graphql-env.d.ts)', async () => {
    const fresh = join(mkdtempSync(join(tmpdir(), 'tada-')), 'graphql-env.d.ts');
    await generateOutput({ output: fresh, tsconfig: resolve(import.meta.dirname, '../schema/tsconfig.json'), silent: true });
    expect(readFileSync(resolve(import.meta.dirname, '../schema/src/graphql-env.d.ts'), 'utf8')).toBe(readFileSync(fresh, 'utf8'));
  });

  it('serves _service.sdl with the @link import and the entity keys', async () => {
    const r = await s.gql('{ _service { sdl } }');
    const sdl: string = r.data!._service.sdl;
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.6", import: \[[^\]]*"@key"/);
    expect(sdl).toMatch(/type Union\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type Indicator\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type Figure\s+@key\(fields: "unionCode indicatorCode year scenario"\)/);
  });

  it('resolves _entities for every key form', async () => {
    const r = await s.gql(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on Union { code name level }
        ... on Indicator { code kind }
        ... on Figure { unionCode indicatorCode year scenario value }
      } }`,
      {
        reps: [
          { __typename: 'Union', code: 'P06' },
          { __typename: 'Indicator', code: 'members' },
          { __typename: 'Figure', unionCode: 'TLD', indicatorCode: 'members', year: 2014, scenario: 'actual' },
          { __typename: 'Union', code: 'NOPE' },
        ],
      },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!._entities).toEqual([
      { code: 'P06', name: 'LĐLĐ tỉnh Bắc Kạn', level: 1 },
      { code: 'members', kind: 'stock' },
      { unionCode: 'TLD', indicatorCode: 'members', year: 2014, scenario: 'ACTUAL', value: 8_558_063 },
      null,
    ]);
  });
});
