/**
 * The "Kế hoạch 2018–2023" tab in a real browser against the real server and the built client: the
 * admin previews an allocation of 10.000.000 members typed with real keys, sees the preview's sum
 * below TLĐ equal the goal, applies it, and the gap view shows the allocated targets — nationally and
 * drilled into Bắc Kạn — with the flags where the API says, sortable. Numbers come from the API.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatViNumber } from '@unionhub/schema/numbers';
import { SCREENSHOTS, setUpBrowserSuite } from './browser.js';

const suite = setUpBrowserSuite();
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}/plan-${name}.png`, fullPage: true });
type Gap = { union: { code: string }; allocated: number | null; flags: { code: string; textVi: string }[] };
const gapOf = async (root: string) => (await suite.s.gql(`{ planGap(root: "${root}", year: 2023) { union { code } allocated flags { code textVi } } }`)).data!.planGap as Gap[];

beforeAll(async () => {
  // The plan reads approved actuals (the seed's arrive submitted), and the gap view stored forecasts.
  await suite.s.sql(`update figure set status = 'approved' where scenario = 'actual' and indicator_id = (select id from indicator where code = 'members')`);
  expect((await suite.s.gql('mutation { runForecasts(root: "TLD") { forecasts } }')).errors).toBeUndefined();
}, 120_000);

/** The text of a table row's cell (0: the union's name). */
const cellText = (page: Page, section: string, union: string, col: number) =>
  page.locator(`${section} tr[data-union="${union}"]`).locator('th, td').nth(col).innerText();

describe('the plan tab', () => {
  it('previews 10.000.000 members typed with real keys, the sum equals the goal, applies it; the gap view shows the allocation for Bắc Kạn with its flags', async () => {
    const page = await suite.session('admin');
    await page.locator('[data-view="plan"]').click();
    await page.locator('[data-part="allocation"]').click();
    const goal = page.locator('input[name="goal"]');
    await goal.click();
    await page.keyboard.type('10.000.000');
    await page.keyboard.press('Enter');
    const sum = page.locator('.plan-sum');
    await sum.waitFor();
    expect(await sum.innerText()).toContain(`${formatViNumber(10_000_000)} — bằng mục tiêu`);
    // The level-1 rows' allocations, read off the screen, add up to the goal.
    const allocated = await page.locator('.plan-preview tbody tr:not(.plan-total) td:nth-of-type(3)').allTextContents();
    expect(allocated.length).toBeGreaterThan(60);
    expect(allocated.reduce((s, x) => s + Number(x.replace(/\./g, '')), 0)).toBe(10_000_000);
    await shot(page, 'preview');
    await page.locator('.plan-apply').click();
    await page.locator('.plan-applied').waitFor();
    await shot(page, 'applied');

    await page.locator('[data-part="gap"]').click();
    await page.locator('.plan-gap tr[data-union="P06"]').waitFor();
    const national = await gapOf('TLD');
    const p06 = national.find((g) => g.union.code === 'P06')!;
    expect(p06.allocated).toBeGreaterThan(0);
    expect(await cellText(page, '.plan-gap', 'P06', 3)).toBe(formatViNumber(p06.allocated!));
    expect(await cellText(page, '.plan-gap', 'TLD', 3)).toBe(formatViNumber(10_000_000));
    await shot(page, 'gap-national');

    // Sorted by the allocation: ascending, the smallest first.
    await page.locator('.plan-gap thead button', { hasText: 'Phân bổ' }).click();
    const smallest = [...national.slice(1)].sort((a, b) => a.allocated! - b.allocated!)[0]!;
    expect(await page.locator('.plan-gap tbody tr:not(.plan-total)').first().getAttribute('data-union')).toBe(smallest.union.code);

    // Into Bắc Kạn: its children's allocations and flags as the API gives them.
    await page.locator('.plan-gap tr[data-union="P06"] button.link').click();
    await page.locator('.plan-gap tr[data-union="P06-H01"]').waitFor();
    const backan = await gapOf('P06');
    for (const g of backan.slice(1)) {
      expect(await cellText(page, '.plan-gap', g.union.code, 3), g.union.code).toBe(formatViNumber(g.allocated!));
      const badges = await page.locator(`.plan-gap tr[data-union="${g.union.code}"] .plan-flag`).allTextContents();
      expect(badges, g.union.code).toEqual(g.flags.map((f) => f.textVi));
    }
    expect(backan.some((g) => g.flags.length > 0), 'some union of Bắc Kạn is flagged').toBe(true);
    await shot(page, 'gap-backan');

    // Bắc Kạn's forecasts: the method the backtest chose and why, as the API explains it.
    await page.locator('[data-part="forecasts"]').click();
    await page.locator('.plan-forecasts tr[data-union="P06"]').waitFor();
    const api = (await suite.s.gql('{ forecasts(root: "P06", indicator: "members") { union { code } explanationVi stale } }')).data!.forecasts as { union: { code: string }; explanationVi: string; stale: boolean }[];
    expect(await page.locator('.plan-forecasts tr[data-union="P06"]').innerText()).toContain(api[0]!.explanationVi);
    expect(api.every((f) => !f.stale)).toBe(true);
    await shot(page, 'forecasts-backan');
  });
});
