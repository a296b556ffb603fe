/**
 * The sheet's review side in a real browser: what a viewer sees, the filters, "approve all that
 * pass", proposals and discrepancy decisions in the panel, the year range, and the progress view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';
import { cellOf, openSheet, SCREENSHOTS } from './browser.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()));
afterAll(() => closeBrowserSuite(s, browser));

const vi = (n: number) => new Intl.NumberFormat('vi-VN').format(n);
const levelOneRows = (page: Page) =>
  page.evaluate(() => {
    const api = (window as unknown as { unionhubSheet: { forEachNode(f: (n: { data: { unionCode: string; level: number } }) => void): void } }).unionhubSheet;
    const codes: string[] = [];
    api.forEachNode((n) => n.data.level === 1 && codes.push(n.data.unionCode));
    return codes.sort();
  });
/** The province (level 1) a union path lies under. */
const provinceOf = (path: string) => path.split('/')[2]!;

describe('sheet review', () => {
  it('shows a viewer approved figures only, read-only, with nothing to submit or approve', async () => {
    const page = await openSheet(browser, s.url, 'viewer.taichinh', 'viewer-demo-2026');
    await expect.poll(() => page.locator('.read-only').count()).toBe(1);
    // Seeded actuals are submitted: a viewer sees empty cells, not the values.
    await expect.poll(() => page.locator('.ag-row[row-id="P06"]').count()).toBeGreaterThan(0);
    expect(await cellOf(page, 'P06', 'members|2014').text()).toBe('');
    await (await cellOf(page, 'P06', 'members|2014').show()).dblclick();
    expect(await page.locator('.ag-cell-inline-editing').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Gửi vùng chọn|Duyệt/ }).count()).toBe(0);
    // Targets are assigned and approved: the viewer reads them.
    await page.getByLabel(/Chỉ tiêu/).check();
    const target = await s.gql(`{ figure(unionCode: "P06", indicatorCode: "members", year: 2017, scenario: TARGET) { value status } }`);
    expect(target.data!.figure.status).toBe('APPROVED');
    await expect.poll(() => cellOf(page, 'P06', 'members|2017').text()).toBe(vi(target.data!.figure.value));
    await (await cellOf(page, 'P06', 'members|2017').show()).dblclick();
    expect(await page.locator('.ag-cell-inline-editing').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-viewer.png` });
    await page.close();
  });

  it('types over a focused cell to replace it; Tab saves and moves right, Enter saves and moves down', async () => {
    const page = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026', 'P06-H01');
    const focusedCell = () => page.evaluate(() => {
      const api = (window as unknown as { unionhubSheet: { getFocusedCell(): { rowIndex: number; column: { getColId(): string } } | null; getDisplayedRowAtIndex(i: number): { data: { unionCode: string } } } }).unionhubSheet;
      const f = api.getFocusedCell();
      return f ? `${api.getDisplayedRowAtIndex(f.rowIndex).data.unionCode}|${f.column.getColId()}` : null;
    });
    await (await cellOf(page, 'P06-H01', 'workers|2013').show()).click();
    await page.keyboard.type('4321');
    await page.keyboard.press('Tab');
    await expect.poll(focusedCell).toBe('P06-H01|workers|2014');
    await page.keyboard.type('4.322');
    await page.keyboard.press('Enter');
    await expect.poll(focusedCell).toBe('P06-H02|workers|2014');
    const read = async (year: number) => (await s.gql(`{ figure(unionCode: "P06-H01", indicatorCode: "workers", year: ${year}, scenario: ACTUAL) { value status } }`)).data!.figure;
    await expect.poll(() => read(2013)).toEqual({ value: 4321, status: 'DRAFT' });
    await expect.poll(() => read(2014)).toEqual({ value: 4322, status: 'DRAFT' });
    await page.close();
  });

  it('filters to the provinces with open discrepancies, and back', async () => {
    const page = await openSheet(browser, s.url, 'admin', 'admin-demo-2026');
    const all = await levelOneRows(page);
    // Independently: the provinces under which an open discrepancy lies, 2013–2017, actuals.
    const open = await s.sql<{ path: string }>(
      `select u.path from discrepancy d join trade_union u on u.id = d.union_id
       where d.state in ('open', 'explained') and d.scenario = 'actual' and d.year between 2013 and 2017 and u.level >= 1`,
    );
    const expected = [...new Set(open.map((r) => provinceOf(r.path)))].sort();
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.length).toBeLessThan(all.length);
    await page.getByLabel('Chỉ dòng có sai lệch').check();
    await expect.poll(() => levelOneRows(page)).toEqual(expected);
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-filtered.png` });
    await page.getByLabel('Chỉ dòng có sai lệch').uncheck();
    await expect.poll(() => levelOneRows(page)).toEqual(all);
    await page.close();
  });

  it('approves all that pass in a subtree for a year, leaving the cells an open error blocks', async () => {
    // Planted: members.left of P38-H02 in 2015 breaks the members balance there, in P38 and in TLĐ.
    const page = await openSheet(browser, s.url, 'admin', 'admin-demo-2026', 'P38-H02');
    await (await cellOf(page, 'P38', 'members|2015').show()).click();
    await expect.poll(() => page.locator('.cell-panel h3').textContent()).toMatch(/./);
    const before = await s.sql<{ status: string; n: number }>(
      `select f.status, count(*) as n from figure f join trade_union u on u.id = f.union_id
       where u.path like '/TLD/P38/%' and f.year = 2015 and f.scenario = 'actual' group by f.status`,
    );
    const submitted = Number(before.find((r) => r.status === 'submitted')?.n ?? 0);
    expect(submitted).toBeGreaterThan(100);
    await page.getByRole('button', { name: 'Duyệt tất cả ô đạt' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Đã duyệt: \d+ ô; bỏ qua: \d+/);
    const [, moved, skipped] = /Đã duyệt: (\d+) ô; bỏ qua: (\d+)/.exec((await page.getByRole('status').textContent())!)!;
    const after = await s.sql<{ unionCode: string; indicatorCode: string; status: string }>(
      `select u.code as "unionCode", i.code as "indicatorCode", f.status from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
       where u.path like '/TLD/P38/%' and f.year = 2015 and f.scenario = 'actual'`,
    );
    const still = after.filter((r) => r.status === 'submitted');
    expect(Number(moved)).toBe(submitted - still.length);
    expect(Number(skipped)).toBe(still.length);
    // The cells the balance rule is about stay submitted where the planted error sits; the rest moved.
    expect(still.map((r) => `${r.unionCode}|${r.indicatorCode}`)).toEqual(expect.arrayContaining(['P38-H02|members', 'P38-H02|members.left', 'P38|members']));
    expect(after.find((r) => r.unionCode === 'P38-H02' && r.indicatorCode === 'workers')!.status).toBe('approved');
    expect(still.length).toBeLessThan(20);
    // The sheet shows the new statuses.
    await expect.poll(async () => (await (await cellOf(page, 'P38-H02', 'workers|2015').show()).getAttribute('class')) ?? '').toMatch(/st-approved/);
    await page.close();
  });

  it('proposes a correction to an approved cell, a reviewer approves it; a discrepancy is waived with a reason', async () => {
    const reporter = await openSheet(browser, s.url, 'reporter.backan', 'reporter-demo-2026');
    await reporter.getByLabel(/Chỉ tiêu/).check();
    const before = await s.gql(`{ figure(unionCode: "P06", indicatorCode: "members", year: 2016, scenario: TARGET) { value status version } }`);
    await (await cellOf(reporter, 'P06', 'members|2016').show()).click();
    await reporter.getByLabel('Ghi chú hoặc lý do').fill('Tỉnh điều chỉnh chỉ tiêu');
    await reporter.getByRole('textbox', { name: 'Đề xuất sửa' }).fill(vi(before.data!.figure.value + 500));
    await reporter.getByRole('button', { name: 'Đề xuất sửa' }).click();
    await expect.poll(() => reporter.locator('.cell-panel .value').textContent()).toContain(`Đề xuất sửa: ${vi(before.data!.figure.value + 500)}`);
    const proposed = await s.gql(`{ figure(unionCode: "P06", indicatorCode: "members", year: 2016, scenario: TARGET) { value status proposedValue } }`);
    expect(proposed.data!.figure).toEqual({ value: before.data!.figure.value, status: 'APPROVED', proposedValue: before.data!.figure.value + 500 });

    const reviewer = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026');
    await reviewer.getByLabel(/Chỉ tiêu/).check();
    await (await cellOf(reviewer, 'P06', 'members|2016').show()).click();
    await reviewer.locator('.cell-panel').getByRole('button', { name: 'Duyệt', exact: true }).click();
    await expect.poll(async () => (await s.gql(`{ figure(unionCode: "P06", indicatorCode: "members", year: 2016, scenario: TARGET) { value proposedValue } }`)).data!.figure).toEqual({
      value: before.data!.figure.value + 500,
      proposedValue: null,
    });
    await reporter.close();

    // Admin waives the planted Hà Nội discrepancy (officials trained 2015) with a reason.
    const admin = await openSheet(browser, s.url, 'admin', 'admin-demo-2026');
    await (await cellOf(admin, 'P01', 'officials.trained|2015').show()).click();
    await expect.poll(() => admin.locator('.cell-panel .discrepancy').count()).toBeGreaterThan(0);
    await admin.getByLabel('Ghi chú hoặc lý do').fill('Số liệu đào tạo của quận đã được xác minh');
    await admin.locator('.cell-panel .discrepancy').first().getByRole('button', { name: 'Bỏ qua sai lệch' }).click();
    await expect.poll(async () => (await s.sql<{ state: string; reason: string }>(
      `select d.state, d.decision_reason as reason from discrepancy d join trade_union u on u.id = d.union_id where u.code = 'P01' and d.indicator_code = 'officials.trained' and d.year = 2015`,
    ))[0]).toEqual({ state: 'waived', reason: 'Số liệu đào tạo của quận đã được xác minh' });
    // The marker goes with it.
    await expect.poll(async () => (await (await cellOf(admin, 'P01', 'officials.trained|2015').show()).getAttribute('class')) ?? '').not.toMatch(/has-discrepancy/);
    await admin.close();
    await reviewer.close();
  });

  it('shows progress per unit and year, and opens the sheet at a unit and year from it', async () => {
    const page = await openSheet(browser, s.url, 'admin', 'admin-demo-2026');
    await page.getByRole('button', { name: 'Tiến độ duyệt' }).click();
    const cell = page.locator('tr[data-union="P06"] td[data-year="2015"]');
    await cell.waitFor();
    const counts = await s.sql<{ status: string; n: number }>(
      `select f.status, count(*) as n from figure f join trade_union u on u.id = f.union_id where u.path like '/TLD/P06/%' and f.year = 2015 and f.scenario = 'actual' group by f.status`,
    );
    const n = (st: string) => vi(Number(counts.find((r) => r.status === st)?.n ?? 0));
    expect(await cell.locator('.n-approved').textContent()).toBe(n('approved'));
    expect(await cell.locator('.n-submitted').textContent()).toBe(n('submitted'));
    expect(await cell.locator('.n-draft').textContent()).toBe(n('draft'));
    // The planted members imbalance of 2015 shows as open under Thanh Hóa (P38): there, in P38-H02, in TLĐ.
    expect(await page.locator('tr[data-union="P38"] td[data-year="2015"] .open-discrepancies').textContent()).toBe('2');
    expect(await page.locator('tr[data-union="P02"] td[data-year="2015"] .open-discrepancies').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/progress.png`, fullPage: false });
    // Drill into a province, then open the sheet there in 2019 (outside the default 2013–2017 range).
    await page.locator('tr[data-union="P06"] th button').click();
    await page.getByLabel('Từ năm').selectOption('2018');
    await page.getByLabel('Đến năm').selectOption('2023');
    await page.locator('tr[data-union="P06-H02"] td[data-year="2019"] button').click();
    const district = (await s.gql(`{ union(code: "P06-H02") { name } }`)).data!.union.name;
    await expect.poll(() => page.locator('.cell-panel h3').textContent()).toBe(district);
    expect(await page.locator('.cell-panel').textContent()).toContain('2019');
    expect(await page.locator('.ag-header-cell[col-id$="|2019"]').count()).toBeGreaterThan(0);
    expect(await page.locator('.ag-header-cell[col-id$="|2014"]').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/sheet-opened-from-progress.png` });
    await page.close();
  });
});
