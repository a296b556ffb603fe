/**
 * Issue 13, item 1: "Mở tất cả" → "% thực hiện" → the start year changed twice must end with the
 * whole sheet (every union down to level 2) and without meeting the rate limit — on a server with
 * the shipped rate limits (the other browser tests lift them). Counts only; the time is
 * `pnpm bench`'s (bench/sheet.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from './harness.js';
import { launchBrowser, signIn, SCREENSHOTS } from './browser.js';
import { expectedAfterSteps, MODE_ACHIEVED, runLoadSteps } from './sheet-flow.js';
import { readLimits } from '../server/src/config.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => {
  const shipped = readLimits({});
  s = await startTestServer({
    limits: { RATE_LIMIT_PER_MINUTE: shipped.RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST: shipped.RATE_LIMIT_BURST, RATE_LIMIT_ANONYMOUS_PER_MINUTE: shipped.RATE_LIMIT_ANONYMOUS_PER_MINUTE },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('sheet loading', () => {
  it('expand all, % achieved, start year twice: every union to level 2 shown after each step, no request refused', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, s.url, 'admin', 'admin-demo-2026');
    const expected = await expectedAfterSteps((q, v) => s.gql(q, v));
    // Levels 0–2 of the seeded country: the sheet has well over a thousand rows to show.
    expect(expected[3]!.rows.size).toBeGreaterThan(1_000);
    const run = await runLoadSteps(page, expected, { stall: 5_000, timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-load-after-year-change.png` });
    expect(run.steps.map((x) => `${x.name}: ${x.present} of ${x.expected} rows${x.ms === null ? ', incomplete' : ''}`)).toEqual(
      expected.map((e, i) => `${run.steps[i]!.name}: ${e.rows.size} of ${e.rows.size} rows`),
    );
    expect(run.refused).toBe(0);

    // The later steps cut down or complete what the sheet held (client/src/sheet/reuse.ts): what it
    // shows must still be the server's cells, a colleague's edit made meanwhile included.
    const edited = { unionCode: 'P01-H02', indicatorCode: 'members', year: 2016 };
    const held = await s.gql<{ figure: { version: number } | null }>('query ($u: String!) { figure(unionCode: $u, indicatorCode: "members", year: 2016, scenario: ACTUAL) { version } }', { u: edited.unionCode });
    const write = await s.gql('mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }', {
      c: [{ ...edited, scenario: 'ACTUAL', value: 424_242, expectedVersion: held.data!.figure?.version ?? 0 }],
    });
    expect(write.errors).toBeUndefined();
    await expect.poll(() => cellsOf(page, [edited.unionCode]).then((r) => r[edited.unionCode]?.values)).toContain(424_242);
    for (const step of [
      { mode: 'Thực hiện', from: '2015' }, // % achieved → actual: cut down
      { mode: MODE_ACHIEVED, from: '2016' }, // actual → % achieved, fewer years: targets added
      { mode: MODE_ACHIEVED, from: '2013' }, // more years: loaded again
    ]) {
      await page.getByRole('radio', { name: step.mode, exact: true }).check();
      await page.getByLabel('Từ năm').selectOption(step.from);
      const years = Array.from({ length: 2017 - Number(step.from) + 1 }, (_, i) => Number(step.from) + i);
      const units = ['TLD', 'P01', edited.unionCode, 'P38-H10', 'N01'];
      await expect.poll(async () => JSON.stringify(await cellsOf(page, units)), { timeout: 20_000 }).toBe(JSON.stringify(await serverCells(s, units, years, step.mode === MODE_ACHIEVED)));
    }
    await page.close();
  }, 240_000);
});

type Cells = Record<string, { values: (number | null)[]; versions: number[]; targets: (number | null)[] | null }>;

/** What the grid's model holds for these rows (rows not loaded are left out). */
function cellsOf(page: Page, units: string[]): Promise<Cells> {
  return page.evaluate((units) => {
    const api = (window as unknown as { unionhubSheet: { getRowNode(id: string): { data?: Cells[string] } | undefined } }).unionhubSheet;
    const out: Cells = {};
    for (const u of units) {
      const d = api.getRowNode(u)?.data;
      if (d) out[u] = { values: d.values, versions: d.versions, targets: d.targets };
    }
    return out;
  }, units);
}

/** The same rows read from the server: actual values and versions, and targets for % achieved. */
async function serverCells(s: TestServer, units: string[], years: number[], achieved: boolean): Promise<Cells> {
  const d = await s.gql<{ grid: { columns: { scenario: string }[]; rows: { unionCode: string; values: (number | null)[]; versions: number[] }[] } }>(
    'query ($y: [Int!]!) { grid(root: "TLD", depth: 2, years: $y, scenarios: [ACTUAL, TARGET]) { columns { scenario } rows { unionCode values versions } } }',
    { y: years },
  );
  const of = (list: unknown[], scenario: string) => list.filter((_, i) => d.data!.grid.columns[i]!.scenario === scenario);
  const out: Cells = {};
  for (const u of units) {
    const r = d.data!.grid.rows.find((x) => x.unionCode === u);
    if (r) out[u] = { values: of(r.values, 'ACTUAL') as (number | null)[], versions: of(r.versions, 'ACTUAL') as number[], targets: achieved ? (of(r.values, 'TARGET') as (number | null)[]) : null };
  }
  return out;
}
