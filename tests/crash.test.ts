/**
 * Crash safety (SQLite): the real server as a child process on its own copy of the database,
 * killed with SIGKILL while it applies a large import (thousands of new cells in one transaction)
 * and while it writes a maximal setFigures batch. After a restart the file passes
 * `PRAGMA integrity_check` and each batch is there entirely or not at all; the same import then
 * applies in full.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INDICATORS } from '@unionhub/schema';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { issueToken } from '../server/src/domain/auth.js';
import { REPO_ROOT } from '../server/src/config.js';

const sqlite = !inject('templateDb').startsWith('postgres');
const dir = mkdtempSync(join(tmpdir(), 'unionhub-crash-'));
const file = join(dir, 'db.sqlite');
const hubConfig = join(dir, 'hub.json');
let token = '';
let child: ChildProcess | null = null;
let url = '';
let log = '';

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/** `pnpm start`'s server (server/src/main.ts) on our copy; resolves once /healthz answers. */
async function startServer(): Promise<void> {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: file, PORT: String(port), HUB_CONFIG: hubConfig, RATE_LIMIT_BURST: '100000', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not start:\n${log}`);
}

function killHard(): Promise<void> {
  const c = child!;
  child = null;
  return new Promise((ok) => {
    if (c.exitCode !== null || c.signalCode !== null) return ok();
    c.once('exit', () => ok());
    c.kill('SIGKILL');
  });
}

const walSize = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

/**
 * Send a request and SIGKILL the server once it is visibly writing (its WAL grows), a little
 * later each run. Returns whether the answer came back before the kill.
 */
async function killWhileWriting(send: () => Promise<Response>, delayMs: number): Promise<'answered' | 'killed'> {
  const base = walSize();
  let answered = false;
  const pending = send().then(
    async (r) => {
      answered = true;
      await r.text();
    },
    () => {},
  );
  const deadline = Date.now() + 60_000;
  while (!answered && walSize() < base + 64 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  await new Promise((r) => setTimeout(r, delayMs));
  const outcome = answered ? 'answered' : 'killed';
  await killHard();
  await pending;
  return outcome;
}

async function withDb<T>(fn: (db: ReturnType<typeof knexOf>) => Promise<T>): Promise<T> {
  const orm = await openDatabase({ kind: 'sqlite', location: file });
  try {
    return await fn(knexOf(orm));
  } finally {
    await orm.close();
  }
}

async function integrity(): Promise<string> {
  return withDb(async (db) => {
    const rows = (await db.raw('pragma integrity_check')) as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  });
}

const gql = async (query: string, variables: Record<string, unknown> = {}) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });

beforeAll(async () => {
  if (!sqlite) return;
  copyFileSync(inject('templateDb'), file);
  writeFileSync(hubConfig, JSON.stringify({ subgraphs: [] }));
  token = await withDb(async (db) => (await issueToken(db, { username: 'admin', name: 'crash test' })).token);
});
afterAll(async () => {
  if (child) await killHard();
  rmSync(dir, { recursive: true, force: true });
});

/** New 2018 actuals for the direct superior unions of provinces P01–P09: one import, one transaction. */
async function largeImport(): Promise<{ workbook: Buffer; cells: number; unions: string[] }> {
  const unions = await withDb(async (db) =>
    (await db('trade_union').select('code').where('level', 2).where('valid_from', '<=', 2018).where((q) => q.whereNull('valid_to').orWhere('valid_to', '>=', 2018))
      .where('code', 'like', 'P0%').orderBy('code')).map((r: { code: string }) => r.code),
  );
  const indicators = INDICATORS.filter((d) => d.aggregation.type !== 'ratio' && d.validFrom <= 2018 && d.validTo >= 2018);
  const res = await fetch(`${url}/exports/figures.xlsx?root=P06-H01&years=2019&scenario=target`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  const ws = wb.getWorksheet('Số liệu')!;
  let cells = 0;
  for (const u of unions) {
    for (const d of indicators) {
      ws.addRow([u, '', '', '', d.code, '', 2018, 'actual', 1 + ((cells * 7) % 500)]);
      cells++;
    }
  }
  return { workbook: Buffer.from(await wb.xlsx.writeBuffer()), cells, unions };
}

const REASON_IMPORT = 'crash-test import';
const REASON_BATCH = 'crash-test batch';

async function applied(reason: string): Promise<number> {
  return withDb(async (db) => Number((await db('figure_revision').count({ n: '*' }).where('reason', reason))[0]!.n));
}

describe.skipIf(!sqlite)('kill -9 during large writes (SQLite)', () => {
  it('an import killed mid-transaction leaves an intact file and none of it; afterwards it applies in full', async () => {
    await startServer();
    const { workbook, cells } = await largeImport();
    expect(cells).toBeGreaterThan(4_000);
    const upload = (action: string) =>
      fetch(`${url}/imports/${action}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` }, body: workbook as unknown as BodyInit });
    const preview = (await (await upload('preview')).json()) as { token: string; counts: Record<string, number> };
    expect(preview.counts).toMatchObject({ new: cells, rejected: 0 });
    const before = await withDb(async (db) => Number((await db('figure').count({ n: '*' }))[0]!.n));

    const outcomes: string[] = [];
    for (const delay of [0, 120]) {
      if (!child) await startServer();
      outcomes.push(await killWhileWriting(() => upload(`apply?token=${preview.token}&reason=${encodeURIComponent(REASON_IMPORT)}`), delay));
      expect(await integrity()).toBe('ok');
      const n = await applied(REASON_IMPORT);
      // All or nothing.
      expect([0, cells]).toContain(n);
      if (n === cells) break;
      expect(await withDb(async (db) => Number((await db('figure').count({ n: '*' }))[0]!.n))).toBe(before);
    }
    // At least one kill landed inside the transaction (the WAL was growing and no answer had come).
    expect(outcomes).toContain('killed');

    // Restarted, the server serves and the same import goes through whole.
    await startServer();
    if ((await applied(REASON_IMPORT)) === 0) {
      const res = await upload(`apply?token=${preview.token}&reason=${encodeURIComponent(REASON_IMPORT)}`);
      expect(res.status, await res.clone().text()).toBe(200);
    }
    expect(await applied(REASON_IMPORT)).toBe(cells);
    expect(await withDb(async (db) => Number((await db('figure').count({ n: '*' }))[0]!.n))).toBe(before + cells);
    console.log(`import of ${cells} cells: kills ${outcomes.join(', ')}`);
    await killHard();
    expect(await integrity()).toBe('ok');
  }, 300_000);

  it('a maximal setFigures batch killed mid-transaction is all or nothing', async () => {
    await startServer();
    // 2019 actuals do not exist yet: every cell is a new one (expectedVersion 0).
    const unions = await withDb(async (db) => (await db('trade_union').select('code').where('level', 2).where('valid_from', '<=', 2019)
      .where((q) => q.whereNull('valid_to').orWhere('valid_to', '>=', 2019)).orderBy('code')).map((r: { code: string }) => r.code));
    const indicators = INDICATORS.filter((d) => d.aggregation.type !== 'ratio' && d.validFrom <= 2019 && d.validTo >= 2019);
    const cells: Record<string, unknown>[] = [];
    for (const u of unions) for (const d of indicators) if (cells.length < 5_000) cells.push({ unionCode: u, indicatorCode: d.code, year: 2019, scenario: 'ACTUAL', value: cells.length % 997, expectedVersion: 0 });
    expect(cells.length).toBe(5_000);
    const send = () => gql('mutation ($c: [CellWrite!]!, $r: String) { setFigures(cells: $c, reason: $r) { figures { version } } }', { c: cells, r: REASON_BATCH });
    const outcomes: string[] = [];
    for (const delay of [0, 60]) {
      if (!child) await startServer();
      outcomes.push(await killWhileWriting(send, delay));
      expect(await integrity()).toBe('ok');
      expect([0, cells.length]).toContain(await applied(REASON_BATCH));
    }
    expect(outcomes).toContain('killed');
    console.log(`setFigures of ${cells.length} cells: kills ${outcomes.join(', ')}`);
    if (child) await killHard();
  }, 300_000);
});
