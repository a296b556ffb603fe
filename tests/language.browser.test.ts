/**
 * The page's language in a real browser: the choice survives a reload (and <html lang> follows it);
 * refusals from the server are said in the page's language from their key and params — a wrong
 * sign-in, an import's rejected rows with numbers formatted for the language; the report page's
 * interface in English (the report's own text is Vietnamese by design, and the page says so).
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from './harness.js';
import { launchBrowser, SCREENSHOTS } from './browser.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => {
  s = await startTestServer();
  browser = await launchBrowser();
  // Level-1 members and admissions of 2013–2016 approved: the report's charts have something to label.
  const cells = await s.sql<{ unionCode: string; indicatorCode: string; year: number }>(
    `select u.code as "unionCode", i.code as "indicatorCode", f.year from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.level = 1 and f.scenario = 'actual' and f.year between 2013 and 2016 and i.code in ('members', 'admitted')`,
  );
  const r = await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: cells.map((c) => ({ ...c, scenario: 'ACTUAL' })) });
  expect(r.errors).toBeUndefined();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

async function typeSignIn(page: Page, user: RegExp, password: RegExp, button: string, username: string, pass: string): Promise<void> {
  await page.getByLabel(user).click();
  await page.keyboard.type(username);
  await page.getByLabel(password).click();
  await page.keyboard.type(pass);
  await page.getByRole('button', { name: button, exact: true }).click();
}

/** A workbook in the export layout with two bad rows: a value over the unit's maximum, a year outside the catalogue. */
async function badWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Số liệu');
  ws.addRow(['unit_code', 'indicator_code', 'year', 'scenario', 'value']);
  ws.addRow(['P06', 'members', 2015, 'actual', 250_000_000]);
  ws.addRow(['P06', 'members', 1999, 'actual', 5]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function previewBadFile(page: Page, button: string): Promise<string[]> {
  await page.locator('button[data-view="files"]').click();
  await page.locator('[data-testid="import"] input[type="file"]').setInputFiles({ name: 'P06.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await badWorkbook() });
  await page.locator('[data-testid="import"]').getByRole('button', { name: button }).click();
  const rows = page.locator('.import-rejects tr');
  await expect.poll(() => rows.count()).toBe(2);
  return rows.locator('td:nth-child(2)').allTextContents();
}

describe('language', () => {
  it('Vietnamese by default: a wrong sign-in and an import\'s rejects are said in Vietnamese with vi-VN numbers', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(15_000);
    await page.goto(s.url);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
    await typeSignIn(page, /Tên đăng nhập/, /Mật khẩu/, 'Đăng nhập', 'admin', 'wrong-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Sai tên đăng nhập hoặc mật khẩu');
    await page.getByLabel(/Mật khẩu/).fill('');
    await typeSignIn(page, /Tên đăng nhập/, /Mật khẩu/, 'Đăng nhập', '', 'admin-demo-2026');
    await page.locator('button[data-view="files"]').waitFor();
    const rejects = await previewBadFile(page, 'Xem trước');
    expect(rejects).toEqual(['250.000.000 vượt mức tối đa của "members" (tối đa 200.000.000)', '"1999" không phải năm trong danh mục (2013–2023)']);
    await page.screenshot({ path: join(SCREENSHOTS, 'language-import-vi.png') });
    await page.close();
  });

  it('English survives a reload; a wrong sign-in, an import\'s rejects and the report page are in English', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(15_000);
    await page.goto(s.url);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel(/Username/).waitFor();
    await page.reload();
    // Still English after the reload, and the document says so.
    await page.getByLabel(/Username/).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByRole('button', { name: 'Tiếng Việt' }).count()).toBe(1);

    await typeSignIn(page, /Username/, /Password/, 'Sign in', 'admin', 'wrong-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong username or password');
    await page.getByLabel(/Password/).fill('');
    await typeSignIn(page, /Username/, /Password/, 'Sign in', '', 'admin-demo-2026');
    await page.locator('button[data-view="files"]').waitFor();
    const rejects = await previewBadFile(page, 'Preview');
    expect(rejects).toEqual(['"members": 250,000,000 is over the maximum (at most 200,000,000)', '"1999" is not a year of the catalogue (2013–2023)']);
    await page.screenshot({ path: join(SCREENSHOTS, 'language-import-en.png') });

    // Switching back renders the same refusals in Vietnamese, without asking the server again.
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => page.locator('.import-rejects td:nth-child(2)').first().textContent()).toBe('250.000.000 vượt mức tối đa của "members" (tối đa 200.000.000)');
    await page.getByRole('button', { name: 'English' }).click();

    // The report page: its interface in English, and it says the report itself is Vietnamese.
    await page.locator('button[data-view="report"]').click();
    await page.getByTestId('report-pending').waitFor();
    expect(await page.locator('.report-toolbar h2').textContent()).not.toMatch(/Báo cáo/);
    expect(await page.getByTestId('report-language-note').textContent()).toMatch(/written in Vietnamese/);
    expect(await page.locator('.report-table-wrap').first().getAttribute('lang')).toBe('vi');
    const chartLabels = (await page.locator('.report-chart svg text').allTextContents()).join(' ');
    expect(chartLabels).toMatch(/\d M\b/);
    expect(chartLabels).not.toMatch(/ (tr|N)\b/);
    expect(chartLabels).toContain('Actual');
    expect(chartLabels).not.toContain('Thực hiện');
    await page.screenshot({ path: join(SCREENSHOTS, 'language-report-en.png') });
    await page.close();
  });
});
