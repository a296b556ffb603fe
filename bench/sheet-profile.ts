/**
 * Profiling aid (not part of `pnpm bench`): bench/sheet.ts's (a) steps in one admin session, with the
 * network's timing per step (request sent → answer read) and a CPU profile of each step written to
 * $PROFILE_DIR (step-N.cpuprofile). Usage: tsx bench/sheet-profile.ts [seeded.sqlite] [runs]
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../server/src/app.js';
import { issueToken } from '../server/src/domain/auth.js';
import { launchBrowser, signIn } from '../tests/browser.js';
import { expectedAfterSteps, loadSteps, missingRows, untilComplete, watchGraphql } from '../tests/sheet-flow.js';

const { knexOf, openDatabase } = await import('../server/src/db/orm.js');
const dir = mkdtempSync(join(tmpdir(), 'unionhub-prof-'));
const file = join(dir, 'bench.sqlite');
const seeded = process.argv[2];
if (seeded && existsSync(seeded)) copyFileSync(seeded, file);
const orm = await openDatabase({ kind: 'sqlite', location: file });
if (!seeded || !existsSync(seeded)) {
  await (await import('../server/src/db/load-seed.js')).loadSeed(orm);
  // The file alone, without its write-ahead log, would miss the seed: copy it once closed.
  if (seeded) {
    await orm.close();
    copyFileSync(file, seeded);
    console.log(`seeded ${seeded}: run again`);
    process.exit(0);
  }
}
const db = knexOf(orm);
const app = await startApp(db, 0, '127.0.0.1');
const { token } = await issueToken(db, { username: 'admin', name: 'prof' });
const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data: unknown };
};
const outDir = process.env.PROFILE_DIR ?? join(dir, 'profiles');
mkdirSync(outDir, { recursive: true });
const browser = await launchBrowser();
const expected = await expectedAfterSteps(gql as never);
const runs = Number(process.argv[3] ?? 1);
const profile = process.env.CPU_PROFILE !== '0';
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await signIn(page, app.url, 'admin', 'admin-demo-2026');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const net: { url: string; sent: number; response?: number; finished?: number; size?: number }[] = [];
  const byId = new Map<string, (typeof net)[number]>();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!e.request.url.includes('/graphql')) return;
    const text = decodeURIComponent(e.request.postData ?? e.request.url);
    const r = { url: /(query|mutation|subscription)\s+(\w+)/.exec(text)?.[2] ?? text.slice(0, 40), sent: e.timestamp };
    byId.set(e.requestId, r);
    net.push(r);
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.response = e.timestamp;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (r) Object.assign(r, { finished: e.timestamp, size: e.encodedDataLength });
  });
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  const watch = watchGraphql(page);
  const lines: string[] = [];
  for (const [i, step] of loadSteps(page).entries()) {
    net.length = 0;
    const monoStart = performance.now();
    await page.evaluate(() => {
      performance.clearMarks();
      for (const type of ['click', 'change']) document.addEventListener(type, () => performance.mark('P:act'), { capture: true, once: true });
    });
    const t0 = (await cdp.send('Runtime.evaluate', { expression: 'performance.mark("P:t0").startTime', returnByValue: true })).result.value as number;
    if (profile) await cdp.send('Profiler.start');
    const trace = process.env.TRACE === '1';
    const events: unknown[] = [];
    const collect = (e: { value: unknown[] }) => void events.push(...e.value);
    let traced: Promise<void> = Promise.resolve();
    if (trace) {
      cdp.on('Tracing.dataCollected', collect);
      traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.start', { categories: process.env.TRACE_CATEGORIES ?? 'devtools.timeline,blink.user_timing,v8.execute,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    }
    const started = performance.now();
    await step.act();
    if (process.env.DEBUG_POLL) {
      for (let k = 0; k < 12; k++) {
        const b = performance.now();
        const m = await missingRows(page, expected[i]!);
        const pageNow = await page.evaluate(() => performance.now() - performance.getEntriesByName('P:act')[0]!.startTime);
        console.log(`  poll ${(b - started).toFixed(0)} → ${(performance.now() - started).toFixed(0)} (page ${pageNow.toFixed(0)}): ${JSON.stringify(m)} inFlight ${watch.inFlight()}`);
      }
    }
    const r = await untilComplete(page, watch, expected[i]!, started, { stall: 3000, timeout: 20000 });
    await page.evaluate(() => performance.mark('P:harnessDone'));
    if (trace) {
      await cdp.send('Tracing.end');
      await traced;
      writeFileSync(join(outDir, `run${run}-step${i}.trace.json`), JSON.stringify({ traceEvents: events }));
      cdp.off('Tracing.dataCollected', collect);
    }
    const cells = await page.evaluate(() => `${document.querySelectorAll('.ag-row').length} rows, ${document.querySelectorAll('.ag-cell').length} cells, ${document.querySelectorAll('*').length} elements`);
    if (profile) {
      const { profile: p } = await cdp.send('Profiler.stop');
      writeFileSync(join(outDir, `run${run}-step${i}.cpuprofile`), JSON.stringify(p));
    }
    const marks = await page.evaluate(() => {
      const all = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('P:'));
      const act = all.find((m) => m.name === 'P:act')?.startTime ?? 0;
      const seen = new Map<string, number>();
      return all.filter((m) => m.name !== 'P:sheetRender' || !seen.has(m.name)).map((m) => { const n = (seen.get(m.name) ?? 0) + 1; seen.set(m.name, n); return `${m.name.slice(2)}${n > 1 ? n : ''} ${(m.startTime - act).toFixed(0)}`; }).join(', ');
    });
    const first = net[0]?.sent;
    const reqs = net.map((n) => `sent +${((n.sent - first!) * 1000).toFixed(0)} resp +${(((n.response ?? NaN) - first!) * 1000).toFixed(0)} done +${(((n.finished ?? NaN) - first!) * 1000).toFixed(0)} ${((n.size ?? 0) / 1e6).toFixed(2)}MB ${n.url}`);
    lines.push(`${step.name}: complete ${r.ms?.toFixed(0)} ms (t0 page ${t0.toFixed(0)}, ${(performance.now() - monoStart).toFixed(0)}) | ${reqs.join(' ; ')} | ${marks} | ${cells}`);
  }
  console.log(`run ${run}:\n  ${lines.join('\n  ')}`);
  await context.close();
}
await browser.close();
await app.close();
await orm.close();
console.log(`profiles in ${outDir}`);
