/**
 * The Export / import page in Debian's Chromium: a reporter downloads the XLSX of its unit through
 * the page's link, edits one approved value, uploads it, sees the progress, the preview (one
 * proposal) and applies it; the proposal is then on the cell beside the approved value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { SCREENSHOTS, signIn } from './browser.js';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()));
afterAll(() => closeBrowserSuite(s, browser));

describe('Export / import page', () => {
  it('downloads the XLSX, previews an edited copy with progress, applies it', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await signIn(page, s.url, 'reporter.backan', 'reporter-demo-2026');
    await page.getByRole('button', { name: 'Xuất / nhập tệp' }).click();
    // The unit is picked by name through the union picker (typed without diacritics).
    await page.getByRole('combobox', { name: 'Tìm đơn vị theo tên hoặc mã' }).click();
    await page.keyboard.type('son duc');
    await page.getByRole('option', { name: /Sơn Đức/ }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('export-root').getAttribute('data-code')).toBe('P06-H01');
    await page.getByLabel('Đến năm').selectOption('2019');
    await page.getByLabel('Từ năm').selectOption('2019');
    await page.locator('select[name="scenario"]').selectOption('target');
    await page.locator('input[name="indicators"]').fill('members, grassroots');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-format="xlsx"]').click()]);
    expect(download.suggestedFilename()).toBe('unionhub-P06-H01-2019-target.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as never);
    const ws = wb.getWorksheet('Số liệu')!;
    expect(ws.rowCount).toBe(3);
    const approved = ws.getRow(2).getCell(9).value as number;
    ws.getRow(2).getCell(9).value = approved + 5;
    const edited = Buffer.from(await wb.xlsx.writeBuffer());

    // Record whether a progress indicator is shown at any point of the upload.
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress: boolean };
      w.sawProgress = false;
      // Read the mutation records, not the DOM: a fast upload adds and removes the indicator within one task.
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) if (n instanceof Element && (n.matches('.import-progress') || n.querySelector('.import-progress progress'))) w.sawProgress = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    await page.locator('[data-testid="import"] input[type="file"]').setInputFiles({ name: 'P06-H01.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: edited });
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect.poll(() => page.locator('[data-count="proposal"] strong').textContent()).toBe('1');
    expect(await page.locator('[data-count="unchanged"] strong').textContent()).toBe('1');
    expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'import-preview.png') });
    await page.getByRole('button', { name: /Áp dụng/ }).click();
    await expect.poll(() => page.locator('.import-done').textContent()).toMatch(/Đã ghi: 0 dòng, 1 đề xuất/);
    const r = await s.gql('{ figure(unionCode: "P06-H01", indicatorCode: "members", year: 2019, scenario: TARGET) { value proposedValue } }');
    expect(r.data!.figure).toEqual({ value: approved, proposedValue: approved + 5 });

    // A foreign file is refused with the server's message.
    await page.locator('[data-testid="import"] input[type="file"]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect.poll(() => page.locator('[data-testid="import"] [role="alert"]').textContent()).toMatch(/không phải tệp Excel/);
  });
});
