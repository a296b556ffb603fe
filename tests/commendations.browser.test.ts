/**
 * The "Khen thưởng" tab in Chromium against the real server and the built client: Bắc Kạn's reporter
 * proposes a person with real keys (the union picked by typing), the admin approves it, and it is
 * listed as approved — on the page after a reload and in the downloaded XLSX.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { COMMENDATION_ANNEX, commendationStatusLabel } from '@unionhub/schema';
import { SCREENSHOTS, setUpBrowserSuite } from './browser.js';

const suite = setUpBrowserSuite();
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}/commendations-${name}.png`, fullPage: true });
const NAME = 'Triệu Thị Lan';

async function openTab(page: Page): Promise<void> {
  await page.locator('button[data-view="commendations"]').click();
  await page.getByTestId('commend-table').waitFor();
}
const rowOf = (page: Page) => page.getByTestId('commend-table').locator('tbody tr', { hasText: NAME });

describe('the Khen thưởng tab', () => {
  it('a reporter proposes an individual; the admin approves; it is listed as approved and in the XLSX', async () => {
    const reporter = await suite.session('reporter');
    await openTab(reporter);
    // The seeded proposals of Bắc Kạn that the reporter reads: one approved, one waiting.
    await expect.poll(() => reporter.getByTestId('commend-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    const form = reporter.getByTestId('propose-form');
    await form.locator('select[name="kind"]').selectOption('INDIVIDUAL');
    const picker = form.getByRole('combobox', { name: 'Chọn đơn vị được đề nghị' });
    await picker.click();
    await reporter.keyboard.type('P06-H02');
    await form.locator('.union-picker-list [role="option"]').first().waitFor();
    await reporter.keyboard.press('ArrowDown');
    await reporter.keyboard.press('Enter');
    await form.getByTestId('propose-union').waitFor();
    await form.locator('input[name="personName"]').click();
    await reporter.keyboard.type(NAME);
    await reporter.keyboard.press('Tab');
    await reporter.keyboard.type('Chủ tịch công đoàn cơ sở');
    await form.locator('textarea[name="achievement"]').click();
    await reporter.keyboard.type('Vận động thành lập 4 công đoàn cơ sở trong doanh nghiệp ngoài nhà nước');
    await form.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await reporter.getByTestId('commend-outcome').waitFor();
    await expect.poll(() => rowOf(reporter).textContent()).toContain(commendationStatusLabel('PROPOSED'));
    // A reporter is offered no decision on it.
    expect(await rowOf(reporter).getByRole('button', { name: 'Duyệt', exact: true }).count()).toBe(0);
    await shot(reporter, 'proposed');

    const admin = await suite.session('admin');
    await openTab(admin);
    await rowOf(admin).getByRole('button', { name: 'Duyệt', exact: true }).click();
    await expect.poll(() => rowOf(admin).textContent()).toContain(commendationStatusLabel('APPROVED'));
    await shot(admin, 'approved');
    await admin.reload();
    await openTab(admin);
    await expect.poll(() => rowOf(admin).textContent()).toContain(`${commendationStatusLabel('APPROVED')}`);
    expect(await rowOf(admin).textContent()).toContain('admin');
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('commend-xlsx').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as never);
    const names = wb.getWorksheet(COMMENDATION_ANNEX.sheet)!.getColumn(4).values;
    expect(names).toContain(NAME);
    await shot(admin, 'listed');
  }, 120_000);
});
