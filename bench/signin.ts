/**
 * Sign-in flood: 1,000 parallel sign-in attempts against a server in its own process, fired by a
 * third process, while this one times /healthz and a signed-in reader.
 * - one user, wrong passwords, one address: how many password checks ran (must be ≤
 *   SIGNIN_FREE_FAILURES: the attempts are reserved before hashing);
 * - 1,000 unknown users from 1,000 addresses (X-Forwarded-For behind a trusted loopback proxy):
 *   no throttle applies, so only the hashing bound holds (hashes in flight ≤ SIGNIN_HASH_CONCURRENCY,
 *   the rest queued or refused at once).
 * Each prints /healthz p95 during the flood ÷ /healthz p95 at rest (same run, same server), and
 * whether every reader request succeeded. Alone: `npx tsx bench/signin.ts [seeded.sqlite]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LIMITS, REPO_ROOT } from '../server/src/config.js';
import { delayAfter } from '../server/src/domain/throttle.js';

const ATTEMPTS = 1_000;
const SIGN_IN = 'mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { csrfToken } }';
type Mode = 'one-user' | 'distributed';

/** Flood mode (a process of its own): fire every attempt at once, print the answers' codes. */
async function flood(url: string, mode: Mode): Promise<void> {
  const attempt = async (i: number) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (mode === 'distributed') headers['x-forwarded-for'] = `10.9.${i >> 8}.${i & 255}`;
    const variables = { u: mode === 'one-user' ? 'admin' : `nobody.${i}`, p: `wrong-${i}` };
    try {
      const body = (await (await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: SIGN_IN, variables }) })).json()) as { errors?: { extensions: { code: string } }[] };
      return body.errors?.[0]?.extensions.code ?? 'OK';
    } catch {
      return 'NETWORK';
    }
  };
  console.log('firing');
  const started = Date.now();
  const codes = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => attempt(i)));
  const seconds = (Date.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, codes: codes.reduce<Record<string, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {}) }));
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** `loops` clients each timing /healthz back to back (and a reader query every 4th turn) until `until` settles. */
async function probe(url: string, token: string, loops: number, until: Promise<unknown>) {
  let done = false;
  void until.finally(() => (done = true));
  const health: number[] = [];
  let readerOk = 0;
  let readerFailed = 0;
  await Promise.all(
    Array.from({ length: loops }, async (_, l) => {
      for (let turn = 0; !done || health.length < 50; turn++) {
        if ((turn + l) % 4 === 0) {
          const r = (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ union(code: "P06") { name } }' }) })).json()) as { data?: { union?: { name: string } } };
          if (r.data?.union?.name) readerOk++;
          else readerFailed++;
          continue;
        }
        const t = process.hrtime.bigint();
        const res = await fetch(`${url}/healthz`);
        await res.arrayBuffer();
        health.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  return { p95: percentile(health, 95), samples: health.length, readerOk, readerFailed };
}

function ask(server: ChildProcess, message: string): Promise<{ passwordChecks: number; hashing: number; maxHashing: number }> {
  return new Promise((ok) => {
    server.once('message', (m) => ok((m as { stats: { passwordChecks: number; hashing: number; maxHashing: number } }).stats));
    server.send(message);
  });
}

/** Checks a client trying one attempt after another gets in `seconds`: the free ones, then one each time a delay (1 s, 2 s, 4 s…) runs out. */
function sequentialLimit(seconds: number): number {
  const free = LIMITS.SIGNIN_FREE_FAILURES;
  let n = free;
  for (let waited = 0; ; n++) {
    waited += delayAfter(n, free, LIMITS.SIGNIN_MAX_DELAY_SECONDS * 1000) / 1000;
    if (waited > seconds) return n;
  }
}

async function runFlood(url: string, token: string, server: ChildProcess, mode: Mode): Promise<string> {
  await ask(server, 'reset');
  const rest = await probe(url, token, 4, new Promise((r) => setTimeout(r, 3_000)));
  const before = await ask(server, 'stats');
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--flood', url, mode], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  await lines.next(); // 'firing'
  const result = lines.next().then((l) => JSON.parse(l.value as string) as { seconds: number; codes: Record<string, number> });
  const during = await probe(url, token, 4, result);
  const { seconds, codes } = await result;
  const after = await ask(server, 'stats');
  const checks = after.passwordChecks - before.passwordChecks;
  const what = mode === 'one-user' ? '1,000 parallel wrong sign-ins for one user from one address' : '1,000 parallel sign-ins, 1,000 unknown users from 1,000 addresses (no throttle applies)';
  return [
    `  ${what}, over ${seconds.toFixed(1)} s: answers ${JSON.stringify(codes)}; password checks ${checks}${mode === 'one-user' ? ` (limit ${sequentialLimit(seconds)}: ${LIMITS.SIGNIN_FREE_FAILURES} free + one per delay that ran out in those ${seconds.toFixed(1)} s, what one client trying in sequence gets too)` : ''}; hashes in flight at most ${after.maxHashing} (SIGNIN_HASH_CONCURRENCY = ${LIMITS.SIGNIN_HASH_CONCURRENCY})`,
    `    /healthz p95 during ${during.p95.toFixed(1)} ms (${during.samples} samples) ÷ at rest ${rest.p95.toFixed(1)} ms (${rest.samples}) → ${(during.p95 / rest.p95).toFixed(1)}×; signed-in reader during the flood: ${during.readerOk} ok, ${during.readerFailed} failed`,
  ].join('\n');
}

/** `file`: a seeded SQLite database (only a token and sessions are written to it). */
export async function benchSignIn(file: string): Promise<string[]> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/signin-server.ts', file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  try {
    const first = await createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next();
    const { url, token } = JSON.parse(first.value as string) as { url: string; token: string };
    for (let i = 0; i < 5; i++) await (await fetch(`${url}/healthz`)).arrayBuffer();
    return ['sign-in flood (server, flood and probes in three processes):', await runFlood(url, token, server, 'one-user'), await runFlood(url, token, server, 'distributed')];
  } finally {
    server.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === '--flood') await flood(process.argv[3]!, process.argv[4] as Mode);
  else {
    let file = process.argv[2];
    let dir: string | null = null;
    if (!file) {
      // Seed a database of its own, as `pnpm bench` does.
      const { openDatabase } = await import('../server/src/db/orm.js');
      const { loadSeed } = await import('../server/src/db/load-seed.js');
      dir = mkdtempSync(join(tmpdir(), 'unionhub-signin-'));
      file = join(dir, 'bench.sqlite');
      const orm = await openDatabase({ kind: 'sqlite', location: file });
      await loadSeed(orm);
      await orm.close();
    }
    try {
      for (const line of await benchSignIn(file)) console.log(line);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}
