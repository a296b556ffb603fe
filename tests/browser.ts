/** Debian's Chromium driven by playwright-core (no browser download), with the flags that work here. */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = resolve(import.meta.dirname, '../test-results/screenshots');

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`No Chromium at ${executablePath}: run the README's test command (it installs Debian's chromium)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Paste text into the focused element as a clipboard paste would (the page's own handler reads it). */
export async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** What a copy from the focused element puts on the clipboard. */
export async function copiedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const data = new DataTransfer();
    document.activeElement!.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
    return data.getData('text/plain');
  });
}

/** Sign in through the page and wait for the sheet's first row. */
export async function signIn(page: Page, url: string, username: string, password: string, timeout = 15_000): Promise<void> {
  page.setDefaultTimeout(timeout);
  await page.goto(url);
  await page.getByLabel(/Tên đăng nhập/).fill(username);
  await page.getByLabel(/Mật khẩu/).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('.ag-row[row-id="TLD"]').first().waitFor({ state: 'attached' });
}

/** A signed-in sheet in a new page, with the province of `showRow` opened until that row is there. */
export async function openSheet(browser: Browser, url: string, username: string, password: string, showRow?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await signIn(page, url, username, password);
  if (showRow) {
    const province = showRow.split('-')[0]!;
    await page.evaluate((r) => {
      const api = (window as unknown as { unionhubSheet: { ensureNodeVisible(n: unknown): void; getRowNode(r: string): unknown } }).unionhubSheet;
      api.ensureNodeVisible(api.getRowNode(r));
    }, province);
    await page.locator(`.ag-row[row-id="${province}"] .chevron`).click();
    await page.locator(`.ag-row[row-id="${showRow}"]`).first().waitFor({ state: 'attached' });
  }
  return page;
}

/** A cell, scrolled into view first: the grid only renders the columns and rows on screen. */
export function cellOf(page: Page, row: string, col: string) {
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
