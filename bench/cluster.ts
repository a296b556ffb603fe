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
  const cluster = await startCluster(url, { HUB_CONFIG: hubConfig, NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_BURST: '100000' });
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
    const one: Stats[] = [];
    const two: Stats[] = [];
    let pool = 1;
    const run = async (side: 'one' | 'two') => {
      const stats = await load(side === 'one' ? direct : cluster.proxyUrl, token, writer(pools[pool++]!), CONNECTIONS, SECONDS);
      await settle();
      (side === 'one' ? one : two).push(stats);
    };
    for (let r = 0; r < ROUNDS; r++) for (const side of r % 2 ? (['two', 'one'] as const) : (['one', 'two'] as const)) await run(side);

    // Writes that succeeded (a refused one is counted among the GraphQL errors).
    const perSecond = (s: Stats[]) => s.reduce((a, x) => a + x.requests - x.graphqlErrors, 0) / (s.length * SECONDS);
    const p95 = (s: Stats[]) => s.reduce((a, x) => a + x.p95, 0) / s.length;
    return [
      `two instances behind HAProxy ÷ one instance, PostgreSQL, ${CONNECTIONS} writers (setFigures, one cell each, own version), ${SECONDS} s per run, ${ROUNDS} rounds (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores at the end):`,
      ...one.map((s, i) => `  one instance, straight, round ${i + 1}: ${fmt(s)}`),
      ...two.map((s, i) => `  two instances behind the proxy, round ${i + 1}: ${fmt(s)}`),
      `  two ÷ one: writes/s ${perSecond(one).toFixed(0)} → ${perSecond(two).toFixed(0)} = ${(perSecond(two) / perSecond(one)).toFixed(2)}×, ` +
        `p95 ${p95(one).toFixed(1)} → ${p95(two).toFixed(1)} ms = ${(p95(two) / p95(one)).toFixed(2)}× (means of the rounds)`,
    ];
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
