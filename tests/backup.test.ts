/**
 * Backups that restore (issue 17, server/src/domain/backup.ts): `pnpm backup` taken in the middle
 * of a write load (concurrent setFigures batches through the real server) restores, with
 * `pnpm restore`, into an empty database that is intact and equal to one consistent moment: every
 * figure's version matches its revisions, and each batch is there whole or not at all. Restore
 * refuses a damaged file, another schema version and a non-empty target, writing nothing.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKind, freshDatabase, startTestServer, type TestServer } from './harness.js';
import { REPO_ROOT, type DatabaseTarget } from '../server/src/config.js';
import { rawRows } from '../server/src/domain/db.js';
import { BackupRefusal, manifestPath, restoreBackup, withDb, type Manifest } from '../server/src/domain/backup.js';

let s: TestServer;
let dir: string;
const drops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  s = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'unionhub-backup-'));
});
afterAll(async () => {
  for (const drop of drops) await drop();
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SET = `mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells) { figures { version } } }`;
/** 2018 actuals are not seeded: the load creates these cells, so their version must equal their revisions exactly. */
const YEAR = 2018;
const WRITERS = ['P06-H01', 'P06-H02', 'P06-H03', 'P06-H04', 'P06-H05'];
const SECTORS = ['public', 'state', 'private', 'fdi', 'other'];
const INDICATORS = [
  'workers', 'workers.women', ...SECTORS.map((x) => `workers.sector.${x}`),
  'members', 'members.women', 'members.left', ...SECTORS.map((x) => `members.sector.${x}`),
  'members.admitted', 'members.admitted.women', ...SECTORS.map((x) => `members.admitted.sector.${x}`),
];
/** Writer w's batch number r writes this to all its cells. */
const marker = (w: number, r: number) => (w + 1) * 10_000 + r;

/** A script as `pnpm backup|restore` runs it (tsx over the script) with DATABASE_URL; straight through node, so npm's own warnings are not in its output. */
function script(name: 'backup' | 'restore', args: string[], databaseUrl: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(process.execPath, ['--import', 'tsx', `server/src/tools/${name}.ts`, ...args], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } }, (e, out, err) =>
      ok({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

async function query<T>(target: DatabaseTarget, fn: (sql: (q: string, p?: unknown[]) => Promise<Record<string, any>[]>) => Promise<T>): Promise<T> {
  return withDb(target, (db) => fn((q, p = []) => rawRows(db, q, p)));
}

async function emptyTarget(): Promise<DatabaseTarget> {
  const db = await freshDatabase({ seeded: false });
  drops.push(db.drop);
  return db.target;
}

/** Whether a target is still untouched: no SQLite file (nor a temporary copy beside it), or no PostgreSQL table. */
async function untouched(target: DatabaseTarget): Promise<boolean> {
  if (target.kind === 'sqlite') {
    const base = target.location.split('/').pop()!;
    return !existsSync(target.location) && readdirSync(join(target.location, '..')).filter((f) => f.startsWith(base)).length === 0;
  }
  return query(target, async (sql) => (await sql("select count(*) as n from information_schema.tables where table_schema = 'public'"))[0]!.n == 0);
}

let backupFile = '';
let manifest: Manifest;

describe('backup and restore', () => {
  it('takes a backup in the middle of a write load that restores to one consistent moment', async () => {
    // A long reader beside the load (an export, say) holds its snapshot throughout: on SQLite no checkpoint can move the
    // load into the main file, so a copy of that file would miss it; the backup must read through the WAL.
    let endReader = () => {};
    const readerDone = new Promise<void>((ok) => (endReader = ok));
    let readerStarted = false;
    const reader = withDb({ kind: databaseKind(), location: s.file }, (db) =>
      db.transaction(async (trx) => {
        await trx.raw('select count(*) from figure_revision');
        readerStarted = true;
        await readerDone;
      }),
    );
    await expect.poll(() => readerStarted).toBe(true);
    const rounds = WRITERS.map(() => 0);
    let stopAt: number[] | null = null;
    const writers = WRITERS.map(async (unionCode, w) => {
      while (stopAt === null || rounds[w]! < stopAt[w]!) {
        const r = rounds[w]! + 1;
        const cells = INDICATORS.map((indicatorCode) => ({ unionCode, indicatorCode, year: YEAR, scenario: 'ACTUAL', value: marker(w, r), expectedVersion: r - 1 }));
        const res = await s.gql(SET, { cells });
        expect(res.errors).toBeUndefined();
        rounds[w] = r;
      }
    });
    // The backup starts once every writer has committed batches, and writers keep going past its end.
    await expect.poll(() => Math.min(...rounds), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    backupFile = join(dir, 'live.backup');
    // Every batch answered before the backup began must be in it.
    const answeredBefore = [...rounds];
    const taken = await script('backup', [backupFile], s.file);
    expect(taken.err).toBe('');
    expect(taken.code).toBe(0);
    stopAt = rounds.map((r) => r + 2);
    await Promise.all(writers);
    endReader();
    await reader;
    manifest = JSON.parse(readFileSync(manifestPath(backupFile), 'utf8')) as Manifest;
    expect(manifest).toMatchObject({ format: 'unionhub-backup/1', kind: databaseKind(), schemaVersion: expect.stringMatching(/^Migration\d+_/) });
    expect(manifest.tables.figure).toBeGreaterThan(400_000);

    const target = await emptyTarget();
    const restored = await script('restore', [backupFile], target.location);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);

    await query(target, async (sql) => {
      // The manifest's counts are the restored database's (the script checked; count two here too).
      expect(Number((await sql('select count(*) as n from figure'))[0]!.n)).toBe(manifest.tables.figure);
      expect(Number((await sql('select count(*) as n from figure_revision'))[0]!.n)).toBe(manifest.tables.figure_revision);
      // Every figure's version equals its revisions (seeded cells start at version 1 without one).
      const wrong = await sql(
        `select count(*) as n from figure f
          where f.version <> (select count(*) from figure_revision r where r.figure_id = f.id) + case when f.year = ? and f.scenario = 'actual' then 0 else 1 end`,
        [YEAR],
      );
      expect(Number(wrong[0]!.n)).toBe(0);
      for (const [w, unionCode] of WRITERS.entries()) {
        const cells = await sql(
          `select f.value, f.version from figure f join trade_union u on u.id = f.union_id where u.code = ? and f.year = ? and f.scenario = 'actual'`,
          [unionCode, YEAR],
        );
        // No half batch: all of the writer's cells carry the same batch's marker, at that batch's version.
        expect(cells).toHaveLength(INDICATORS.length);
        const r = cells[0]!.version as number;
        expect(cells.map((c) => [Number(c.value), c.version])).toEqual(cells.map(() => [marker(w, r), r]));
        // A moment inside the load: after the batches answered before the backup began, before the last ones.
        expect(r).toBeGreaterThanOrEqual(answeredBefore[w]!);
        expect(r).toBeLessThan(rounds[w]!);
        // And each earlier batch left exactly one revision per cell.
        const revisions = await sql(
          `select r.after_value as v, count(*) as n from figure_revision r join figure f on f.id = r.figure_id join trade_union u on u.id = f.union_id
            where u.code = ? and f.year = ? group by r.after_value order by r.after_value`,
          [unionCode, YEAR],
        );
        expect(revisions.map((x) => [Number(x.v), Number(x.n)])).toEqual(Array.from({ length: r }, (_, i) => [marker(w, i + 1), INDICATORS.length]));
      }
    });
  }, 60_000);

  it('refuses a damaged file, another schema version and a non-empty target, writing nothing', async () => {
    expect(manifest, 'the first test made the backup').toBeDefined();
    const copy = (name: string, edit?: (m: Manifest) => void) => {
      const file = join(dir, name);
      copyFileSync(backupFile, file);
      const m = structuredClone(manifest);
      edit?.(m);
      writeFileSync(manifestPath(file), JSON.stringify(m));
      return file;
    };

    // One flipped byte in the middle of the data file: refused by the script, exit code 2.
    const damaged = copy('damaged.backup');
    const bytes = readFileSync(damaged);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    writeFileSync(damaged, bytes);
    const target = await emptyTarget();
    const refused = await script('restore', [damaged], target.location);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/refused \(CHECKSUM\).*damaged/);
    expect(await untouched(target)).toBe(true);

    const other = copy('other-schema.backup', (m) => {
      m.schemaVersion = 'Migration20991231000000_future';
    });
    await expect(restoreBackup(other, target)).rejects.toMatchObject({ name: 'BackupRefusal', reason: 'SCHEMA_VERSION' });
    expect(await untouched(target)).toBe(true);

    // The live test database is not empty: refused, its rows unchanged.
    const live: DatabaseTarget = { kind: databaseKind(), location: s.file };
    const before = await s.sql('select count(*) as n from figure_revision');
    const error = await restoreBackup(backupFile, live).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupRefusal);
    expect((error as BackupRefusal).reason).toBe('NOT_EMPTY');
    expect(await s.sql('select count(*) as n from figure_revision')).toEqual(before);
  }, 60_000);
});
