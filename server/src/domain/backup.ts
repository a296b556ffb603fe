/**
 * Backups that restore (issue 17). A backup is a data file and a manifest beside it
 * (`<file>.manifest.json`): when it was taken, the schema version (the last migration applied),
 * the row count of every table and the file's SHA-256.
 *
 * - SQLite: `VACUUM INTO` on the live database — one read transaction, so a consistent copy
 *   while the server keeps writing (WAL); the counts are read from the copy itself.
 * - PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the counts are read in it and
 *   `pg_dump --snapshot` dumps that same snapshot, so counts and dump describe one moment.
 *
 * Restore refuses (BackupRefusal, nothing written) a file whose checksum or schema version does
 * not match, or a target that is not empty; afterwards it checks the counts against the manifest.
 */
import { childEnv } from '../config.js';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, copyFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { MikroORM } from '@mikro-orm/core';
import type { DatabaseTarget } from '../config.js';
import { knexOf, ormOptions } from '../db/orm.js';
import { MIGRATIONS } from '../migrations/index.js';
import { rawRows, type Db } from './db.js';

const run = promisify(execFile);

/** The table MikroORM's migrator keeps its applied migrations in. */
const MIGRATIONS_TABLE = 'mikro_orm_migrations';
export const MANIFEST_FORMAT = 'unionhub-backup/1';

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  kind: DatabaseTarget['kind'];
  createdAt: string;
  /** The last migration applied in the backed-up database. */
  schemaVersion: string;
  /** Rows per table, tables by name. */
  tables: Record<string, number>;
  /** The data file's name (beside the manifest), size and SHA-256 (hex). */
  file: string;
  bytes: number;
  sha256: string;
}

export type RefusalReason = 'NO_MANIFEST' | 'KIND' | 'CHECKSUM' | 'SCHEMA_VERSION' | 'NOT_EMPTY' | 'COUNTS';

/** A backup or restore refused, with a stable reason; the scripts exit with code 2 on it. */
export class BackupRefusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'BackupRefusal';
  }
}

/** This code's schema version: its latest migration. */
export const latestSchemaVersion = (): string => MIGRATIONS[MIGRATIONS.length - 1]!.name;

export const manifestPath = (file: string): string => `${file}.manifest.json`;

/** A default backup file name in `dir`: the time taken, sortable. */
export function defaultBackupFile(dir: string, kind: DatabaseTarget['kind'], at = new Date()): string {
  return join(dir, `unionhub-${at.toISOString().replace(/[:.]/g, '-')}.${kind === 'sqlite' ? 'sqlite' : 'pgdump'}`);
}

/** `fn` on a connection to `target` that runs no migration (a backup or restore must not change what it reads). */
export async function withDb<T>(target: DatabaseTarget, fn: (db: Db) => Promise<T>): Promise<T> {
  const options = ormOptions(target);
  const orm = await MikroORM.init(target.kind === 'postgresql' ? { ...options, pool: { min: 0, max: 1 } } : options);
  try {
    return await fn(knexOf(orm));
  } finally {
    await orm.close();
  }
}

async function tableNames(db: Db, kind: DatabaseTarget['kind']): Promise<string[]> {
  const rows =
    kind === 'sqlite'
      ? await rawRows<{ name: string }>(db, "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'")
      : await rawRows<{ name: string }>(db, "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
  return rows.map((r) => r.name).sort();
}

async function rowCounts(db: Db, kind: DatabaseTarget['kind']): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of await tableNames(db, kind)) {
    const [r] = await rawRows<{ n: number | string }>(db, `select count(*) as n from "${t.replace(/"/g, '""')}"`);
    counts[t] = Number(r!.n);
  }
  return counts;
}

async function schemaVersion(db: Db): Promise<string> {
  const [r] = await rawRows<{ name: string }>(db, `select name from ${MIGRATIONS_TABLE} order by id desc limit 1`);
  if (!r) throw new Error('the database has no applied migrations');
  return r.name;
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The newest pg_dump / pg_restore: Debian's highest /usr/lib/postgresql/<n>/bin (as tests/with-postgres.sh finds it), else PATH. */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', name))) : [];
  versions.sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b));
  return versions.length ? join(root, versions[versions.length - 1]!, 'bin', name) : name;
}

/** A connection URL for the PostgreSQL tools, its password in PGPASSWORD (not on a command line others can read). */
function pgConnection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env = childEnv();
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { url: u.toString(), env };
}

/** Take a backup of `target` into `file` (and `file`.manifest.json); the database keeps serving meanwhile. */
export async function takeBackup(target: DatabaseTarget, file: string, now: () => Date = () => new Date()): Promise<Manifest> {
  if (existsSync(file) || existsSync(manifestPath(file))) throw new Error(`${file} already exists; a backup never overwrites one`);
  mkdirSync(dirname(file), { recursive: true });
  const createdAt = now().toISOString();
  let tables: Record<string, number>;
  let version: string;
  if (target.kind === 'sqlite') {
    await withDb(target, (db) => db.raw('vacuum into ?', [file]));
    // The copy is the moment the backup stands for: read its counts and version from it.
    [tables, version] = await withDb({ kind: 'sqlite', location: file }, async (db) => [await rowCounts(db, 'sqlite'), await schemaVersion(db)] as const);
  } else {
    [tables, version] = await withDb(target, (db) =>
      db.transaction(async (trx) => {
        await trx.raw('set transaction isolation level repeatable read, read only');
        const [snap] = await rawRows<{ id: string }>(trx, 'select pg_export_snapshot() as id');
        const counts = await rowCounts(trx, 'postgresql');
        const v = await schemaVersion(trx);
        // The exported snapshot lives while this transaction is open: pg_dump sees exactly what was counted.
        const pg = pgConnection(target.location);
        try {
          await run(pgTool('pg_dump'), ['--format=custom', `--snapshot=${snap!.id}`, '--no-owner', '--no-privileges', '--file', file, '--dbname', pg.url], { env: pg.env });
        } catch (e) {
          rmSync(file, { force: true });
          throw e;
        }
        return [counts, v] as const;
      }),
    );
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    kind: target.kind,
    createdAt,
    schemaVersion: version,
    tables,
    file: basename(file),
    bytes: statSync(file).size,
    sha256: await sha256Of(file),
  };
  writeFileSync(manifestPath(file), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The manifest of a backup file (FILE or FILE.manifest.json given), checked against the file and this code. */
export async function checkBackup(given: string, kind: DatabaseTarget['kind']): Promise<{ file: string; manifest: Manifest }> {
  const file = given.endsWith('.manifest.json') ? given.slice(0, -'.manifest.json'.length) : given;
  if (!existsSync(file) || !existsSync(manifestPath(file))) throw new BackupRefusal('NO_MANIFEST', `${file} and its manifest ${basename(manifestPath(file))} must both exist`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath(file), 'utf8')) as Manifest;
  } catch {
    throw new BackupRefusal('NO_MANIFEST', `${manifestPath(file)} is not a readable manifest`);
  }
  if (manifest.format !== MANIFEST_FORMAT) throw new BackupRefusal('NO_MANIFEST', `${manifestPath(file)} is not a ${MANIFEST_FORMAT} manifest`);
  if (manifest.kind !== kind) throw new BackupRefusal('KIND', `this is a ${manifest.kind} backup; the target database is ${kind}`);
  const sha = await sha256Of(file);
  if (sha !== manifest.sha256) throw new BackupRefusal('CHECKSUM', `${file} is damaged: its SHA-256 is ${sha}, the manifest says ${manifest.sha256}`);
  if (manifest.schemaVersion !== latestSchemaVersion()) {
    throw new BackupRefusal('SCHEMA_VERSION', `the backup's schema version is ${manifest.schemaVersion}; this code's is ${latestSchemaVersion()} — restore it with the code of its time`);
  }
  return { file, manifest };
}

function sameCounts(manifest: Manifest, found: Record<string, number>): void {
  const want = JSON.stringify(manifest.tables);
  const got = JSON.stringify(found);
  if (want !== got) throw new BackupRefusal('COUNTS', `the restored rows differ from the manifest: expected ${want}, found ${got}`);
}

/** Whether a database has any table (a SQLite file that does not exist or is empty has none). */
async function isEmpty(target: DatabaseTarget): Promise<boolean> {
  if (target.kind === 'sqlite' && (!existsSync(target.location) || statSync(target.location).size === 0)) return true;
  return withDb(target, async (db) => (await tableNames(db, target.kind)).length === 0);
}

/** Restore a backup into `target`, which must be empty; returns the manifest whose counts it now matches. */
export async function restoreBackup(given: string, target: DatabaseTarget): Promise<Manifest> {
  if (target.kind === 'sqlite' && target.location === ':memory:') throw new Error('cannot restore into an in-memory database');
  const { file, manifest } = await checkBackup(given, target.kind);
  if (!(await isEmpty(target))) throw new BackupRefusal('NOT_EMPTY', 'the target database is not empty; restore only into an empty database');
  if (target.kind === 'sqlite') {
    // Copy beside the target, check the copy, then move it into place in one rename.
    mkdirSync(dirname(target.location), { recursive: true });
    const temp = `${target.location}.restoring-${process.pid}`;
    try {
      copyFileSync(file, temp);
      if ((await sha256Of(temp)) !== manifest.sha256) throw new BackupRefusal('CHECKSUM', `the copy of ${file} differs from it`);
      sameCounts(manifest, await withDb({ kind: 'sqlite', location: temp }, (db) => rowCounts(db, 'sqlite')));
      for (const suffix of ['-wal', '-shm']) rmSync(target.location + suffix, { force: true });
      renameSync(temp, target.location);
    } finally {
      for (const suffix of ['', '-wal', '-shm']) rmSync(temp + suffix, { force: true });
    }
  } else {
    const pg = pgConnection(target.location);
    // One transaction: a failure leaves the database as empty as it was.
    await run(pgTool('pg_restore'), ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', '--dbname', pg.url, file], { env: pg.env });
    sameCounts(manifest, await withDb(target, (db) => rowCounts(db, 'postgresql')));
  }
  return manifest;
}
