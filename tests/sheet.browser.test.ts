/**
 * The admin spreadsheet in a real browser against the real server and the built client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from './harness.js';
import { launchBrowser, SCREENSHOTS } from './browser.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => {
  s = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

async function signIn(page: Page, username: string, password: string) {
  page.setDefaultTimeout(15_000);
  await page.goto(s.url);
  await page.getByLabel(/Tên đăng nhập/).fill(username);
  await page.getByLabel(/Mật khẩu/).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('.ag-row[row-id="TLD"]').first().waitFor({ state: 'attached' });
}

/** A cell, scrolled into view first: the grid only renders the columns and rows on screen. */
function cellOf(page: Page, row: string, col: string) {
  const locator = page.locator(`.ag-row[row-id="${row}"] [col-id="${col}"]`).first();
  return {
    async show() {
      await page.evaluate(([r, c]) => {
        const api = (window as unknown as { unionhubSheet: { ensureColumnVisible(c: string): void; ensureNodeVisible(n: unknown): void; getRowNode(r: string): unknown } }).unionhubSheet;
        api.ensureColumnVisible(c!);
        api.ensureNodeVisible(api.getRowNode(r!));
      }, [row, col]);
      await locator.waitFor({ state: 'attached' });
      return locator;
    },
    async text() {
      return (await this.show()).textContent();
    },
  };
}

describe('sheet', () => {
  it('shows the national view, opens a province, and saves and audits a typed value', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, 'reporter.backan', 'reporter-demo-2026');
    // Level 1 is listed under TLĐ in vi-VN numbers; a reporter sees its own province's figures only.
    const p06 = await s.gql(`{ figure(unionCode: "P06", indicatorCode: "members", year: 2014, scenario: ACTUAL) { value } }`);
    await expect.poll(() => cellOf(page, 'P06', 'members|2014').text()).toBe(new Intl.NumberFormat('vi-VN').format(p06.data!.figure.value));
    expect(await cellOf(page, 'P01', 'members|2014').text()).toBe('');
    await page.locator('.ag-row[row-id="P06"] .chevron').click();
    await page.locator('.ag-row[row-id="P06-H01"]').first().waitFor({ state: 'attached' });
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-national.png` });

    const before = await s.gql(`{ figure(unionCode: "P06-H01", indicatorCode: "workers", year: 2017, scenario: ACTUAL) { value version } }`);
    const target = cellOf(page, 'P06-H01', 'workers|2017');
    await (await target.show()).dblclick();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('12.345');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Đã lưu/);
    expect(await target.text()).toBe('12.345');
    const after = await s.gql(`{ figure(unionCode: "P06-H01", indicatorCode: "workers", year: 2017, scenario: ACTUAL) { value version status revisions { actor afterValue } } }`);
    expect(after.data!.figure).toMatchObject({ value: 12345, version: before.data!.figure.version + 1, status: 'DRAFT' });
    expect(after.data!.figure.revisions.at(-1)).toEqual({ actor: 'reporter.backan', afterValue: 12345 });
    await page.close();
  });

  it('says why a refused value or edit was refused and restores the cell', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, 'reporter.backan', 'reporter-demo-2026');
    // Not a number: refused in the sheet, nothing sent, the cell keeps its value.
    const target = cellOf(page, 'P06', 'workers|2016');
    const shown = await target.text();
    await (await target.show()).dblclick();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('12,3,4');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/is not a number/);
    expect(await target.text()).toBe(shown);
    // Outside the reporter's province: the server refuses with FORBIDDEN and the cell stays empty.
    const outside = cellOf(page, 'P01', 'workers|2016');
    await (await outside.show()).dblclick();
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Không lưu được.*do not allow editing/);
    expect(await outside.text()).toBe('');
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-refused.png` });
    await page.close();
  });
});
