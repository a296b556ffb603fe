/**
 * `pnpm print-schema`: write the subgraph SDL to schema/schema.graphql and the typed documents'
 * introspection to schema/src/graphql-env.d.ts (both checked in; a test fails on drift).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateOutput } from '@gql.tada/cli-utils';
import { REPO_ROOT } from './config.js';
import { printSchemaSdl } from './graphql/index.js';

const file = resolve(REPO_ROOT, 'schema/schema.graphql');
writeFileSync(file, `${printSchemaSdl()}\n`);
console.log(`wrote ${file}`);
await generateOutput({ output: undefined, tsconfig: resolve(REPO_ROOT, 'schema/tsconfig.json'), silent: true });
console.log(`wrote ${resolve(REPO_ROOT, 'schema/src/graphql-env.d.ts')}`);
