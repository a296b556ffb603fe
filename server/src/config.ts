/** Environment, read once. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface DatabaseTarget {
  kind: 'sqlite' | 'postgresql';
  /** File path for SQLite, connection URL for PostgreSQL. */
  location: string;
}

/** `DATABASE_URL`: a `postgres://` URL, `sqlite:path`, a bare file path, or unset (data/unionhub.sqlite). */
export function databaseTarget(url = process.env.DATABASE_URL): DatabaseTarget {
  if (!url) return { kind: 'sqlite', location: resolve(REPO_ROOT, 'data/unionhub.sqlite') };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgresql', location: url };
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  return { kind: 'sqlite', location: path === ':memory:' ? path : resolve(path) };
}

export function ensureParentDir(file: string): void {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
}

export const PORT = Number(process.env.PORT ?? 4000);
export const CLIENT_DIST = resolve(REPO_ROOT, 'client/dist');
