/** `pnpm print-schema`: write the subgraph SDL to schema/schema.graphql (checked in; a test fails on drift). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './config.js';
import { printSchemaSdl } from './graphql/index.js';

const file = resolve(REPO_ROOT, 'schema/schema.graphql');
writeFileSync(file, `${printSchemaSdl()}\n`);
console.log(`wrote ${file}`);
