/**
 * Server instances as real processes (server/src/main.ts, as `pnpm start` runs it) and a real
 * HAProxy (Debian's package) in front of them, round robin per request, naming the instance that
 * answered in `x-served-by`. Shared by tests/cluster.test.ts and bench/postgres.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output()}`);
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered: ${output()}`);
}

function start(command: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Kept short: an instance logs a line per request, and only the start's lines explain a failure.
  let out = '';
  const keep = (d: Buffer) => void (out.length < 64_000 && (out += d));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => out };
}

export interface Instance {
  /** The name HAProxy gives it in `x-served-by`. */
  name: string;
  /** e.g. http://127.0.0.1:41234, straight to the instance. */
  url: string;
}

export interface Cluster {
  instances: Instance[];
  /** HAProxy in front of all of them. */
  proxyUrl: string;
  /** SIGTERM to every process (instances and proxy), waiting for each to exit. */
  stop(): Promise<void>;
}

const NAMES = ['one', 'two', 'three', 'four'];

/** `count` instances on the database at `databaseUrl`, each with `env` added, and HAProxy before them. */
export async function startCluster(databaseUrl: string, env: Record<string, string>, count = 2): Promise<Cluster> {
  const processes: ChildProcess[] = [];
  let dir = '';
  const stop = async () => {
    for (const p of processes) {
      if (p.exitCode === null) p.kill('SIGTERM');
      await new Promise((r) => (p.exitCode === null && p.signalCode === null ? p.once('exit', r) : r(null)));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const instances: Instance[] = [];
    for (const name of NAMES.slice(0, count)) {
      const port = await freePort();
      const server = start(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { ...env, PORT: String(port), DATABASE_URL: databaseUrl });
      processes.push(server.child);
      const url = `http://127.0.0.1:${port}`;
      await waitFor(`${url}/healthz`, server.child, server.output);
      instances.push({ name, url });
    }
    const proxyPort = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'unionhub-haproxy-'));
    writeFileSync(join(dir, 'haproxy.cfg'), [
      'global', '  maxconn 2000',
      'defaults', '  mode http', '  timeout connect 5s', '  timeout client 60s', '  timeout server 60s', '  timeout tunnel 1h',
      'frontend unionhub', `  bind 127.0.0.1:${proxyPort}`, '  default_backend instances',
      // Round robin per request; the answering instance named in a response header.
      'backend instances', '  balance roundrobin', '  http-response set-header x-served-by %[srv_name]',
      ...instances.map((i) => `  server ${i.name} ${i.url.replace('http://', '')}`), '',
    ].join('\n'));
    const proxy = start('haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db'], {});
    processes.push(proxy.child);
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    await waitFor(`${proxyUrl}/healthz`, proxy.child, proxy.output);
    return { instances, proxyUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
