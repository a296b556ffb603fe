/**
 * Excel's habits in the sheet, driven with real keys and mouse: Ctrl+click adds a range, Home/End and
 * Ctrl+Home/Ctrl+End/Ctrl+A, the fill handle and Ctrl+D/Ctrl+R as one batch, Ctrl+F over the data (not
 * only the cells in the page), opening and closing the tree from the keyboard, the legend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';
import { cellOf, copiedText, openSheet, SCREENSHOTS } from './browser.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()));
afterAll(() => closeBrowserSuite(s, browser));

type Api = {
  getFocusedCell(): { rowIndex: number; column: { getColId(): string } } | null;
  getDisplayedRowCount(): number;
  getAllDisplayedColumns(): { getColId(): string }[];
  getDisplayedRowAtIndex(i: number): { data: { unionCode: string } } | undefined;
};

/** The focused cell as (row id, column id), and the grid's last row and column. */
const focusOf = (page: Page) =>
  page.evaluate(() => {
    const api = (window as unknown as { unionhubSheet: Api }).unionhubSheet;
    const f = api.getFocusedCell();
    const cols = api.getAllDisplayedColumns();
    return f && { row: api.getDisplayedRowAtIndex(f.rowIndex)!.data.unionCode, rowIndex: f.rowIndex, col: f.column.getColId(), firstFigure: cols[1]!.getColId(), lastCol: cols.at(-1)!.getColId(), lastRow: api.getDisplayedRowCount() - 1 };
  });

const figure = async (u: string, i: string, y: number) => (await s.gql(`{ figure(unionCode: "${u}", indicatorCode: "${i}", year: ${y}, scenario: ACTUAL) { value version status } }`)).data!.figure as { value: number | null; version: number; status: string };
const revisions = async () => Number(((await s.sql('select count(*) as n from figure_revision')) as [{ n: number }])[0].n);

describe('sheet: Excel habits', () => {
  it('Ctrl+click adds a cell to the selection instead of replacing it', async () => {
    const page = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026', 'P06-H03');
    await (await cellOf(page, 'P06-H01', 'workers|2013').show()).click();
    await page.keyboard.press('Shift+ArrowRight');
    await (await cellOf(page, 'P06-H03', 'workers|2015').show()).click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('.ag-cell.in-range').count()).toBe(3);
    expect(await page.locator('.ag-row[row-id="P06-H01"] .ag-cell.in-range').count()).toBe(2);
    expect(await page.locator('.ag-row[row-id="P06-H03"] [col-id="workers|2015"].in-range').count()).toBe(1);
    await page.close();
  });

  it('Home/End go to the start and end of the row, Ctrl+Home/Ctrl+End to the corners, Ctrl+A selects everything', async () => {
    const page = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026', 'P06-H03');
    await (await cellOf(page, 'P06-H02', 'workers|2015').show()).click();
    await page.keyboard.press('End');
    await expect.poll(async () => { const f = await focusOf(page); return f && [f.row, f.col === f.lastCol]; }).toEqual(['P06-H02', true]);
    await page.keyboard.press('Home');
    await expect.poll(async () => { const f = await focusOf(page); return f && [f.row, f.col === f.firstFigure]; }).toEqual(['P06-H02', true]);
    await page.keyboard.press('Control+End');
    await expect.poll(async () => { const f = await focusOf(page); return f && [f.rowIndex === f.lastRow, f.col === f.lastCol]; }).toEqual([true, true]);
    await page.keyboard.press('Control+Home');
    await expect.poll(async () => { const f = await focusOf(page); return f && [f.row, f.col === f.firstFigure]; }).toEqual(['TLD', true]);
    // Shift+End extends the range to the end of the row.
    await page.keyboard.press('Shift+End');
    const cols = await page.evaluate(() => (window as unknown as { unionhubSheet: Api }).unionhubSheet.getAllDisplayedColumns().length);
    expect((await copiedText(page)).replace(/\r\n$/, '').split('\t')).toHaveLength(cols - 1);
    await page.keyboard.press('Control+a');
    const all = (await copiedText(page)).replace(/\r\n$/, '').split('\r\n');
    const rows = await page.evaluate(() => (window as unknown as { unionhubSheet: Api }).unionhubSheet.getDisplayedRowCount());
    expect(all).toHaveLength(rows);
    expect(all.every((line) => line.split('\t').length === cols - 1)).toBe(true);
    await page.close();
  });

  it('fills with the fill handle, Ctrl+D and Ctrl+R, each as one batch', async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026', 'P06-H05');
    // A source value of our own, so the fill is visible whatever the seed holds.
    const src = await figure('P06-H01', 'workers', 2014);
    await s.gql(`mutation { setFigures(cells: [{ unionCode: "P06-H01", indicatorCode: "workers", year: 2014, scenario: ACTUAL, value: 777, expectedVersion: ${src.version} }]) { figures { version } } }`, {}, { as: 'reporter' });
    await expect.poll(() => cellOf(page, 'P06-H01', 'workers|2014').text()).toBe('777');
    const source = await (await cellOf(page, 'P06-H01', 'workers|2014').show()).boundingBox();
    const target = await (await cellOf(page, 'P06-H04', 'workers|2014').show()).boundingBox();
    await (await cellOf(page, 'P06-H01', 'workers|2014').show()).click();
    const before = await revisions();
    // The handle is the small square at the range's bottom-right corner.
    await page.mouse.move(source!.x + source!.width - 3, source!.y + source!.height - 3);
    await page.mouse.down();
    await page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Đã lưu: 3 ô/);
    for (const u of ['P06-H02', 'P06-H03', 'P06-H04']) expect((await figure(u, 'workers', 2014)).value).toBe(777);
    expect(await revisions()).toBe(before + 3);
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-fill.png` });

    // Ctrl+R: the range's left column copied right.
    await (await cellOf(page, 'P06-H05', 'workers|2014').show()).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Control+r');
    const left = (await figure('P06-H05', 'workers', 2014)).value;
    await expect.poll(async () => [(await figure('P06-H05', 'workers', 2015)).value, (await figure('P06-H05', 'workers', 2016)).value]).toEqual([left, left]);
    // Ctrl+D: the range's top row copied down; one undo takes the whole fill back.
    // Read before the keys: the fill may land before a read made after them.
    const top = (await figure('P06-H01', 'workers', 2016)).value;
    const below = await figure('P06-H02', 'workers', 2016);
    await (await cellOf(page, 'P06-H01', 'workers|2016').show()).click();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Control+d');
    await expect.poll(async () => (await figure('P06-H02', 'workers', 2016)).value).toBe(top);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await figure('P06-H02', 'workers', 2016)).value).toBe(below.value === top ? top : below.value);
    await page.close();
  });

  it('Ctrl+F finds a union by name without diacritics, opening its closed parent, and a number among the figures', async () => {
    const page = await openSheet(browser, s.url, 'admin', 'admin-demo-2026');
    await page.getByRole('button', { name: 'Mở tất cả' }).click();
    await page.locator('.ag-row[row-id="P01-H01"]').first().waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Thu gọn' }).first().click();
    await expect.poll(() => page.locator('.ag-row[row-id="P01-H01"]').count()).toBe(0);
    const name = (await s.gql('{ union(code: "P38-H02") { name } }')).data!.union.name as string;
    const folded = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
    await (await cellOf(page, 'TLD', 'members|2013').show()).click();
    await page.keyboard.press('Control+f');
    await page.getByLabel('Tìm trong bảng').waitFor();
    await page.keyboard.type(folded);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focusOf(page))?.row).toBe('P38-H02');
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-find.png` });
    // A number as the sheet shows it (vi-VN), found in a row scrolled far out of the page.
    const v = (await figure('P38-H02', 'members', 2016)).value!;
    await page.getByLabel('Tìm trong bảng').fill(new Intl.NumberFormat('vi-VN').format(v));
    await page.getByLabel('Tìm trong bảng').press('Enter');
    await expect.poll(async () => (await focusOf(page))?.col).not.toBe('unit');
    const f = (await focusOf(page))!;
    const found = await figure(f.row, f.col.split('|')[0]!, Number(f.col.split('|')[1]));
    expect(found.value).toBe(v);
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('jumps to a union picked by name (without diacritics): its province opens and its row is focused', async () => {
    const page = await openSheet(browser, s.url, 'admin', 'admin-demo-2026');
    const name = (await s.gql('{ union(code: "P38-H02") { name } }')).data!.union.name as string;
    const folded = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
    const picker = page.getByRole('combobox', { name: /Đến đơn vị/ });
    await picker.click();
    await page.keyboard.type(folded);
    await page.locator('.union-picker-list [role="option"]').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focusOf(page))?.row).toBe('P38-H02');
    expect(await page.locator('.ag-row[row-id="P38"] .chevron').first().getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-jump.png` });
    await page.close();
  });

  it('opens and closes the tree from the keyboard (Alt+→, Alt+←; Alt+← on a child goes to its parent)', async () => {
    const page = await openSheet(browser, s.url, 'admin', 'admin-demo-2026');
    await (await cellOf(page, 'P06', 'members|2014').show()).click();
    await page.keyboard.press('Alt+ArrowRight');
    await page.locator('.ag-row[row-id="P06-H01"]').first().waitFor({ state: 'attached' });
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await focusOf(page))?.row).toBe('P06-H01');
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(async () => (await focusOf(page))?.row).toBe('P06');
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(() => page.locator('.ag-row[row-id="P06-H01"]').count()).toBe(0);
    await page.close();
  });

  it('explains the colours, the marks and the keys in a legend', async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026');
    const legend = page.getByLabel('Chú giải');
    await expect.poll(() => legend.textContent()).toMatch(/Nháp.*Đã gửi.*Đã duyệt.*Sai lệch.*đề xuất sửa.*Ctrl\+F/);
    // The swatches use the cells' own status classes: the same colours as the grid.
    const cell = page.locator('.ag-cell.st-approved, .ag-cell.st-submitted, .ag-cell.st-draft').first();
    const status = (await cell.getAttribute('class'))!.match(/st-(approved|submitted|draft)/)![0];
    const swatch = await legend.locator(`.${status}`).evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(swatch).toBe(await cell.evaluate((e) => getComputedStyle(e).backgroundColor));
    await page.close();
  });
});
