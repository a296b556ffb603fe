/**
 * A province's reviewer on the report page (issue 15, part III.1): the page opens at the province its
 * grant names (not TLĐ, which it cannot read), a district federation is picked by typing, and its own
 * edition is issued and listed. The province's approved written sections follow its figures; a returned one is named, not shown.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, setUpBrowserSuite } from './browser.js';

const suite = setUpBrowserSuite();
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}/report-level-${name}.png`, fullPage: true });

describe('the report page at any level', () => {
  it('a province\'s reviewer sees its province, picks a district federation and issues its edition', async () => {
    const [province] = await suite.s.sql<{ name: string }>("select name from trade_union where code = 'P06'");
    const [district] = await suite.s.sql<{ name: string }>("select name from trade_union where code = 'P06-H01'");
    const page = await suite.session('reviewer');
    await page.locator('button[data-view="report"]').click();
    await expect.poll(() => page.locator('.report-toolbar h2').textContent()).toContain(province!.name);
    await page.getByTestId('report-table-members').waitFor();
    // Its written sections follow the figures: the approved text shown, a returned one only named (issue 15).
    const texts = (await suite.s.gql('{ report(root: "P06") { texts { section version plainText } } }')).data!.report.texts as { section: string; version: number | null; plainText: string }[];
    const approved = texts.find((x) => x.section === 'organising')!;
    expect(approved.version).not.toBeNull();
    const lessons = (await suite.s.gql('{ unitSection(unionCode: "P06", section: "lessons") { status approvedVersion plainText } }')).data!.unitSection;
    expect(lessons).toMatchObject({ status: 'RETURNED', approvedVersion: null });
    const organising = page.getByTestId('report-texts').locator('article[data-section="organising"]');
    await expect.poll(() => organising.textContent(), { timeout: 20_000 }).toContain(approved.plainText.split('\n')[0]!.slice(0, 60));
    const returned = page.getByTestId('report-texts').locator('article[data-section="lessons"]');
    expect(await returned.locator('.muted').count()).toBe(1);
    expect(await page.getByTestId('report-texts').textContent()).not.toContain(lessons.plainText.split('\n')[0]!.slice(0, 60));
    await returned.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/report-level-province-texts.png` });
    await page.getByTestId('report-root').getByRole('combobox').click();
    await page.keyboard.type('P06-H01');
    await page.locator('.report-toolbar [role="option"]').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.report-toolbar h2').textContent()).toContain(district!.name);
    // Its own figures are the one row of the unit tables.
    const rows = page.getByTestId('report-table-members').locator('tbody tr.row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator('th').textContent()).toBe(district!.name);
    await page.getByTestId('generate-report').click();
    await page.getByTestId('report-changes').waitFor();
    await expect.poll(() => page.locator('.report-editions li').count()).toBe(1);
    const editions = await suite.s.gql('{ reportEditions(root: "P06-H01") { number actor } }');
    expect(editions.data!.reportEditions).toEqual([{ number: 1, actor: 'reviewer.backan' }]);
    await shot(page, 'district');
  }, 120_000);
});
