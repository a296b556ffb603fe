/** Seed the national data set once into a template SQLite file; each test file works on its own copy. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../server/src/db/orm.js';
import { loadSeed } from '../server/src/db/load-seed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-test-'));
  const file = join(dir, 'template.sqlite');
  const orm = await openDatabase({ kind: 'sqlite', location: file });
  await loadSeed(orm);
  await orm.close();
  project.provide('templateDb', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
