/**
 * The sheet in Debian's Chromium: navigation → first painted national view (levels 0–1, values
 * shown), and a 100-cell paste until saved; each against the same data over plain HTTP GraphQL.
 */
import { existsSync } from 'node:fs';
import type { Knex } from '@mikro-orm/knex';
import { startApp } from '../server/src/app.js';
import { issueToken } from '../server/src/domain/auth.js';
import { report, time } from './lib.js';
import { launchBrowser, pasteText } from '../tests/browser.js';

export async function benchSheet(db: Knex): Promise<string[]> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return ['sheet: skipped (no Chromium; `bash tests/setup-system.sh` installs it)'];
  const app = await startApp(db, 0, '127.0.0.1');
  const { token } = await issueToken(db, { username: 'admin', name: 'bench' });
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data: Record<string, { indicatorCode: string; year: number; version: number }[]>; errors?: unknown[] };
  };
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(app.url);
    await page.getByLabel(/Tên đăng nhập/).fill('admin');
    await page.getByLabel(/Mật khẩu/).fill('admin-demo-2026');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const painted = () => page.locator('.ag-row[row-id="P01"] [col-id="workers|2013"]').filter({ hasText: /\d/ }).first().waitFor({ state: 'attached' });
    await painted();
    const paint = await time(async () => {
      await page.goto(app.url);
      await painted();
    }, 5, 1);
    const grid = `query { grid(root: "TLD", depth: 1, years: [2013, 2014, 2015, 2016, 2017]) { rows { values } } }`;
    const fetchOnly = await time(() => gql(grid), 5, 1);

    // 100 cells: 10 districts of Thanh Hóa × 10 columns (workers and its public-sector part, 2013–2017).
    // The grid renders only the rows on screen: scroll Thanh Hóa into view before opening it.
    await page.evaluate(() => {
      const api = (window as unknown as { unionhubSheet: { ensureNodeVisible(n: unknown, p: string): void; getRowNode(r: string): unknown } }).unionhubSheet;
      api.ensureNodeVisible(api.getRowNode('P38'), 'top');
    });
    await page.locator('.ag-row[row-id="P38"] .chevron').click();
    await page.locator('.ag-row[row-id="P38-H10"]').first().waitFor({ state: 'attached' });
    let round = 0;
    const block = () => Array.from({ length: 10 }, (_, r) => Array.from({ length: 10 }, (_, c) => String(1000 + round * 100 + r * 10 + c)).join('\t')).join('\r\n');
    // The focus stays on the block's first cell from one paste to the next.
    await page.locator('.ag-row[row-id="P38-H01"] [col-id="workers|2013"]').first().click();
    const paste = await time(async () => {
      round++;
      const saved = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('setFigures'));
      await pasteText(page, block());
      const body = await (await saved).json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      // …and painted: the block's last row shows the saved value (in its last column on screen: the
      // side panel leaves the block's last columns to the grid's column virtualisation).
      await page.locator('.ag-row[row-id="P38-H10"] [col-id="workers|2017"]').filter({ hasText: new Intl.NumberFormat('vi-VN').format(1000 + round * 100 + 94) }).first().waitFor({ state: 'attached' });
    }, 5, 1);
    // The same 100-cell batch straight over HTTP, reading the versions first as the sheet holds them.
    const cols = ['workers', 'workers.sector.public'].flatMap((c) => [2013, 2014, 2015, 2016, 2017].map((y) => [c, y] as const));
    const units = Array.from({ length: 10 }, (_, i) => `P38-H${String(i + 1).padStart(2, '0')}`);
    const direct = await time(async () => {
      round++;
      const current = await gql(`{ ${units.map((u, i) => `u${i}: figures(unionCode: "${u}", scenario: ACTUAL) { indicatorCode year version }`).join(' ')} }`);
      const cells = units.flatMap((u, r) => cols.map(([code, year], c) => ({
        unionCode: u, indicatorCode: code, year, scenario: 'ACTUAL', value: 2000 + round * 100 + r * 10 + c,
        expectedVersion: current.data[`u${r}`]!.find((f) => f.indicatorCode === code && f.year === year)!.version,
      })));
      const r = await gql('mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells) { figures { version } } }', { cells });
      if (r.errors) throw new Error(JSON.stringify(r.errors));
    }, 5, 1);
    return [
      report('sheet first paint, national view (navigation → values painted ÷ the grid query alone over HTTP)', paint, fetchOnly, 'none set'),
      report('sheet 100-cell paste (paste → saved ÷ the same batch over HTTP with its version read)', paste, direct, 'none set'),
    ];
  } finally {
    await browser.close();
    await app.close();
  }
}
