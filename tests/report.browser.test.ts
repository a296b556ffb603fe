/**
 * The report page in a real browser against the real server and the built client: the tables and
 * charts from approved figures, what is not approved yet, issuing an edition with its stages shown,
 * and the edition's downloads.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from './harness.js';
import { launchBrowser, signIn, SCREENSHOTS } from './browser.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => {
  s = await startTestServer();
  browser = await launchBrowser();
  // Level-1 actuals of 2013–2016 approved; 2017 stays submitted (shown as not approved).
  const cells = await s.sql<{ unionCode: string; indicatorCode: string; year: number }>(
    `select u.code as "unionCode", i.code as "indicatorCode", f.year from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.level = 1 and f.scenario = 'actual' and f.year between 2013 and 2016`,
  );
  for (let i = 0; i < cells.length; i += 4000) {
    const r = await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: cells.slice(i, i + 4000).map((c) => ({ ...c, scenario: 'ACTUAL' })) });
    expect(r.errors).toBeUndefined();
  }
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('report page', () => {
  it('shows tables and charts from approved figures, issues an edition with progress, and lists it with downloads', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signIn(page, s.url, 'admin', 'admin-demo-2026');
    await page.locator('button[data-view="report"]').click();
    const national = page.getByTestId('report-table-national');
    await national.waitFor();
    const members2014 = (await s.sql<{ n: number }>(`select sum(f.value) as n from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where u.level = 1 and i.code = 'members' and f.year = 2014 and f.scenario = 'actual'`))[0]!.n;
    await expect.poll(() => national.locator('tbody tr').first().locator('td').nth(1).textContent()).toBe(new Intl.NumberFormat('vi-VN').format(members2014));
    expect(await national.locator('tbody tr').first().locator('td').nth(4).textContent()).toBe(''); // 2017 not approved
    expect(await page.getByTestId('report-pending').textContent()).toMatch(/Chưa được duyệt/);
    // The results' three charts; the plan's forecast-beside-target charts are counted on their own.
    expect(await page.locator('.report-charts .report-chart svg').count()).toBe(3);
    expect(await page.locator('.plan-forecast-chart svg').count()).toBe(3);
    await page.screenshot({ path: `${SCREENSHOTS}/report-page.png`, fullPage: false });

    await page.getByTestId('generate-report').click();
    await page.getByTestId('report-progress').waitFor();
    await page.getByTestId('report-changes').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('report-changes').textContent()).toMatch(/Lần 1/);
    const link = page.locator('.report-editions a', { hasText: 'XLSX' }).first();
    const href = await link.getAttribute('href');
    // No CSRF token in the link: a click asks for a short-lived download ticket, then downloads.
    expect(href).toMatch(/^\/reports\/\d+\.xlsx$/);
    // The page fetches the file with its ticket (so a refusal can be shown), then hands it to the browser.
    const [download, fetched] = await Promise.all([page.waitForEvent('download'), page.waitForRequest(/\/reports\/\d+\.xlsx\?ticket=/), link.click()]);
    expect(fetched.url()).toMatch(/\/reports\/\d+\.xlsx\?ticket=/);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(readFileSync((await download.path())!).subarray(0, 2).toString()).toBe('PK');
    await page.screenshot({ path: `${SCREENSHOTS}/report-edition.png` });
  });
});
