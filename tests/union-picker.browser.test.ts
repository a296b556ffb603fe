/**
 * The union picker on the export page, in Debian's Chromium with real keys and mouse: a union is
 * found by its name typed without diacritics, picked with the arrow keys and Enter (or a click),
 * Escape closes the list, and the export downloads for the picked union. A download the server
 * refuses shows the server's message instead of vanishing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SCREENSHOTS, signIn } from './browser.js';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()));
afterAll(() => closeBrowserSuite(s, browser));

async function filesPage(user: string, password: string, viewport = { width: 1400, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  await signIn(page, s.url, user, password);
  await page.getByRole('button', { name: 'Xuất / nhập tệp' }).click();
  return page;
}

describe('Union picker on the export page', () => {
  it('finds a union typed without diacritics, picks it with the keys, and the export is that union’s', async () => {
    const page = await filesPage('admin', 'admin-demo-2026');
    const box = page.getByRole('combobox', { name: 'Tìm đơn vị theo tên hoặc mã' });
    const list = page.getByRole('listbox');
    await box.click();
    await page.keyboard.type('dien bien');
    const options = list.getByRole('option');
    await expect.poll(() => options.count()).toBeGreaterThan(1);
    // Best match first: the province itself, its level and parent shown.
    await expect.poll(() => options.first().textContent()).toMatch(/^LĐLĐ tỉnh Điện BiênP11 · Cấp tỉnh, ngành Trung ương · /);
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: join(SCREENSHOTS, 'union-picker-open.png') });

    // Escape closes; ArrowDown opens again on the first match; two more go to the third.
    await page.keyboard.press('Escape');
    await expect.poll(() => list.isHidden()).toBe(true);
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => list.isVisible()).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = options.nth(2);
    expect(await third.getAttribute('aria-selected')).toBe('true');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await third.getAttribute('id'));
    const thirdName = (await third.locator('.union-picker-name').textContent())!;
    const thirdCode = /^(\S+) ·/.exec((await third.locator('.union-picker-meta').textContent())!)![1]!;
    expect(thirdCode).toMatch(/^P11-/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('export-root').getAttribute('data-code')).toBe(thirdCode);
    expect(await page.getByTestId('export-root').textContent()).toBe(`${thirdName} (${thirdCode})`);
    expect(await box.inputValue()).toBe(thirdName);
    expect(await list.isHidden()).toBe(true);

    // Another union, with diacritics typed and picked with the mouse.
    await box.fill('');
    await box.click();
    await page.keyboard.type('Sơn Đức');
    await expect.poll(() => options.count()).toBe(1);
    await options.first().click();
    await expect.poll(() => page.getByTestId('export-root').getAttribute('data-code')).toBe('P06-H01');
    await page.getByLabel('Đến năm').selectOption('2019');
    await page.getByLabel('Từ năm').selectOption('2019');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-format="xlsx"]').click()]);
    expect(download.suggestedFilename()).toBe('unionhub-P06-H01-2019.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as never);
    const units = new Set<string>();
    wb.getWorksheet('Số liệu')!.eachRow((row, i) => { if (i > 1) units.add(String(row.getCell(1).value)); });
    expect([...units]).toEqual(['P06-H01']);
    expect(await page.locator('[data-testid="exports"] [role="alert"]').count()).toBe(0);
  });

  it('finds for a reporter only what it may read', async () => {
    const page = await filesPage('reporter.backan', 'reporter-demo-2026', { width: 1366, height: 768 });
    const box = page.getByRole('combobox', { name: 'Tìm đơn vị theo tên hoặc mã' });
    await box.click();
    await page.keyboard.type('ha noi');
    await expect.poll(() => page.getByRole('listbox').textContent()).toMatch(/Không có đơn vị nào khớp/);
    expect(await page.getByRole('listbox').getByRole('option').count()).toBe(0);
    await box.fill('');
    await page.keyboard.type('ldld');
    await expect.poll(() => page.getByRole('listbox').getByRole('option').count()).toBeGreaterThan(1);
    for (const meta of await page.locator('.union-picker-meta').allTextContents()) expect(meta).toMatch(/^P06/);
    await page.screenshot({ path: join(SCREENSHOTS, 'union-picker-reporter-1366.png') });
  });

  it('shows the message of a refused download', async () => {
    const page = await filesPage('reporter.backan', 'reporter-demo-2026');
    await page.locator('input[name="indicators"]').fill('members, no.such');
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.locator('a[data-format="csv"]').click();
    const alert = page.locator('[data-testid="exports"] [role="alert"]');
    await expect.poll(() => alert.textContent()).toMatch(/^Không tải được tệp: .*no\.such/);
    await page.screenshot({ path: join(SCREENSHOTS, 'export-refused.png') });
    expect(downloads).toEqual([]);
    // The message goes once the indicators are fixed and the download succeeds.
    await page.locator('input[name="indicators"]').fill('members');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-format="csv"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^unionhub-TLD-.*\.csv$/);
    await expect.poll(() => alert.count()).toBe(0);
  });
});
