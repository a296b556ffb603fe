/**
 * The visual pass, checked at a laptop's 1366×768 and a desktop's 1920×1080: every page is shot into
 * test-results/screenshots/screen-<page>-<width>.png (to be looked at), and what can fail is asserted:
 * no horizontal page overflow, the header's and the page toolbar's controls inside the viewport, and
 * the bundled Be Vietnam Pro really drawing Vietnamese text (not a system fallback).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cellOf, SCREENSHOTS } from './browser.js';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()));
afterAll(() => closeBrowserSuite(s, browser));

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** The page scrolls only down, never sideways. */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
}

/** Controls of the header and of the page's toolbar that are not wholly inside the viewport. */
async function controlsOutside(page: Page, toolbar: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const controls = [...document.querySelectorAll(`header :is(button, select, input, a), ${sel} :is(button, select, input, a, label)`)];
    return controls
      .filter((c) => {
        const r = c.getBoundingClientRect();
        return r.width === 0 || r.height === 0 || r.left < 0 || r.top < 0 || r.right > window.innerWidth || r.bottom > window.innerHeight;
      })
      .map((c) => `${c.tagName} "${c.textContent?.trim() || c.getAttribute('aria-label') || ''}"`);
  }, toolbar);
}

/** The faces Chromium really drew a text with (DevTools' CSS.getPlatformFontsForNode). */
async function fontsDrawing(page: Page, text: string): Promise<string[]> {
  await page.evaluate((t) => {
    const probe = document.createElement('span');
    probe.id = 'glyph-probe';
    probe.textContent = t;
    document.querySelector('header')!.append(probe);
  }, text);
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#glyph-probe' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => f.familyName);
  } finally {
    await cdp.detach();
    await page.evaluate(() => document.getElementById('glyph-probe')?.remove());
  }
}

async function checkScreen(page: Page, name: string, toolbar: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SCREENSHOTS, `screen-${name}-${page.viewportSize()!.width}.png`) });
  expect(await horizontalOverflow(page), `${name}: page wider than the window`).toBeLessThanOrEqual(0);
  expect(await controlsOutside(page, toolbar), `${name}: controls outside the window`).toEqual([]);
}

describe('One look at 1366×768 and 1920×1080', () => {
  for (const size of SIZES) {
    it(`sign-in, sheet with panel, progress, report and files at ${size.width}×${size.height}`, async () => {
      const page = await browser.newPage({ viewport: size });
      page.setDefaultTimeout(20_000);
      await page.goto(s.url);
      await page.getByLabel(/Tên đăng nhập/).waitFor();

      // The bundled font, with its Vietnamese faces, is the one drawing the page's text.
      await expect.poll(() => page.evaluate(() => document.fonts.check('14px "Be Vietnam Pro"', 'ữ'))).toBe(true);
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/^"?Be Vietnam Pro"?,/);
      expect(await fontsDrawing(page, 'Những người lao động ữ ặ ỗ đ')).toEqual(['Be Vietnam Pro']);
      await checkScreen(page, 'signin', '.sign-in');

      await page.getByLabel(/Tên đăng nhập/).fill('admin');
      await page.getByLabel(/Mật khẩu/).fill('admin-demo-2026');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.locator('.ag-row[row-id="TLD"]').first().waitFor({ state: 'attached' });
      // A province opened, one of its districts' cells focused: the side panel shows it.
      await page.locator('.ag-row[row-id="P06"] .chevron').click();
      await page.locator('.ag-row[row-id="P06-H01"]').first().waitFor({ state: 'attached' });
      await (await cellOf(page, 'P06-H01', 'members|2015').show()).click();
      await expect.poll(() => page.locator('.cell-panel h3').textContent()).toMatch(/./);
      await cellOf(page, 'P06-H01', 'members|2015').show(); // the panel narrowed the grid: keep the cell in view
      // The grid's own text too: the theme hands the font to AG Grid.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('.ag-cell')!).fontFamily)).toMatch(/^"?Be Vietnam Pro"?/);
      await checkScreen(page, 'sheet', '.sheet .toolbar');

      await page.locator('header button[data-view="progress"]').click();
      await page.locator('.progress-table tr[data-union="P06"]').waitFor();
      await checkScreen(page, 'progress', '.progress .toolbar');

      await page.locator('header button[data-view="report"]').click();
      await page.locator('[data-testid="report-page"] table').first().waitFor();
      await checkScreen(page, 'report', '.report-toolbar');

      await page.locator('header button[data-view="files"]').click();
      await page.locator('[data-testid="import"]').waitFor();
      await checkScreen(page, 'files', '.files-form');
      await page.close();
    }, 180_000); // five pages and a sign-in, on a shared 2-core machine
  }
});
