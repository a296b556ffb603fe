/**
 * The admin spreadsheet in a real browser against the real server and the built client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';
import { cellOf, copiedText, openSheet, pasteText, signIn, SCREENSHOTS } from './browser.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()));
afterAll(() => closeBrowserSuite(s, browser));

describe('sheet', () => {
  it('shows the national view, opens a province, and saves and audits a typed value', async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026');
    // Level 1 is listed under TLĐ in vi-VN numbers; a reporter sees its own province's figures only.
    const p06 = await s.gql(`{ figure(unionCode: "P06", indicatorCode: "members", year: 2014, scenario: ACTUAL) { value } }`);
    await expect.poll(() => cellOf(page, 'P06', 'members|2014').text()).toBe(new Intl.NumberFormat('vi-VN').format(p06.data!.figure.value));
    // Other provinces are not listed (the reporter reads none of them); TLĐ is only the path to its own.
    expect(await page.locator('.ag-row[row-id="P01"]').count()).toBe(0);
    await page.locator('.ag-row[row-id="P06"] .chevron').click();
    await page.locator('.ag-row[row-id="P06-H01"]').first().waitFor({ state: 'attached' });
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-national.png` });

    const before = await s.gql(`{ figure(unionCode: "P06-H01", indicatorCode: "workers", year: 2017, scenario: ACTUAL) { value version } }`);
    const target = cellOf(page, 'P06-H01', 'workers|2017');
    await (await target.show()).dblclick();
    await page.locator('.ag-cell-inline-editing input').waitFor(); // type once the editor is open
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
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026');
    // Not a number: refused in the sheet, nothing sent, the cell keeps its value.
    const target = cellOf(page, 'P06', 'workers|2016');
    const shown = await target.text();
    await (await target.show()).dblclick();
    await page.locator('.ag-cell-inline-editing input').waitFor(); // type once the editor is open
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('12,3,4');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/"12,3,4" không phải là số/);
    expect(await target.text()).toBe(shown);
    // Outside the reporter's province (TLĐ's row, only the path to its own) the sheet does not even open an editor.
    const outside = cellOf(page, 'TLD', 'workers|2016');
    await (await outside.show()).dblclick();
    expect(await page.locator('.ag-cell-inline-editing').count()).toBe(0);
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    expect(await outside.text()).toBe('');
    // Nor does it offer approval to a reporter.
    expect(await page.getByRole('button', { name: 'Duyệt vùng chọn' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Gửi vùng chọn' }).count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-refused.png` });
    await page.close();
  });

  it('pastes a 3×4 block as one batch, undoes and redoes it with the right versions', async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026', 'P06-H03');
    const units = ['P06-H01', 'P06-H02', 'P06-H03'];
    const years = [2013, 2014, 2015, 2016];
    const read = async () => {
      const r = await s.gql(`{ ${units.map((u, i) => `u${i}: figures(unionCode: "${u}", scenario: ACTUAL) { indicatorCode year value version status }`).join(' ')} }`);
      return units.map((_, i) => years.map((y) => r.data![`u${i}`].find((f: any) => f.indicatorCode === 'workers' && f.year === y)));
    };
    const before = await read();
    const revisionsBefore = Number(((await s.sql('select count(*) as n from figure_revision')) as [{ n: number }])[0].n);
    // Excel copies vi-VN numbers with thousands dots, tab between columns, CRLF between rows.
    const block = units.map((_, r) => years.map((_, c) => `${r + 1}.${String(c).padStart(3, '0')}`).join('\t')).join('\r\n') + '\r\n';
    await (await cellOf(page, 'P06-H01', 'workers|2013').show()).click();
    await pasteText(page, block);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Đã lưu: 12 ô/);
    const pasted = await read();
    pasted.forEach((row, r) => row.forEach((f, c) => expect(f).toMatchObject({ value: (r + 1) * 1000 + c, version: before[r]![c].version + 1 })));
    expect(Number(((await s.sql('select count(*) as n from figure_revision')) as [{ n: number }])[0].n) - revisionsBefore).toBe(12);
    expect(await cellOf(page, 'P06-H02', 'workers|2015').text()).toBe('2.002');
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-pasted.png` });

    // Collapse and re-open the province: the history survives.
    await page.locator('.ag-row[row-id="P06"] .chevron').click();
    await page.locator('.ag-row[row-id="P06"] .chevron').click();
    await (await cellOf(page, 'P06-H01', 'workers|2013').show()).click();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await read())[2]![3].value).toBe(before[2]![3].value);
    // The re-submission of the cells that were submitted follows the write back.
    await expect.poll(async () => (await read()).flat().map((f) => f.status)).toEqual(before.flat().map((f) => f.status));
    const undone = await read();
    // Undo writes the old values back and puts submitted cells back to submitted (one more version).
    const bump = (r: number, c: number) => (before[r]![c].status === 'SUBMITTED' ? 1 : 0);
    undone.forEach((row, r) => row.forEach((f, c) => expect(f).toMatchObject({ value: before[r]![c].value, status: before[r]![c].status, version: before[r]![c].version + 2 + bump(r, c) })));
    await page.keyboard.press('Control+y');
    await expect.poll(async () => (await read())[0]![0].value).toBe(1000);
    expect((await read())[2]![3]).toMatchObject({ value: 3003, version: before[2]![3].version + 3 + bump(2, 3) });
    await page.close();
  });

  it('refuses a pasted block with one bad cell as a whole and says which cell and why', async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026', 'P06-H05');
    const read = async () => (await s.gql(`{ a: figures(unionCode: "P06-H04", year: 2016, scenario: ACTUAL) { indicatorCode value version } b: figures(unionCode: "P06-H05", year: 2016, scenario: ACTUAL) { indicatorCode value version } }`)).data;
    const before = await read();
    await (await cellOf(page, 'P06-H04', 'workers|2016').show()).click();
    await pasteText(page, '100\t200\n-5\t400');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/không ô nào được ghi.*P06-H05.*số âm/);
    expect(await read()).toEqual(before);
    expect(await cellOf(page, 'P06-H04', 'workers|2016').text()).toBe(new Intl.NumberFormat('vi-VN').format(before!.a.find((f: any) => f.indicatorCode === 'workers').value));
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-paste-refused.png` });
    await page.close();
  });

  it('selects a range with the mouse and Shift+arrows, copies it as tab-separated text, approves it; an approved cell refuses an edit', async () => {
    const page = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026', 'P06-H08');
    await (await cellOf(page, 'P06-H07', 'workers|2013').show()).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => page.locator('.ag-cell.in-range').count()).toBe(6);
    const copied = await copiedText(page);
    const fmt = new Intl.NumberFormat('vi-VN');
    const value = async (u: string, y: number) => (await s.gql(`{ figure(unionCode: "${u}", indicatorCode: "workers", year: ${y}, scenario: ACTUAL) { value status } }`)).data!.figure;
    const expected = [];
    for (const u of ['P06-H07', 'P06-H08']) expected.push((await Promise.all([2013, 2014, 2015].map(async (y) => fmt.format((await value(u, y)).value)))).join('\t'));
    expect(copied).toBe(`${expected.join('\r\n')}\r\n`);
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-range.png` });

    await page.getByRole('button', { name: 'Duyệt vùng chọn' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Đã duyệt: 6 ô/);
    for (const u of ['P06-H07', 'P06-H08']) for (const y of [2013, 2014, 2015]) expect((await value(u, y)).status).toBe('APPROVED');
    await page.close();

    // A reporter cannot type into an approved cell.
    const reporter = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(reporter, s.url, 'reporter.backan', 'reporter-demo-2026');
    await reporter.locator('.ag-row[row-id="P06"] .chevron').click();
    const locked = cellOf(reporter, 'P06-H07', 'workers|2014');
    const shown = await locked.text();
    await (await locked.show()).dblclick();
    expect(await reporter.locator('.ag-cell-inline-editing').count()).toBe(0);
    await reporter.keyboard.type('999');
    await reporter.keyboard.press('Enter');
    expect(await locked.text()).toBe(shown);
    expect((await value('P06-H07', 2014)).status).toBe('APPROVED');
    await reporter.close();
  });

  it("shows a second browser's edit live, and a stale write shows the current value instead of overwriting it", async () => {
    const a = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const b = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const pa = await a.newPage();
    const pb = await b.newPage();
    await signIn(pa, s.url, 'reporter.backan', 'reporter-demo-2026');
    await signIn(pb, s.url, 'admin', 'admin-demo-2026');
    for (const p of [pa, pb]) {
      await p.locator('.ag-row[row-id="P06"] .chevron').click();
      await p.locator('.ag-row[row-id="P06-N03"]').first().waitFor({ state: 'attached' });
    }
    const inB = cellOf(pb, 'P06-N03', 'workers|2016');
    // B has the cell focused: its side panel follows the live value too.
    await (await inB.show()).click();
    const panelB = pb.getByLabel('Chi tiết ô');
    await panelB.locator('.value').waitFor();
    const edit = async (p: Page, text: string) => {
      await (await cellOf(p, 'P06-N03', 'workers|2016').show()).dblclick();
      await p.locator('.ag-cell-inline-editing input').waitFor(); // type once the editor is open
      await p.keyboard.press('ControlOrMeta+A');
      await p.keyboard.type(text);
      await p.keyboard.press('Enter');
    };
    await edit(pa, '4.242');
    await expect.poll(() => inB.text(), { timeout: 10_000 }).toBe('4.242');
    await expect.poll(() => panelB.locator('.value').textContent()).toBe('4.242 Nháp');
    await pb.screenshot({ path: `${SCREENSHOTS}/sheet-live.png` });

    // A sheet that hears nothing (its live stream is cut) goes stale; its write is a CONFLICT and it
    // shows the value that is there now instead of overwriting it.
    const c = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const pc = await c.newPage();
    // urql's own requests accept event streams among other types; the sheet's live stream asks for nothing else.
    await pc.route(/\/graphql/, (route) => (route.request().headers().accept === 'text/event-stream' ? route.abort() : route.continue()));
    await signIn(pc, s.url, 'reporter.backan', 'reporter-demo-2026');
    await pc.locator('.ag-row[row-id="P06"] .chevron').click();
    await pc.locator('.ag-row[row-id="P06-N03"]').first().waitFor({ state: 'attached' });
    const now = await s.gql('{ figure(unionCode: "P06-N03", indicatorCode: "workers", year: 2017, scenario: ACTUAL) { version } }');
    await s.gql(`mutation { setFigures(cells: [{ unionCode: "P06-N03", indicatorCode: "workers", year: 2017, scenario: ACTUAL, value: 5151, expectedVersion: ${now.data!.figure.version} }]) { figures { version } } }`);
    const stale = cellOf(pc, 'P06-N03', 'workers|2017');
    await (await stale.show()).dblclick();
    await pc.locator('.ag-cell-inline-editing input').waitFor(); // type once the editor is open
    await pc.keyboard.press('ControlOrMeta+A');
    await pc.keyboard.type('1');
    await pc.keyboard.press('Enter');
    // It shows both values and asks; nothing is overwritten until the user chooses.
    await expect.poll(() => pc.getByRole('alertdialog').textContent()).toMatch(/người khác sửa.*5\.151.*Số bạn nhập: 1(?!\d)/);
    expect(await stale.text()).toBe('5.151');
    await pc.getByRole('alertdialog').getByRole('button', { name: 'Giữ số của họ' }).click();
    expect((await s.gql('{ figure(unionCode: "P06-N03", indicatorCode: "workers", year: 2017, scenario: ACTUAL) { value } }')).data!.figure.value).toBe(5151);
    await c.close();
    await a.close();
    await b.close();
  });

  it('shows the focused cell’s discrepancy with the children behind it, and keeps a comment in its history', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await signIn(page, s.url, 'admin', 'admin-demo-2026');
    // The planted child-sum discrepancy: Hà Nội's officials trained in 2015 — marked on the cell.
    const marked = await cellOf(page, 'P01', 'officials.trained|2015').show();
    await expect.poll(() => marked.getAttribute('class')).toMatch(/has-discrepancy/);
    expect(await (await cellOf(page, 'P01', 'officials.trained|2014').show()).getAttribute('class')).not.toMatch(/has-discrepancy/);
    await marked.click();
    const panel = page.getByRole('complementary', { name: 'Chi tiết ô' });
    await expect.poll(() => panel.textContent()).toMatch(/Số liệu đơn vị cấp trên bằng tổng các đơn vị trực thuộc/);
    expect(await panel.locator('.drill-down li').count()).toBeGreaterThan(25);
    await panel.getByLabel('Ghi chú hoặc lý do').fill('Đang đối chiếu với quận, huyện');
    await panel.getByRole('button', { name: 'Ghi chú' }).click();
    await expect.poll(() => panel.locator('.history').textContent()).toMatch(/admin · ghi chú: Đang đối chiếu với quận, huyện/);
    const stored = await s.gql('{ figure(unionCode: "P01", indicatorCode: "officials.trained", year: 2015, scenario: ACTUAL) { comments { author text } } }');
    expect(stored.data!.figure.comments).toEqual([{ author: 'admin', text: 'Đang đối chiếu với quận, huyện' }]);
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-panel.png` });
    await page.close();
  });

  it('clears a range with Delete in one batch, and expands everything in one request', async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026');
    await page.getByRole('button', { name: 'Mở tất cả' }).click();
    await page.locator('.ag-row[row-id="P06-N07"]').first().waitFor({ state: 'attached' }); // the reporter's province is open
    const read = async () => (await s.gql('{ figures(unionCode: "P06-N07", scenario: ACTUAL) { indicatorCode year value version } }')).data!.figures.filter((f: any) => f.indicatorCode === 'funding' && f.year <= 2014);
    const before = await read();
    await (await cellOf(page, 'P06-N07', 'funding|2013').show()).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await read()).map((f: any) => f.value)).toEqual([null, null]);
    expect((await read()).map((f: any) => f.version)).toEqual(before.map((f: any) => f.version + 1));
    await page.getByRole('button', { name: 'Thu gọn' }).click();
    await expect.poll(() => page.locator('.ag-row[row-id="P06-N07"]').count()).toBe(0);
    await page.close();
  });
});
