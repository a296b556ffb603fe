/**
 * The discrepancy panel in a real browser: a reviewer opening a province cell sees each district's
 * discrepancy named by union, its rule and compared values in the page's language (vi-VN numbers),
 * and the reporter's explanation with its author; another user's explanation arrives live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';
import { cellOf, openSheet, SCREENSHOTS } from './browser.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()));
afterAll(() => closeBrowserSuite(s, browser));

const vi = (n: number) => new Intl.NumberFormat('vi-VN').format(n);

/** Write one actual of 2015 as the reporter of Bắc Kạn, at its current version. */
async function write(unionCode: string, indicatorCode: string, value: number) {
  const cur = (await s.gql(`{ figure(unionCode: "${unionCode}", indicatorCode: "${indicatorCode}", year: 2015, scenario: ACTUAL) { version } }`, {}, { as: 'reporter' })).data!.figure;
  const r = await s.gql(
    `mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }`,
    { c: [{ unionCode, indicatorCode, year: 2015, scenario: 'ACTUAL', value, expectedVersion: cur?.version ?? 0 }] },
    { as: 'reporter' },
  );
  expect(r.errors).toBeUndefined();
}

async function discrepancyOf(unionCode: string, ruleId: string) {
  const rows = await s.sql<{ id: number; left: number; right: number; difference: number; state: string }>(
    `select d.id, d.left_value as "left", d.right_value as "right", d.difference, d.state from discrepancy d join trade_union u on u.id = d.union_id
     where u.code = ? and d.rule_id = ? and d.year = 2015 and d.scenario = 'actual' and d.state in ('open', 'explained')`,
    [unionCode, ruleId],
  );
  expect(rows).toHaveLength(1);
  return { ...rows[0]!, id: Number(rows[0]!.id), left: Number(rows[0]!.left), right: Number(rows[0]!.right), difference: Number(rows[0]!.difference) };
}

describe('discrepancy panel', () => {
  it("names each district, shows the rule and values in the page's language, and the reporter's explanation with its author", async () => {
    // A district reports 1.234 more members lost in 2015 than before: its members no longer balance.
    const before = (await s.gql(`{ figure(unionCode: "P06-H01", indicatorCode: "members.left", year: 2015, scenario: ACTUAL) { value } }`)).data!.figure.value as number;
    await write('P06-H01', 'members.left', before + 1234);
    const d = await discrepancyOf('P06-H01', 'balance.members');
    expect(Math.abs(d.difference)).toBe(1234);
    const explanation = 'Chuyển 1.234 đoàn viên sang đơn vị khác trong năm';
    expect((await s.gql(`mutation ($id: Int!, $t: String!) { explainDiscrepancy(id: $id, text: $t) { state } }`, { id: d.id, t: explanation }, { as: 'reporter' })).errors).toBeUndefined();
    const district = (await s.gql(`{ union(code: "P06-H01") { name } }`)).data!.union.name as string;

    const page = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026');
    await (await cellOf(page, 'P06', 'members|2015').show()).click();
    const item = page.locator('.cell-panel .discrepancy').filter({ has: page.locator('.union', { hasText: district }) });
    await item.waitFor();
    const text = (await item.textContent())!;
    expect(text).toContain('Đoàn viên cuối năm = đầu năm + kết nạp − giảm');
    expect(text).toContain(vi(d.left));
    expect(text).toContain(vi(d.right));
    expect(text).toContain(vi(d.difference));
    expect(text).not.toContain('last year + flows');
    expect(await item.locator('.explanation').textContent()).toContain(explanation);
    expect(await item.locator('.explanation').textContent()).toContain('reporter.backan');
    await page.screenshot({ path: `${SCREENSHOTS}/panel-vi.png` });

    await page.getByRole('button', { name: 'English' }).click();
    const itemEn = page.locator('.cell-panel .discrepancy').filter({ has: page.locator('.union', { hasText: district }) });
    await expect.poll(() => itemEn.textContent()).toContain('Members at year end = last year + admitted − lost');
    const textEn = (await itemEn.textContent())!;
    // Numbers stay as the sheet writes them (vi-VN), whatever the language of the words.
    expect(textEn).toContain(vi(d.left));
    expect(textEn).toContain('Explained by reporter.backan');
    await page.screenshot({ path: `${SCREENSHOTS}/panel-en.png` });
    await page.close();
  });

  it("shows another user's explanation in an open panel without a reload", async () => {
    const before = (await s.gql(`{ figure(unionCode: "P06-H02", indicatorCode: "members.admitted", year: 2015, scenario: ACTUAL) { value } }`)).data!.figure.value as number;
    await write('P06-H02', 'members.admitted', before + 321);
    const d = await discrepancyOf('P06-H02', 'balance.members');
    const district = (await s.gql(`{ union(code: "P06-H02") { name } }`)).data!.union.name as string;
    const page = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026');
    await (await cellOf(page, 'P06', 'members|2015').show()).click();
    const item = page.locator('.cell-panel .discrepancy').filter({ has: page.locator('.union', { hasText: district }) });
    await item.waitFor();
    expect(await item.locator('.explanation').count()).toBe(0);
    const explanation = 'Kết nạp bổ sung đợt cuối năm';
    expect((await s.gql(`mutation ($id: Int!, $t: String!) { explainDiscrepancy(id: $id, text: $t) { state } }`, { id: d.id, t: explanation }, { as: 'reporter' })).errors).toBeUndefined();
    await expect.poll(() => item.locator('.explanation').count()).toBe(1);
    expect(await item.locator('.explanation').textContent()).toContain(explanation);
    await page.close();
  });

  it('shows a second user a discrepancy and a pending correction live, and takes the marker away once it is resolved', async () => {
    const unit = 'P06-H03';
    const page = await openSheet(browser, s.url, 'reviewer.backan', 'reviewer-demo-2026', unit);
    const classOf = async (col: string) => (await cellOf(page, unit, col).show()).getAttribute('class');
    const before = (await s.gql(`{ figure(unionCode: "${unit}", indicatorCode: "members.left", year: 2015, scenario: ACTUAL) { value } }`)).data!.figure.value as number;
    await write(unit, 'members.left', before + 500);
    const [d] = await s.sql<{ indicator: string }>(`select d.indicator_code as indicator from discrepancy d join trade_union u on u.id = d.union_id where u.code = ? and d.rule_id = 'balance.members' and d.year = 2015 and d.state = 'open'`, [unit]);
    await expect.poll(() => classOf(`${d!.indicator}|2015`)).toContain('has-discrepancy');
    await write(unit, 'members.left', before);
    await expect.poll(() => classOf(`${d!.indicator}|2015`)).not.toContain('has-discrepancy');

    // A correction proposed to an approved cell: the dot appears without a reload.
    const cell = { unionCode: unit, indicatorCode: 'members.admitted', year: 2016, scenario: 'ACTUAL' };
    expect((await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: [cell] }, { as: 'reviewer' })).data?.approveFigures.movedCount).toBe(1);
    expect(await classOf('members.admitted|2016')).not.toContain('has-proposal');
    const { version } = (await s.gql(`{ figure(unionCode: "${unit}", indicatorCode: "members.admitted", year: 2016, scenario: ACTUAL) { version } }`)).data!.figure;
    const proposed = await s.gql('mutation ($c: CellKey!, $v: Int!) { proposeFigure(cell: $c, value: 777, expectedVersion: $v, reason: "Sót một đợt kết nạp") { version } }', { c: cell, v: version }, { as: 'reporter' });
    expect(proposed.errors).toBeUndefined();
    await expect.poll(() => classOf('members.admitted|2016')).toContain('has-proposal');
    await page.screenshot({ path: `${SCREENSHOTS}/panel-live-proposal.png` });
    await page.close();
  });
});
