/**
 * Load: 20 concurrent clients on loopback against the real server (server/src/main.ts as a child
 * process, as `pnpm start` runs it, on the bench database) with autocannon — the sheet's national
 * grid read, cell writes (each client its own cell, with the version it last got back, so every
 * write should succeed), and both at once. Latency percentiles are taken per request; each is
 * also given as a ratio to /healthz under the same load, measured in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import { print } from 'graphql';
import { SheetGridQuery } from '@unionhub/schema/documents';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { issueToken } from '../server/src/domain/auth.js';
import { databaseTarget, REPO_ROOT } from '../server/src/config.js';
import type { Knex } from '@mikro-orm/knex';

const CONNECTIONS = 20;
const SECONDS = Number(process.env.LOAD_SECONDS ?? 8);

/** What the sheet asks for first (its own document): the national view, TLĐ and its children, five years. */
const GRID = JSON.stringify({
  query: print(SheetGridQuery),
  variables: { root: 'TLD', depth: 1, years: [2013, 2014, 2015, 2016, 2017], scenarios: ['ACTUAL'] },
});
const SET = 'mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells) { figures { value status version } } }';

export interface Stats {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  graphqlErrors: number;
  rps: number;
}

export interface Cell {
  unionCode: string;
  indicatorCode: string;
  year: number;
  version: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/** What one connection sends: a fixed GET, or a body built per request with the connection's own state. */
export interface Spec {
  path: string;
  /** Called once per connection: its body builder and its answer check (false counts a GraphQL error). */
  connection?: () => { body(): string; check(body: string): boolean };
}

/**
 * One autocannon run. Latency is measured per request (built → answered, one request in flight per
 * connection). Each connection gets its own request list in setupClient, so its state (its cell and
 * version) stays its own: autocannon resets the per-request context after every request.
 */
export async function load(url: string, token: string, spec: Spec, connections: number, seconds = SECONDS): Promise<Stats> {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  const request = () => {
    const own = spec.connection?.();
    let started = 0n;
    return {
      method: own ? 'POST' : 'GET',
      path: spec.path,
      setupRequest: (req: Record<string, unknown>) => {
        started = process.hrtime.bigint();
        return own ? { ...req, body: own.body() } : req;
      },
      onResponse: (_status: number, body: string) => {
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (own && !own.check(body)) graphqlErrors++;
      },
    };
  };
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: [request()],
    setupClient: (client: { setRequests(r: unknown[]): void }) => client.setRequests([request()]),
  });
  latencies.sort((a, b) => a - b);
  const r = result as unknown as { errors: number; timeouts: number; non2xx: number; requests: { average: number } };
  return {
    requests: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    graphqlErrors,
    rps: r.requests.average,
  };
}

export const fmt = (s: Stats) =>
  `p50 ${s.p50.toFixed(1)} / p95 ${s.p95.toFixed(1)} / p99 ${s.p99.toFixed(1)} ms, ${s.requests} requests (${s.rps.toFixed(0)}/s), errors ${s.errors}, non-2xx ${s.non2xx}, GraphQL errors ${s.graphqlErrors}`;

/** Each connection takes a cell of its own and sends back the version its last write returned. */
export function writer(pool: Cell[]): Spec {
  let next = 0;
  return {
    path: '/graphql',
    connection: () => {
      const c = pool[next++ % pool.length]!;
      return {
        body: () =>
          JSON.stringify({ query: SET, variables: { cells: [{ unionCode: c.unionCode, indicatorCode: c.indicatorCode, year: c.year, scenario: 'ACTUAL', value: (c.version * 7) % 1000, expectedVersion: c.version }] } }),
        check: (body) => {
          try {
            const parsed = JSON.parse(body) as { data?: { setFigures: { figures: { version: number }[] } }; errors?: { extensions: { currentVersion?: number } }[] };
            if (parsed.data?.setFigures) {
              c.version = parsed.data.setFigures.figures[0]!.version;
              return true;
            }
            // A write left in flight by the previous run landed after it: carry on from the version it made.
            if (parsed.errors?.[0]?.extensions.currentVersion !== undefined) c.version = parsed.errors[0].extensions.currentVersion;
          } catch {
            /* counted as an error */
          }
          return false;
        },
      };
    },
  };
}

/** `n` cells no one else writes (level-2 unions' officials trained, actual 2017, not approved), with their versions. */
export async function writableCells(db: Knex, n: number): Promise<Cell[]> {
  return (
    await db('figure as f').join('trade_union as u', 'u.id', 'f.union_id').join('indicator as i', 'i.id', 'f.indicator_id')
      .select('u.code as unionCode', 'i.code as indicatorCode', 'f.year', 'f.version')
      .where('u.level', 2).where('i.code', 'officials.trained').where('f.scenario', 'actual').where('f.year', 2017).whereNot('f.status', 'approved')
      .orderBy('u.code').limit(n)
  ).map((c: Cell) => ({ ...c, version: Number(c.version) }));
}

/** `file`: a seeded SQLite file, or a postgres:// URL of a seeded database (both are written to). */
export async function benchLoad(file: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-load-'));
  const hubConfig = join(dir, 'hub.json');
  writeFileSync(hubConfig, JSON.stringify({ subgraphs: [] }));
  // A token, and 61 cells no one else writes (20 for the write run, 20 for each run of ten writers, alone and mixed, 1 for the lone writer), with their versions.
  const target = databaseTarget(file);
  const orm = await openDatabase(target);
  const db = knexOf(orm);
  const { token } = await issueToken(db, { username: 'admin', name: 'load bench' });
  const cells = await writableCells(db, CONNECTIONS * 3 + 1);
  await orm.close();
  if (cells.length < CONNECTIONS * 3 + 1) throw new Error(`only ${cells.length} writable cells`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: REPO_ROOT,
      // Rate limiting stays on, with room for 20 machines' worth of requests from one token.
      env: { ...process.env, DATABASE_URL: file, PORT: String(port), HUB_CONFIG: hubConfig, NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_BURST: '100000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr!.on('data', (d) => (log += d));
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        if (i > 600 || child.exitCode !== null) throw new Error(`the server did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const okGraphQL = (body: string) => !body.includes('"errors"');
    // Warm up the read path (first queries compile and fill caches).
    for (let i = 0; i < 5; i++) await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: GRID });

    /** Let what autocannon left in flight finish (a token check waits its turn at the database). */
    const settle = () =>
      fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { username } }' }) }).then((r) => r.text());
    const health = await load(url, token, { path: '/healthz' }, CONNECTIONS);
    const reader: Spec = { path: '/graphql', connection: () => ({ body: () => GRID, check: okGraphQL }) };
    const reads = await load(url, token, reader, CONNECTIONS);
    await settle();

    // One writer alone: a write's own time, which 20 writers queue behind (SQLite has one writer at a time).
    const alone = await load(url, token, writer(cells.slice(CONNECTIONS * 3)), 1);
    await settle();
    const writes = await load(url, token, writer(cells.slice(0, CONNECTIONS)), CONNECTIONS);
    await settle();
    // The same 10 writers alone: the baseline of the mixed run's writes (readers must not hold writers up).
    const tenWriters = await load(url, token, writer(cells.slice(CONNECTIONS)), CONNECTIONS / 2);
    await settle();
    // Cells of their own: a write the last run left in flight answered after it ended, so its
    // connection's next version was never read (each such cell's first write was refused as stale).
    const [mixedReads, mixedWrites] = await Promise.all([
      load(url, token, reader, CONNECTIONS / 2),
      load(url, token, writer(cells.slice(CONNECTIONS * 2)), CONNECTIONS / 2),
    ]);
    await settle();
    const ratio = (s: Stats) => `${(s.p50 / health.p50).toFixed(1)}× /healthz at p50, ${(s.p95 / health.p95).toFixed(1)}× at p95`;
    return [
      `load, ${CONNECTIONS} connections on loopback, ${SECONDS} s each, server as a child process (pnpm start's main.ts) on ${target.kind}${process.env.GROUP_COMMIT ? `, GROUP_COMMIT=${process.env.GROUP_COMMIT}` : ''}:`,
      `  baseline GET /healthz: ${fmt(health)}`,
      `  grid read (national view, 5 years): ${fmt(reads)} → ${ratio(reads)}`,
      `  one writer alone: ${fmt(alone)}`,
      `  cell writes (setFigures, one cell, own version): ${fmt(writes)} → ${ratio(writes)}, ${(writes.p95 / alone.p50).toFixed(1)}× a lone write at p95 (goal p95 < 30 ms, 0 errors)`,
      `  mixed, 10 readers: ${fmt(mixedReads)} → ${ratio(mixedReads)}`,
      `  10 writers alone: ${fmt(tenWriters)}`,
      `  mixed, 10 writers: ${fmt(mixedWrites)} → ${ratio(mixedWrites)}, ${(mixedWrites.p95 / tenWriters.p95).toFixed(2)}× the 10 writers alone at p95 (goal ≤ 2×)`,
    ];
  } finally {
    if (child && child.exitCode === null) {
      await new Promise<void>((ok) => {
        child!.once('exit', () => ok());
        child!.kill('SIGTERM');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

// `tsx bench/load.ts <db>` runs it alone on an already seeded database: a SQLite file, or on
// PostgreSQL e.g. `bash tests/with-postgres.sh sh -c 'npx tsx server/src/seed.ts && npx tsx bench/load.ts "$DATABASE_URL"'`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2];
  if (!target) throw new Error('usage: tsx bench/load.ts <seeded SQLite file or postgres:// URL (it is written to)>');
  for (const line of await benchLoad(target)) console.log(line);
}
