/**
 * The progress view follows other users' work live: B keeps the view open while A approves in the
 * panel and a reporter types a figure; B's counts change without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';
import { cellOf, openSheet, SCREENSHOTS } from './browser.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()));
afterAll(() => closeBrowserSuite(s, browser));

const vi = (n: number) => new Intl.NumberFormat('vi-VN').format(n);

/** Bắc Kạn's (P06) 2015 actuals as the progress view counts them, straight from the database. */
async function expected() {
  const rows = await s.sql<{ status: string; n: number }>(
    `select f.status, count(*) as n from figure f join trade_union u on u.id = f.union_id where u.path like '/TLD/P06/%' and f.year = 2015 and f.scenario = 'actual' group by f.status`,
  );
  const n = (st: string) => vi(Number(rows.find((r) => r.status === st)?.n ?? 0));
  const open = await s.sql<{ n: number }>(
    `select count(*) as n from discrepancy d join trade_union u on u.id = d.union_id where u.path like '/TLD/P06/%' and d.year = 2015 and d.scenario = 'actual' and d.state in ('open', 'explained')`,
  );
  return { approved: n('approved'), submitted: n('submitted'), draft: n('draft'), open: Number(open[0]!.n) };
}

async function shown(page: Page) {
  const cell = page.locator('tr[data-union="P06"] td[data-year="2015"]');
  const chip = cell.locator('.open-discrepancies');
  return {
    approved: await cell.locator('.n-approved').textContent(),
    submitted: await cell.locator('.n-submitted').textContent(),
    draft: await cell.locator('.n-draft').textContent(),
    open: (await chip.count()) ? Number((await chip.textContent())!.replace(/\./g, '')) : 0,
  };
}

describe('live progress', () => {
  it("changes B's progress view when A approves and a reporter types, without a reload", async () => {
    const b = await openSheet(browser, s.url, 'admin', 'admin-demo-2026');
    await b.getByRole('button', { name: 'Tiến độ duyệt' }).click();
    await b.locator('tr[data-union="P06"] td[data-year="2015"] .n-approved').waitFor();
    const first = await expected();
    expect(await shown(b)).toEqual(first);
    // A reload would lose this.
    await b.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // A (the reviewer) approves a submitted cell in the panel.
    expect((await s.gql(`{ figure(unionCode: "P06", indicatorCode: "members", year: 2015, scenario: ACTUAL) { status } }`)).data!.figure.status).toBe('SUBMITTED');
    const a = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026');
    await (await cellOf(a, 'P06', 'members|2015').show()).click();
    await a.locator('.cell-panel').getByRole('button', { name: 'Duyệt', exact: true }).click();
    await expect.poll(async () => (await s.gql(`{ figure(unionCode: "P06", indicatorCode: "members", year: 2015, scenario: ACTUAL) { status } }`)).data!.figure.status).toBe('APPROVED');
    const second = await expected();
    expect(second.approved).not.toBe(first.approved);
    await expect.poll(() => shown(b)).toEqual(second);

    // A reporter types over a submitted district figure: it becomes a draft, and the parent's sum breaks.
    const r = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026', 'P06-H01');
    await (await cellOf(r, 'P06-H01', 'workers|2015').show()).click();
    await r.keyboard.type('98765');
    await r.keyboard.press('Enter');
    await expect.poll(async () => (await s.gql(`{ figure(unionCode: "P06-H01", indicatorCode: "workers", year: 2015, scenario: ACTUAL) { status } }`)).data!.figure.status).toBe('DRAFT');
    const third = await expected();
    expect(third.draft).not.toBe(second.draft);
    expect(third.open).toBeGreaterThan(second.open);
    await expect.poll(() => shown(b)).toEqual(third);
    expect(await b.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await b.screenshot({ path: `${SCREENSHOTS}/progress-live.png` });
    await a.close();
    await r.close();
    await b.close();
  }, 180_000);
});
