/**
 * The README's first command ends in `tsx server/src/main.ts`: on an empty database it migrates,
 * seeds and serves. Run it as a real process on a fresh database (a new SQLite file, or an empty
 * PostgreSQL database when the suite runs there) and a free port.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from './harness.js';

const root = resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

describe('start on an empty database', () => {
  it('migrates, seeds and answers /healthz, the client and the provinces’ 2014 members', async () => {
    const db = await freshDatabase({ seeded: false });
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      // Start-up lines are logged at info (the suite's own servers run at error).
      env: { ...process.env, PORT: String(port), DATABASE_URL: db.target.location, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 130_000;
      let health: Response | null = null;
      while (Date.now() < deadline && !health) {
        health = await fetch(`${base}/healthz`).catch(() => null);
        if (!health) await new Promise((r) => setTimeout(r, 250));
      }
      expect(health?.status, output).toBe(200);
      expect(await health!.json()).toEqual({ status: 'ok', database: 'ok' });
      // JSON lines (pino): the seed's count, the demo users by name — never a password, not even a demo one.
      const lines = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; unions?: number; users?: { username: string; role: string; union: string }[] });
      expect(lines.find((l) => l.msg === 'empty database: seeded')?.unions, output).toBeGreaterThanOrEqual(1400);
      expect(lines.find((l) => l.users)?.users, output).toContainEqual({ username: 'admin', role: 'admin', union: 'TLD' });
      expect(output).not.toContain('admin-demo-2026');
      // Sign in as the demo admin the way the client does: session cookie + CSRF header.
      const signIn = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { signIn(username: "admin", password: "admin-demo-2026") { csrfToken me { username } } }' }),
      });
      const signedIn = await signIn.json();
      expect(signedIn.data.signIn.me.username).toBe('admin');
      const session = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const r = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session, 'x-csrf-token': signedIn.data.signIn.csrfToken },
        body: JSON.stringify({ query: '{ grid(root: "TLD", depth: 1, years: [2014], indicators: ["members"]) { rows { unionCode kind values } } }' }),
      });
      const body = await r.json();
      const provinces = body.data.grid.rows.filter((x: any) => x.kind === 'PROVINCIAL_FEDERATION');
      expect(provinces).toHaveLength(63);
      expect(provinces.every((p: any) => p.values[0] > 0)).toBe(true);
      const graphiql = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
      expect(await graphiql.text()).toMatch(/graphiql/i);
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root">/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
      await db.drop();
    }
  }, 150_000); // a whole national seed, beside the other test files on a busy machine
});
