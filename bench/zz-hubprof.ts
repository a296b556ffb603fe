/**
 * The federation hub's overhead under load: the same grid read by 20 concurrent clients for a
 * fixed time, straight to our subgraph (/graphql) and through the hub (/hub/graphql), against a
 * server in its own process. Latency percentiles and errors of each, and hub ÷ direct.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Instance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
interface Result {
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
}
type Autocannon = (opts: Record<string, unknown>, done: (err: Error | null, r: Result) => void) => Instance;
// autocannon ships no types; this is the part we use.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/**
 * One province's districts for a year, all indicators: the sheet's everyday read. The province
 * changes from request to request: the gateway merges identical queries in flight to a subgraph,
 * which 20 clients sending one query would turn into a shortcut the direct path does not have.
 */
const gridQuery = (root: string) =>
  `{ grid(root: "${root}", depth: 1, years: [2016]) { columns { indicatorCode year } rows { unionCode name level hasChildren values statuses versions } } }`;
const CONNECTIONS = 20;

interface Run {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

function run(url: string, token: string, roots: string[], seconds: number, times: number[] = []): Promise<Run> {
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        requests: [{ setupRequest: (req: object) => ({ ...req, body: JSON.stringify({ query: gridQuery(roots[next++ % roots.length]!) }) }) }],
        // A GraphQL error comes with HTTP 200: count it as an error too.
        verifyBody: (body: string) => body.startsWith('{"data":{"grid":') && !body.includes('"errors"'),
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({ requests: r.requests.total, errors: r.errors + r.timeouts + r.non2xx + r.mismatches, ...percentiles(times) });
      },
    );
    instance.on('response', (_c, _s, _b, ms) => times.push(ms));
  });
}

function percentiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export async function benchHubProf(file: string, seconds = Number(process.env.BENCH_HUB_SECONDS ?? 10)): Promise<string[]> {
  const child = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir', '/tmp/mp/hprof', '--cpu-prof-interval', '200'] : []), '--import', 'tsx', fileURLToPath(new URL('./hub-server.ts', import.meta.url)), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      void exited.then(() => reject(new Error('the hub bench server exited before it was ready')));
    });
    const { url, token } = JSON.parse(line) as { url: string; token: string };
    const direct = `${url}/graphql`;
    const hub = `${url}/hub/graphql`;
    const post = async <T>(u: string, query: string) =>
      (await (await fetch(u, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) })).json()) as { data: T };
    const roots: string[] = (await post<{ unions: { code: string }[] }>(direct, '{ unions(level: 1, limit: 200) { code } }')).data.unions.map((u: { code: string }) => u.code);
    const sample = JSON.stringify(await post(hub, gridQuery(roots[0]!)));
    // Warm both paths (JIT, caches, the gateway's query plan) before measuring.
    await run(direct, token, roots, 2);
    await run(hub, token, roots, 2);
    const dt: number[] = []; const ht: number[] = [];
    const d = await run(direct, token, roots, 6, dt);
    await new Promise((r) => setTimeout(r, 1000));
    const h = await run(hub, token, roots, 6, ht);
    console.log('direct', d.requests, d.p50, 'hub', h.requests, h.p50);
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    const fmt = (name: string, r: Run) =>
      `  ${name}: ${r.requests} requests (${(r.requests / seconds).toFixed(0)}/s), p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}, errors ${r.errors}`;
    return [
      `grid read under load, ${CONNECTIONS} connections × ${seconds} s each, ${roots.length} level-1 unions in turn, viewer token, ~${(sample.length / 1024).toFixed(0)} KB per response (through the hub ÷ direct to our subgraph):`,
      fmt('direct /graphql    ', d),
      fmt('hub /hub/graphql   ', h),
      `  hub ÷ direct: p50 ${(h.p50 / d.p50).toFixed(2)}×, p95 ${(h.p95 / d.p95).toFixed(2)}×, p99 ${(h.p99 / d.p99).toFixed(2)}×, throughput ${(h.requests / d.requests).toFixed(2)}×`,
    ];
  } finally {
    lines.close();
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  }
}

// `tsx bench/hub.ts <seeded.sqlite>` runs this part alone.
if (import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  for (const line of await benchHubProf(process.argv[2]!)) console.log(line);
}
