/**
 * The client's transport in a real browser against the real server and the built client:
 * (a) two tabs, each following several subscriptions, hold one event stream each and the page's
 *     queries still answer (HTTP/1.1: at most six connections to a host);
 * (b) Vietnamese text whose UTF-8 bytes arrive in two chunks is decoded whole;
 * (c) a request refused with 429 is sent again after Retry-After; refused every time, the user sees
 *     one clear error after a bounded number of tries.
 * The page's own `run` and `subscribe` (api.ts, exposed as `unionhubTransport`) open the extra
 * subscriptions, over the page's one urql client.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from './harness.js';
import { launchBrowser, SCREENSHOTS, signIn as signInWith } from './browser.js';

/** browser.ts's signIn with room for a loaded machine (its 15 s wait for the sheet timed out here under load). */
const signIn = (page: Page, url: string, username: string, password: string) => signInWith(page, url, username, password, 60_000);

let s: TestServer;
let browser: Browser;
beforeAll(async () => {
  // Room for every subscription of both tabs: the cap is not what this file tests.
  s = await startTestServer({ limits: { MAX_STREAMS_PER_CALLER: 40 } });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

type Transport = {
  run(query: string, variables?: Record<string, unknown>): Promise<unknown>;
  subscribe(query: string, onData: (d: unknown) => void, signal: AbortSignal, variables?: Record<string, unknown>): Promise<void>;
};
declare global {
  var unionhubTransport: Transport;
  var received: unknown[];
}

/** Event-stream requests the page has open, as Chromium's network layer sees them (CDP). */
async function openStreams(page: Page): Promise<() => number> {
  const cdp = await page.context().newCDPSession(page);
  const open = new Set<string>();
  cdp.on('Network.requestWillBeSent', (e) => {
    const accept = Object.entries(e.request.headers).find(([k]) => k.toLowerCase() === 'accept')?.[1];
    if (accept === 'text/event-stream') open.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e) => void open.delete(e.requestId));
  cdp.on('Network.loadingFailed', (e) => void open.delete(e.requestId));
  await cdp.send('Network.enable');
  return () => open.size;
}

/** The province codes of the seeded country, for subscriptions that differ from each other. */
async function provinces(n: number): Promise<string[]> {
  return (await s.sql<{ code: string }>('select code from trade_union where level = 1 order by code limit ?', [n])).map((r) => r.code);
}

describe('transport', () => {
  it('two tabs with several live subscriptions each hold one event stream each, and their queries answer', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const first = await context.newPage();
    const countFirst = await openStreams(first);
    await signIn(first, s.url, 'admin', 'admin-demo-2026');
    const second = await context.newPage();
    const countSecond = await openStreams(second);
    await second.goto(s.url); // signed in by the shared cookie
    await second.locator('.ag-row[row-id="TLD"]').first().waitFor({ state: 'attached' });

    // Besides the sheet's own live figures: discrepancies and figures of four provinces per tab — as
    // many event streams as the browser allows a host, and more, if each subscription had its own.
    // A cell of a province that is not approved (so not locked), to write below; it and three more provinces are followed.
    const draft = (await s.sql<{ unionCode: string; indicatorCode: string; year: number; scenario: string; version: number }>(
      `select u.code as "unionCode", i.code as "indicatorCode", f.year, f.scenario, f.version from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
       where u.level = 1 and f.status <> 'approved' order by u.code limit 1`))[0]!;
    const roots = [draft.unionCode, ...(await provinces(4)).filter((c) => c !== draft.unionCode).slice(0, 3)];
    for (const page of [first, second]) {
      await page.evaluate((roots) => {
        globalThis.received = [];
        const controller = new AbortController();
        for (const root of roots) {
          void globalThis.unionhubTransport.subscribe('subscription ($r: String) { discrepanciesChanged(root: $r) { id } }', (d) => globalThis.received.push(d), controller.signal, { r: root });
          void globalThis.unionhubTransport.subscribe('subscription ($r: String) { figuresChanged(root: $r) { actor } }', (d) => globalThis.received.push(d), controller.signal, { r: root });
        }
      }, roots);
    }
    // Each tab's queries still answer while all of that is open.
    for (const page of [first, second]) {
      const answered = page.evaluate(() => globalThis.unionhubTransport.run('query { me { username } }'));
      await expect(answered).resolves.toEqual({ me: { username: 'admin' } });
    }
    // A write reaches both tabs' subscriptions over their one stream.
    const written = await s.gql('mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { __typename } }', {
      c: [{ unionCode: draft.unionCode, indicatorCode: draft.indicatorCode, year: draft.year, scenario: draft.scenario.toUpperCase(), value: 12_345, expectedVersion: draft.version }],
    }, { as: 'admin' });
    expect(written.errors).toBeUndefined();
    for (const page of [first, second]) {
      await expect.poll(() => page.evaluate(() => globalThis.received.filter((d) => (d as { figuresChanged?: unknown }).figuresChanged).length), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    }
    expect(countFirst()).toBe(1);
    expect(countSecond()).toBe(1);
    await second.screenshot({ path: `${SCREENSHOTS}/transport-two-tabs.png` });
    await context.close();
  }, 180_000);

  it('decodes Vietnamese text whose UTF-8 bytes arrive in two chunks', async () => {
    // A proxy in front of the server that cuts every chunk of an event stream after the first byte
    // of its first multi-byte character and sends the rest 50 ms later, as a slow network would.
    const proxy = await splittingProxy(s.url);
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await signIn(page, proxy.url, 'admin', 'admin-demo-2026');
      const open = await s.gql<{ discrepancies: { id: number; union: { name: string } }[] }>(
        '{ discrepancies(root: "TLD", states: [OPEN], limit: 50) { id union { name } } }',
      );
      const target = open.data!.discrepancies.find((d) => /[^\u0020-\u007e]/.test(d.union.name))!;
      expect(target).toBeDefined();
      await page.evaluate(async () => {
        globalThis.received = [];
        await globalThis.unionhubTransport.subscribe(
          'subscription { discrepanciesChanged { id explanation union { name } } }',
          (d) => globalThis.received.push(d),
          new AbortController().signal,
        );
      });
      const text = 'Đã giải trình: số liệu của Đắk Lắk được điều chỉnh theo báo cáo quý IV';
      const explained = await s.gql('mutation ($id: Int!, $t: String!) { explainDiscrepancy(id: $id, text: $t) { id } }', { id: target.id, t: text });
      expect(explained.errors).toBeUndefined();
      await expect.poll(() => page.evaluate(() => globalThis.received.length), { timeout: 15_000 }).toBeGreaterThan(0);
      const events = (await page.evaluate(() => globalThis.received)) as { discrepanciesChanged: { id: number; explanation: string | null; union: { name: string } }[] }[];
      const mine = events.flatMap((e) => e.discrepanciesChanged).find((d) => d.id === target.id)!;
      expect(mine).toEqual({ id: target.id, explanation: text, union: { name: target.union.name } });
      expect(proxy.splits()).toBeGreaterThan(0);
      await context.close();
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it('sends a request refused with 429 again after Retry-After, and says so clearly when it stays refused', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    // Each distinct request is refused the first time, as the server's rate guard answers (429, Retry-After: 1).
    const seen = new Map<string, number[]>();
    await page.route((url) => url.pathname === '/graphql', async (route) => {
      const body = route.request().postData() ?? route.request().url();
      const times = seen.get(body) ?? seen.set(body, []).get(body)!;
      times.push(Date.now());
      if (times.length > 1) return route.continue();
      return route.fulfill({
        status: 429,
        headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' },
        body: JSON.stringify({ errors: [{ message: 'Too many requests; retry in 1 s', extensions: { code: 'RATE_LIMITED' } }] }),
      });
    });
    await signIn(page, s.url, 'admin', 'admin-demo-2026'); // waits for the sheet's first rows
    const answered = await page.evaluate(() => globalThis.unionhubTransport.run('query { me { username } }'));
    expect(answered).toEqual({ me: { username: 'admin' } });
    expect(seen.size).toBeGreaterThanOrEqual(3); // the sign-in, the sheet's reads (GET), the query above
    for (const [, times] of seen) {
      expect(times.length).toBe(2);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000); // not before Retry-After
    }
    await context.close();

    // Refused every time: a bounded number of tries, then one clear message where the user looks.
    const refused = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const again = await refused.newPage();
    let tries = 0;
    await again.route((url) => url.pathname === '/graphql', (route) => {
      tries++;
      return route.fulfill({
        status: 429,
        headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '0' },
        body: JSON.stringify({ errors: [{ message: 'Too many requests; retry in 0 s', extensions: { code: 'RATE_LIMITED' } }] }),
      });
    });
    await again.goto(s.url);
    await again.getByLabel(/Tên đăng nhập/).fill('admin');
    await again.getByLabel(/Mật khẩu/).fill('admin-demo-2026');
    await again.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => again.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/Máy chủ đang bận/);
    expect(tries).toBe(5); // the first try and MAX_RETRIES (4) more
    await again.screenshot({ path: `${SCREENSHOTS}/transport-gave-up.png` });
    await refused.close();
  }, 180_000);
});

/** A forwarding proxy whose event-stream chunks are cut inside a multi-byte UTF-8 character. */
async function splittingProxy(target: string): Promise<{ url: string; splits(): number; close(): Promise<void> }> {
  const upstream = new URL(target);
  let splits = 0;
  const server: Server = createServer((req, res) => {
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!String(answer.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        answer.pipe(res);
        return;
      }
      res.flushHeaders();
      let writing = Promise.resolve();
      answer.on('data', (chunk: Buffer) => {
        writing = writing.then(async () => {
          const lead = chunk.findIndex((b) => b >= 0xc2);
          if (lead < 0) {
            res.write(chunk);
            return;
          }
          splits++;
          res.write(chunk.subarray(0, lead + 1));
          await new Promise((r) => setTimeout(r, 50));
          res.write(chunk.subarray(lead + 1));
        });
      });
      answer.on('end', () => void writing.then(() => res.end()));
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
    res.on('close', () => out.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    splits: () => splits,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
