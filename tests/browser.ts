/** Debian's Chromium driven by playwright-core (no browser download), with the flags that work here. */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { gridWorkersOf } from '../server/src/db/grid-workers.js';
import { closeBrowserSuite, startTestServer, type As, type TestServer } from './harness.js';
import { DEMO_USERS } from '../server/src/db/demo-users.js';
import type { AppOptions } from '../server/src/app.js';

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

/** Type the user's name and password into the page's sign-in form and send it. */
async function fillSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel(/Tên đăng nhập/).fill(username);
  await page.getByLabel(/Mật khẩu/).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Sign in through the page and wait for the sheet's first row. */
export async function signIn(page: Page, url: string, username: string, password: string, timeout = 15_000): Promise<void> {
  page.setDefaultTimeout(timeout);
  await page.goto(url);
  await fillSignIn(page, username, password);
  await page.locator('.ag-row[row-id="TLD"]').first().waitFor({ state: 'attached' });
}

export type Who = Exclude<As, 'anonymous'>;

/** The seeded demo user of each role (tests/harness.ts's tokens are theirs). */
export const USERS = Object.fromEntries(DEMO_USERS.map((u) => [u.role, { username: u.username, password: u.password }])) as Record<Who, { username: string; password: string }>;

export interface BrowserSuite {
  /** Set once the file's beforeAll has run. */
  s: TestServer;
  browser: Browser;
  /** A fresh session (its own context, a laptop's size) signed in as `who` at `hash`; waits for nothing after the sign-in. */
  session(who: Who, hash?: string): Promise<Page>;
  /** The GraphQL operations a session's page has sent since it opened. */
  requests(page: Page): GraphqlRequests;
}

const sent = new WeakMap<Page, GraphqlRequests>();

/**
 * A browser test file's server (the seeded database; `options` such as an injected clock), Chromium
 * and the demo users' sign-in; both closed after the file. Call it at the file's top level.
 */
export function setUpBrowserSuite(options: AppOptions = {}): BrowserSuite {
  const suite = {
    async session(who: Who, hash = '') {
      const context = await suite.browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
      const page = await context.newPage();
      sent.set(page, graphqlRequests(page));
      page.setDefaultTimeout(20_000);
      await page.goto(`${suite.s.url}/${hash}`);
      await fillSignIn(page, USERS[who].username, USERS[who].password);
      return page;
    },
    requests: (page: Page) => sent.get(page)!,
  } as BrowserSuite;
  beforeAll(async () => {
    suite.s = await startTestServer(options);
    // As `pnpm start` does: the sheet's first read is not the one that starts the grid worker.
    await gridWorkersOf(suite.s.app.db)?.warm();
    suite.browser = await launchBrowser();
  }, 120_000);
  afterAll(() => closeBrowserSuite(suite.s, suite.browser));
  return suite;
}

export type GraphqlRequests = ReturnType<typeof graphqlRequests>;

/** The GraphQL operations a page sends, by operationName, in the order sent (`since` a mark: the ones after it). */
export function graphqlRequests(page: Page) {
  const names: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname !== '/graphql') return;
    // Queries short enough go as GET (urql's default), the rest and mutations as POST.
    names.push((r.method() === 'GET' ? url.searchParams.get('operationName') : (r.postDataJSON() as { operationName?: string } | null)?.operationName) ?? '?');
  });
  return {
    mark: () => names.length,
    since: (mark = 0) => names.slice(mark),
    count: (name: string, mark = 0) => names.slice(mark).filter((n) => n === name).length,
  };
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
