/**
 * What a user hit in the sheet (issue 13), each driven in a real browser: sorting keeps the tree,
 * undo restores the status, a colleague's save is never silently overwritten, a mixed range submits
 * what it can, the reviewer's toolbar tells the truth, nothing is clipped without a way to read it,
 * a click without a drag selects one cell, and one message at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';
import { cellOf, openSheet, SCREENSHOTS } from './browser.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()));
afterAll(() => closeBrowserSuite(s, browser));

const figure = async (u: string, i: string, y: number) => (await s.gql(`{ figure(unionCode: "${u}", indicatorCode: "${i}", year: ${y}, scenario: ACTUAL) { value version status } }`)).data!.figure as { value: number | null; version: number; status: string };
const setValue = async (u: string, i: string, y: number, value: number, as: 'admin' | 'reporter' = 'reporter') => {
  const f = await figure(u, i, y);
  const r = await s.gql(`mutation { setFigures(cells: [{ unionCode: "${u}", indicatorCode: "${i}", year: ${y}, scenario: ACTUAL, value: ${value}, expectedVersion: ${f.version} }]) { figures { version } } }`, {}, { as });
  expect(r.errors).toBeUndefined();
};
const transition = async (kind: 'submitFigures' | 'approveFigures', u: string, i: string, y: number, as: 'reporter' | 'reviewer') => {
  const r = await s.gql(`mutation { ${kind}(selection: { cells: [{ unionCode: "${u}", indicatorCode: "${i}", year: ${y}, scenario: ACTUAL }] }) { movedCount } }`, {}, { as });
  expect(r.errors).toBeUndefined();
};
/** Rows in the grid's order with their level and parent. */
const shownRows = (page: Page) =>
  page.evaluate(() => {
    const api = (window as unknown as { unionhubSheet: { getDisplayedRowCount(): number; getDisplayedRowAtIndex(i: number): { data: { unionCode: string; parentCode: string | null; level: number } } } }).unionhubSheet;
    return Array.from({ length: api.getDisplayedRowCount() }, (_, i) => api.getDisplayedRowAtIndex(i).data);
  });
const editCell = async (page: Page, row: string, col: string, text: string) => {
  await (await cellOf(page, row, col).show()).dblclick();
  await page.locator('.ag-cell-inline-editing input').waitFor();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
};

describe('sheet: what a user hit', () => {
  it("a colleague's save under an open editor neither ends the edit nor calls the half-typed text a mistake", async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026', 'P06-H02');
    await editCell(page, 'P06-H02', 'workers|2015', '1.');
    await setValue('P06-H02', 'workers', 2016, 4242, 'admin');
    await expect.poll(() => page.locator('.ag-row[row-id="P06-H02"] [col-id="workers|2016"]').first().textContent()).toBe('4.242');
    expect(await page.locator('.ag-cell-inline-editing input').count()).toBe(1);
    expect(await page.locator('[role=status], [role=alert]').allTextContents()).not.toContainEqual(expect.stringContaining('không phải là số'));
    await page.keyboard.type('234');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await figure('P06-H02', 'workers', 2015)).value).toBe(1234);
    // A text that is no number is still said, once its edit ends.
    await editCell(page, 'P06-H02', 'workers|2017', '12a');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role=status], [role=alert]').allTextContents()).toContainEqual(expect.stringContaining('"12a" không phải là số'));
    await page.close();
  });

  it('sorts by a column within each parent: children stay under their own union', async () => {
    const page = await openSheet(browser, s.url, 'admin', 'admin-demo-2026', 'P06-H01');
    await page.locator('.ag-row[row-id="P01"] .chevron').click();
    await page.locator('.ag-row[row-id="P01-H01"]').first().waitFor({ state: 'attached' });
    await cellOf(page, 'TLD', 'members|2013').show();
    await page.locator('.ag-header-cell[col-id="members|2013"]').click();
    await expect.poll(() => page.locator('.ag-header-cell[col-id="members|2013"] [aria-sort], .ag-header-cell[col-id="members|2013"][aria-sort]').first().getAttribute('aria-sort')).toMatch(/ascending|descending/);
    const rows = await shownRows(page);
    // Depth-first: each row's parent is the nearest row above it one level up.
    rows.forEach((r, i) => {
      if (!r.parentCode) return;
      const above = rows.slice(0, i).reverse().find((x) => x.level === r.level - 1);
      expect(above?.unionCode, `${r.unionCode} sits under ${above?.unionCode}`).toBe(r.parentCode);
    });
    // And the sort did happen among the provinces (not the seed's order).
    const provinces = rows.filter((r) => r.level === 1).map((r) => r.unionCode);
    expect(provinces).not.toEqual([...provinces].sort());
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-sorted-tree.png` });
    await page.close();
  });

  it('Ctrl+Z on an edited submitted cell restores its value and its status, and says so', async () => {
    await setValue('P06-H02', 'workers', 2013, 1111);
    await transition('submitFigures', 'P06-H02', 'workers', 2013, 'reporter');
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026', 'P06-H02');
    await editCell(page, 'P06-H02', 'workers|2013', '2.222');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await figure('P06-H02', 'workers', 2013)).status).toBe('DRAFT');
    await (await cellOf(page, 'P06-H02', 'workers|2013').show()).click();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => { const f = await figure('P06-H02', 'workers', 2013); return [f.value, f.status]; }).toEqual([1111, 'SUBMITTED']);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Đã hoàn tác: 1 ô.*Đã gửi.*khôi phục/);
    await expect.poll(() => page.locator('.ag-row[row-id="P06-H02"] [col-id="workers|2013"]').first().getAttribute('class')).toMatch(/st-submitted/);
    await page.close();
  });

  it('undo does not overwrite a value someone else wrote after the edit, and says the cell moved on', async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026', 'P06-H02');
    await editCell(page, 'P06-H02', 'workers|2014', '3.333');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await figure('P06-H02', 'workers', 2014)).value).toBe(3333);
    await setValue('P06-H02', 'workers', 2014, 4444, 'admin');
    await (await cellOf(page, 'P06-H02', 'workers|2014').show()).click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Không hoàn tác được.*người khác/);
    expect((await figure('P06-H02', 'workers', 2014)).value).toBe(4444);
    await page.close();
  });

  it("a colleague's save while the editor is open is not overwritten: both values are shown and the user decides", async () => {
    const a = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const pa = await a.newPage();
    const { signIn } = await import('./browser.js');
    await signIn(pa, s.url, 'reporter.backan', 'reporter-demo-2026');
    await pa.locator('.ag-row[row-id="P06"] .chevron').click();
    await pa.locator('.ag-row[row-id="P06-N03"]').first().waitFor({ state: 'attached' });
    await editCell(pa, 'P06-N03', 'workers|2015', '1.234');
    // B saves while A's editor is open; A's sheet hears it live.
    await setValue('P06-N03', 'workers', 2015, 9876, 'admin');
    await pa.waitForTimeout(1500); // let the live update land under the open editor
    await pa.keyboard.press('Enter');
    const prompt = pa.getByRole('alertdialog');
    await expect.poll(() => prompt.textContent()).toMatch(/người khác sửa.*9\.876.*1\.234/);
    expect((await figure('P06-N03', 'workers', 2015)).value).toBe(9876);
    await pa.screenshot({ path: `${SCREENSHOTS}/sheet-conflict.png` });
    await prompt.getByRole('button', { name: 'Ghi số của tôi' }).click();
    await expect.poll(async () => (await figure('P06-N03', 'workers', 2015)).value).toBe(1234);
    await a.close();
  });

  it('submitting a mixed range submits what can be submitted and says what was skipped and why', async () => {
    // H06: 2013 draft, 2014 submitted, 2015 approved.
    for (const y of [2013, 2014, 2015]) await setValue('P06-H06', 'workers', y, 500 + y);
    await transition('submitFigures', 'P06-H06', 'workers', 2014, 'reporter');
    await transition('submitFigures', 'P06-H06', 'workers', 2015, 'reporter');
    await transition('approveFigures', 'P06-H06', 'workers', 2015, 'reviewer');
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026', 'P06-H06');
    await (await cellOf(page, 'P06-H06', 'workers|2013').show()).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.getByRole('button', { name: 'Gửi vùng chọn' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Đã gửi: 1 ô; bỏ qua 2: .*đã gửi \(1\).*đã duyệt \(1\)|Đã gửi: 1 ô; bỏ qua 2: .*đã duyệt \(1\).*đã gửi \(1\)/);
    expect((await figure('P06-H06', 'workers', 2013)).status).toBe('SUBMITTED');
    await page.close();
  });

  it("tells a reviewer it reviews (not 'approved figures only'), and a viewer it sees approved figures only", async () => {
    const reviewer = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026');
    await expect.poll(() => reviewer.locator('.read-only').textContent()).toBe('Chỉ duyệt, không sửa số');
    await reviewer.close();
    const viewer = await openSheet(browser, s.url, 'viewer.taichinh', 'viewer-demo-2026');
    await expect.poll(() => viewer.locator('.read-only').textContent()).toBe('Chỉ xem số đã duyệt');
    await viewer.close();
  });

  it("shows a provincial reporter its own province, not 63 empty ones, and says why TLĐ's row is empty", async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026');
    await page.locator('.ag-row[row-id="P06"]').first().waitFor({ state: 'attached' });
    const rows = await page.evaluate(() => {
      const api = (window as unknown as { unionhubSheet: { getDisplayedRowCount(): number; getDisplayedRowAtIndex(i: number): { data: { unionCode: string } } } }).unionhubSheet;
      return Array.from({ length: api.getDisplayedRowCount() }, (_, i) => api.getDisplayedRowAtIndex(i).data.unionCode);
    });
    expect(rows).toEqual(['TLD', 'P06']);
    await expect.poll(() => page.getByRole('note').textContent()).toMatch(/chỉ hiện các đơn vị bạn được giao/i);
    expect(await page.locator('.ag-row[row-id="TLD"] .unreadable-note').count()).toBe(1);
    expect(await page.locator('.ag-row[row-id="P06"] .unreadable-note').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-reporter-scope.png` });
    await page.close();
  });

  it('shows national totals whole, long names with a tooltip, and whole indicator names with one year', async () => {
    const page = await openSheet(browser, s.url, 'admin', 'admin-demo-2026');
    const total = await (await cellOf(page, 'TLD', 'members|2017').show()).evaluate((e) => {
      const v = (e.querySelector('.ag-cell-value') ?? e) as HTMLElement;
      return { text: v.textContent, clipped: v.scrollWidth > v.clientWidth };
    });
    expect(total.text).toMatch(/^\d{1,3}(\.\d{3})+$/);
    expect(total.clipped).toBe(false);
    // The longest union name has a tooltip with the whole name.
    const longest = (await s.gql('{ union(code: "TLD") { children { code name } } }')).data!.union.children.sort((x: { name: string }, y: { name: string }) => y.name.length - x.name.length)[0];
    await (await cellOf(page, longest.code, 'unit').show()).hover();
    await expect.poll(() => page.locator('.ag-tooltip').textContent()).toBe(longest.name);
    // One year: each indicator's header shows its whole name.
    await page.getByLabel('Từ năm').selectOption('2017');
    await page.getByLabel('Đến năm').selectOption('2017');
    await cellOf(page, 'TLD', 'members|2017').show();
    await page.locator('.ag-header-cell[col-id="members|2017"]').waitFor();
    const clipped = await page.locator('.ag-header-group-cell .ag-header-group-text').evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().width > 0 && e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    expect(clipped).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-one-year.png` });
    await page.close();
  });

  it('a click that never moved leaves no drag behind, and messages replace each other', async () => {
    const page = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026', 'P06-H03');
    const a = await (await cellOf(page, 'P06-H01', 'workers|2013').show()).boundingBox();
    const b = await (await cellOf(page, 'P06-H03', 'workers|2015').show()).boundingBox();
    await page.mouse.move(a!.x + 10, a!.y + 5);
    await page.mouse.down();
    await page.mouse.up();
    await page.mouse.move(b!.x + 10, b!.y + 5, { steps: 6 });
    await expect.poll(() => page.locator('.ag-cell.in-range').count()).toBe(1);
    // Two actions, one message on screen.
    await page.getByRole('button', { name: 'Duyệt vùng chọn' }).click();
    await page.getByRole('button', { name: 'Duyệt vùng chọn' }).click();
    await expect.poll(() => page.locator('.toolbar .message').count()).toBe(1);
    await page.close();
  });
});
