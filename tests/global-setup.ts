/**
 * Seed the national data set once into a template database; each test file works on its own copy.
 * SQLite (the default): a template file, copied per test file. PostgreSQL (DATABASE_URL is a
 * postgres:// URL, as `tests/with-postgres.sh` sets it): a template database `unionhub_template`
 * on that server, copied per test file with CREATE DATABASE … TEMPLATE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { databaseTarget } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/orm.js';
import { loadSeed } from '../server/src/db/load-seed.js';
import { createDatabase, databaseUrl, dropDatabase } from '../server/src/db/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The seeded template: a SQLite file path, or a postgres:// URL of the template database. */
    templateDb: string;
  }
}

export const PG_TEMPLATE = 'unionhub_template';

interface Template {
  value: string;
  drop(): Promise<void> | void;
}

async function seedTemplate(): Promise<Template> {
  const target = databaseTarget();
  if (target.kind === 'postgresql') {
    const url = databaseUrl(target.location, PG_TEMPLATE);
    await dropDatabase(target.location, PG_TEMPLATE);
    await createDatabase(target.location, PG_TEMPLATE);
    const orm = await openDatabase({ kind: 'postgresql', location: url });
    await loadSeed(orm);
    await orm.close();
    return { value: url, drop: () => dropDatabase(target.location, PG_TEMPLATE) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-test-'));
  const file = join(dir, 'template.sqlite');
  const orm = await openDatabase({ kind: 'sqlite', location: file });
  await loadSeed(orm);
  await orm.close();
  return { value: file, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

// Vitest runs a global setup once per project (server, browser); both share one seeded template,
// dropped when the last of them tears down.
const shared = globalThis as { unionhubTemplate?: { ready: Promise<Template>; users: number } };

export default async function setup(project: TestProject) {
  shared.unionhubTemplate ??= { ready: seedTemplate(), users: 0 };
  const entry = shared.unionhubTemplate;
  entry.users++;
  const template = await entry.ready;
  project.provide('templateDb', template.value);
  return async () => {
    if (--entry.users > 0) return;
    delete shared.unionhubTemplate;
    await template.drop();
  };
}
