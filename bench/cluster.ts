/**
 * Two instances behind a proxy ÷ one instance (issue 17), on a seeded PostgreSQL database: 20
 * writers (setFigures, each connection its own cell and the version its last write returned, as
 * bench/load.ts writes) for a fixed time straight to ONE instance, then through HAProxy (round
 * robin) to TWO instances, in the same run on the same database; two rounds, the second in the
 * other order, so a drift of the shared machine falls on both sides. Writes/s and p95 of each and
 * two ÷ one. Both instances run throughout (started as tests/cluster.test.ts starts them), so the
 * one-instance runs also carry the idle instance's share of the events (it LISTENs).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { issueToken } from '../server/src/domain/auth.js';
import { startCluster } from '../tests/instances.js';
import { fmt, load, writableCells, writer, type Cell, type Stats } from './load.js';

const CONNECTIONS = 20;
const METRICS_TOKEN = 'scrape-token-of-the-cluster-bench';
/** Server-side histograms read from /metrics: where a write's time goes. */
const SERVER_SIDE = ['unionhub_write_duration_seconds', 'unionhub_recheck_duration_seconds', 'unionhub_write_group_batches'] as const;
type ServerSide = Record<string, { sum: number; count: number }>;
const SECONDS = Number(process.env.CLUSTER_SECONDS ?? 10);
const ROUNDS = 2;

/** `url`: a postgres:// URL of a seeded database (it is written to). */
export async function benchCluster(url: string): Promise<string[]> {
  const orm = await openDatabase({ kind: 'postgresql', location: url });
  const db = knexOf(orm);
  const { token } = await issueToken(db, { username: 'admin', name: 'cluster bench' });
  // A pool of cells per run (and one for the warm-up): a run never writes a cell another run wrote.
  const cells = await writableCells(db, CONNECTIONS * (2 * ROUNDS + 1));
  await orm.close();
  if (cells.length < CONNECTIONS * (2 * ROUNDS + 1)) throw new Error(`only ${cells.length} writable cells`);
  const pools: Cell[][] = [];
  for (let i = 0; i < cells.length; i += CONNECTIONS) pools.push(cells.slice(i, i + CONNECTIONS));

  const dir = mkdtempSync(join(tmpdir(), 'unionhub-cluster-bench-'));
  const hubConfig = join(dir, 'hub.json');
  writeFileSync(hubConfig, JSON.stringify({ subgraphs: [] }));
  // As bench/load.ts runs its server: production, rate limiting on with room for 20 machines' worth of requests from one token.
  const cluster = await startCluster(url, { HUB_CONFIG: hubConfig, NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_BURST: '100000', METRICS_TOKEN });
  try {
    const direct = cluster.instances[0]!.url;
    /** Let what autocannon left in flight finish, on every instance. */
    const settle = () =>
      Promise.all(cluster.instances.map((i) =>
        fetch(`${i.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { username } }' }) }).then((r) => r.text()),
      ));
    // Warm-up through the proxy: both instances compile their write path and fill their caches.
    await load(cluster.proxyUrl, token, writer(pools[0]!), CONNECTIONS, 3);
    await settle();
    /** The histograms' sums and counts over every instance. */
    const scrape = async (): Promise<ServerSide> => {
      const texts = await Promise.all(cluster.instances.map(async (i) => (await fetch(`${i.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()));
      const read = (name: string) => texts.reduce((a, t) => a + Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(t)?.[1] ?? 0), 0);
      return Object.fromEntries(SERVER_SIDE.map((h) => [h, { sum: read(`${h}_sum`), count: read(`${h}_count`) }]));
    };
    const one: Stats[] = [];
    const two: Stats[] = [];
    const server = { one: [] as ServerSide[], two: [] as ServerSide[] };
    let pool = 1;
    const run = async (side: 'one' | 'two') => {
      const before = await scrape();
      const stats = await load(side === 'one' ? direct : cluster.proxyUrl, token, writer(pools[pool++]!), CONNECTIONS, SECONDS);
      await settle();
      const after = await scrape();
      server[side].push(Object.fromEntries(SERVER_SIDE.map((h) => [h, { sum: after[h]!.sum - before[h]!.sum, count: after[h]!.count - before[h]!.count }])));
      (side === 'one' ? one : two).push(stats);
    };
    for (let r = 0; r < ROUNDS; r++) for (const side of r % 2 ? (['two', 'one'] as const) : (['one', 'two'] as const)) await run(side);

    // Writes that succeeded (a refused one is counted among the GraphQL errors).
    const perSecond = (s: Stats[]) => s.reduce((a, x) => a + x.requests - x.graphqlErrors, 0) / (s.length * SECONDS);
    const p95 = (s: Stats[]) => s.reduce((a, x) => a + x.p95, 0) / s.length;
    const mean = (runs: ServerSide[], h: string) => runs.reduce((a, r) => a + r[h]!.sum, 0) / Math.max(1, runs.reduce((a, r) => a + r[h]!.count, 0));
    const inside = (side: 'one' | 'two') =>
      `  ${side === 'one' ? 'one instance' : 'two instances'}, server side (/metrics): a write ${(mean(server[side], SERVER_SIDE[0]) * 1000).toFixed(0)} ms on average (queue wait included), ` +
      `a re-check ${(mean(server[side], SERVER_SIDE[1]) * 1000).toFixed(0)} ms, ${mean(server[side], SERVER_SIDE[2]).toFixed(1)} batches per group commit`;
    return [
      `two instances behind HAProxy ÷ one instance, PostgreSQL, ${CONNECTIONS} writers (setFigures, one cell each, own version), ${SECONDS} s per run, ${ROUNDS} rounds (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores at the end):`,
      ...one.map((s, i) => `  one instance, straight, round ${i + 1}: ${fmt(s)}`),
      ...two.map((s, i) => `  two instances behind the proxy, round ${i + 1}: ${fmt(s)}`),
      inside('one'),
      inside('two'),
      `  two ÷ one: writes/s ${perSecond(one).toFixed(0)} → ${perSecond(two).toFixed(0)} = ${(perSecond(two) / perSecond(one)).toFixed(2)}×, ` +
        `p95 ${p95(one).toFixed(1)} → ${p95(two).toFixed(1)} ms = ${(p95(two) / p95(one)).toFixed(2)}× (means of the rounds)`,
    ];
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
