/**
 * The "Đợt báo cáo" tab in a real browser against the real server (its clock standing after the
 * 2017 round's deadline) and the built client: the status bars against the API's completeness,
 * sorting, filtering and drilling in, the chase list and its downloads against the API's chase list,
 * a reporter submitting (blockers first, fixed in the sheet, then accepted), a reviewer returning and
 * extending, and a viewer shown no chase list. Numbers are compared with the API, never written here.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { print } from 'graphql';
import type { Page } from 'playwright-core';
import { submissionStatusLabel } from '@unionhub/schema';
import { renderMessage } from '@unionhub/schema/messages';
import { formatViNumber } from '@unionhub/schema/numbers';
import type { As } from './harness.js';
import { SCREENSHOTS, setUpBrowserSuite } from './browser.js';
import { GrantExtensionMutation, RoundChaseListQuery, RoundOverviewQuery, RoundUnitQuery } from '../schema/src/documents/index.js';

/** Five days after the deadline of 10/12/2017 (Asia/Ho_Chi_Minh). */
const NOW = new Date('2017-12-15T09:00:00+07:00');
const suite = setUpBrowserSuite({ now: () => NOW });
let roundId: string;
/** The value of Bắc Kạn's blanked cell, as its reporter will type it again. */
let blanked: number;

const ask = (d: Parameters<typeof print>[0], vars: Record<string, unknown>, as: As = 'admin') => suite.s.gql(print(d), vars, { as });
const gql = async (d: Parameters<typeof print>[0], vars: Record<string, unknown>, as: As = 'admin') => {
  const r = await ask(d, vars, as);
  expect(r.errors).toBeUndefined();
  return r.data!.reportingRound;
};
const overview = (root: string, as: As = 'admin') => gql(RoundOverviewQuery, { id: roundId, root, depth: 1 }, as);
const unitOf = async (code: string, as: As = 'admin') => (await gql(RoundUnitQuery, { id: roundId, unionCode: code }, as)).unit;

/** A fresh session at a laptop's size, signed in at the tab's address (the page opens the tab, not the sheet). */
const signInToRounds = (as: Exclude<As, 'anonymous'>, hash = '#/rounds') => suite.session(as, hash);

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}/rounds-${name}.png` });
const rowsOf = (page: Page) => page.getByTestId('round-table').locator('tbody tr');

beforeAll(async () => {
  const rounds = await suite.s.gql('{ reportingRounds { id name } }');
  roundId = rounds.data!.reportingRounds[0].id;
  // One blank expected cell of Bắc Kạn (missing in the seed): its reporter's submission is blocked by it.
  const cell = "union_id = (select id from trade_union where code = 'P06') and year = 2017 and scenario = 'actual' and indicator_id = (select id from indicator where code = 'members')";
  blanked = Number((await suite.s.sql<{ value: number }>(`select value from figure where ${cell}`))[0]!.value);
  await suite.s.sql(`delete from figure where ${cell}`);
});

describe('the Đợt báo cáo tab', () => {
  it('shows the API\'s figures as bars, sorts, filters and drills in, and downloads the chase list as the API lists it; a viewer sees the bars but no chase list', async () => {
    const api = await overview('TLD');
    // The viewer's session loads alongside (nothing changes the round meanwhile).
    const [page, viewer] = await Promise.all([signInToRounds('admin'), signInToRounds('viewer')]);
    const headline = page.getByTestId('round-headline');
    await headline.waitFor();
    const c = api.completeness;
    expect(await page.getByTestId('round-expected').getAttribute('data-count')).toBe(String(c.expected));
    const bars = [['ON_TIME', c.onTime], ['LATE', c.late], ['MISSING', c.missing], ['RETURNED', c.returned]] as const;
    for (const [status, n] of bars) {
      const bar = page.getByTestId(`bar-${status}`);
      expect(await bar.locator('.status-bar-count strong').textContent()).toBe(formatViNumber(n));
      expect(await bar.locator('.status-bar-label').textContent()).toBe(submissionStatusLabel(status, 'vi'));
    }
    await expect.poll(() => rowsOf(page).count()).toBe(api.submissions.length);
    // The chase list comes with the figures: the page asks each thing once.
    const chase = (await gql(RoundChaseListQuery, { id: roundId, root: 'TLD' })).chaseList as { union: { code: string }; reporters: { email: string | null }[] }[];
    const list = page.getByTestId('chase-list');
    await expect.poll(() => list.locator('tbody tr').count()).toBe(chase.length);
    const sent = suite.requests(page);
    expect(['ReportingRounds', 'SheetSetup', 'RoundOverview', 'RoundChaseList'].map((op) => sent.count(op))).toEqual([1, 1, 1, 0]);
    await shot(page, 'overview');

    // Sorting by days late (the longest first, then turned round); filtering to the missing.
    const daysLate = api.submissions.map((x: { daysLate: number | null }) => x.daysLate ?? 0).filter((n: number) => n > 0).sort((a: number, b: number) => b - a);
    const shownDays = async () => (await rowsOf(page).locator('td:nth-child(4)').allTextContents()).filter((x) => x !== '—').map((x) => Number(x.replace(/\./g, '')));
    await page.getByRole('button', { name: 'Số ngày muộn' }).click();
    await expect.poll(shownDays).toEqual(daysLate);
    await page.getByRole('button', { name: 'Số ngày muộn' }).click();
    await expect.poll(shownDays).toEqual([...daysLate].reverse());
    await page.locator('.status-filter input[value="MISSING"]').click();
    const missing = api.submissions.filter((x: { status: string }) => x.status === 'MISSING').map((x: { union: { code: string } }) => x.union.code);
    await expect.poll(() => rowsOf(page).count()).toBe(missing.length);
    expect((await rowsOf(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-union')))).sort()).toEqual([...missing].sort());

    // The chase list's downloads (a ticket, then the file) with the API's rows.
    const fileRows = chase.flatMap((e) => (e.reporters.length ? e.reporters : [{ email: null }]).map((r) => `${e.union.code}|${r.email ?? ''}`));
    const [csv] = await Promise.all([page.waitForEvent('download'), list.locator('a[data-format="csv"]').click()]);
    const lines = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
    expect(lines.map((l) => `${l.split(',')[0]}|${l.split(',').at(-1)}`)).toEqual(fileRows);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), list.locator('a[data-format="xlsx"]').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await xlsx.path())!) as never);
    const sheetRows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((r) => sheetRows.push((r.values as unknown[]).slice(1)));
    const table = sheetRows.slice(sheetRows.findIndex((r) => r[0] === 'Mã đơn vị') + 1);
    expect(table.map((r) => `${r[0]}|${r[8] ?? ''}`)).toEqual(fileRows);

    // The page in English: its words follow, and nothing is asked again for it.
    await page.locator('.status-filter input[value="MISSING"]').click();
    const beforeSwitch = sent.mark();
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('bar-LATE').locator('.status-bar-label').textContent()).toBe(submissionStatusLabel('LATE', 'en'));
    // Drilling into Hà Nội: its own part of the round (its children), its figures as the API's, in one request.
    const p01 = await overview('P01');
    await page.locator('button[data-drill="P01"]').click();
    await expect.poll(() => page.getByTestId('round-expected').getAttribute('data-count')).toBe(String(p01.completeness.expected));
    await expect.poll(() => rowsOf(page).count()).toBe(p01.submissions.length);
    expect(await page.getByTestId(`bar-RETURNED`).locator('.status-bar-count strong').textContent()).toBe(formatViNumber(p01.completeness.returned));
    await expect.poll(() => list.locator('tbody tr').count()).toBe((await gql(RoundChaseListQuery, { id: roundId, root: 'P01' })).chaseList.length);
    // (A request sent for the switch went before the drill's, so it is in this list.)
    expect(sent.since(beforeSwitch)).toEqual(['RoundOverview']);
    await shot(page, 'drilled');
    await page.context().close();

    await expect.poll(() => viewer.getByTestId('round-expected').getAttribute('data-count')).toBe(String(c.expected));
    expect(await viewer.getByTestId('bar-MISSING').locator('.status-bar-count strong').textContent()).toBe(formatViNumber(c.missing));
    await expect.poll(() => rowsOf(viewer).count()).toBe(api.submissions.length);
    expect(await viewer.getByTestId('chase-list').count()).toBe(0);
    expect(await viewer.getByText('Danh sách cần đôn đốc').count()).toBe(0);
    await shot(viewer, 'viewer');
    // A viewer's union page: where it stands, its trail, no blockers (unapproved detail) and no buttons.
    const extended = api.submissions.find((x: { extension: unknown }) => x.extension !== null);
    await viewer.getByTestId('round-table').locator(`tr[data-union="${extended.union.code}"] a`).click();
    await expect.poll(() => viewer.getByTestId('unit-status').getAttribute('data-status')).toBe(extended.status);
    // The extension's day as the department writes it (dd/mm/yyyy in Asia/Ho_Chi_Minh).
    const extendedTo = new Date(Date.parse(extended.extension.deadline) + 7 * 3_600_000).toISOString().slice(0, 10).split('-').reverse().join('/');
    expect(await viewer.getByTestId('unit-deadline').textContent()).toContain(extendedTo);
    expect(await viewer.getByTestId('unit-blockers').count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /Gửi báo cáo|Trả lại báo cáo|Gia hạn/ }).count()).toBe(0);
    await viewer.getByText(/Bạn không có thao tác nào/).waitFor();
    await viewer.context().close();
  });

  it('a reporter sees what blocks the report, is refused with the list, fixes the cell in the sheet and submits', async () => {
    const before = await unitOf('P06');
    expect(before.blockers.length).toBeGreaterThan(0);
    // The link a reminder carries opens the union's page.
    const page = await signInToRounds('reporter', `#/rounds/${roundId}/P06`);
    const blockers = page.getByTestId('unit-blockers');
    await expect.poll(() => blockers.getAttribute('data-count')).toBe(String(before.blockers.length));
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await expect.poll(() => page.getByTestId('unit-refusal').textContent()).toMatch(new RegExp(`còn thiếu ${before.blockers.length} mục`));
    expect(await blockers.locator('li').count()).toBe(before.blockers.length);
    expect((await unitOf('P06')).history.length).toBe(before.history.length); // nothing recorded
    await shot(page, 'blocked');
    // The blocker names its indicator as the catalogue labels it, in the page's language (read once: labels in both).
    const first = before.blockers[0];
    const labels = (await suite.s.gql('query ($code: String!) { indicator(code: $code) { vi: label(lang: "vi") en: label(lang: "en") } }', { code: first.indicatorCode })).data!.indicator;
    const item = blockers.locator(`li[data-cell="${first.indicatorCode}|${first.year}|${first.scenario}"]`);
    expect(await item.textContent()).toContain(`${labels.vi}, ${first.year}`);
    const sent = suite.requests(page);
    const beforeSwitch = sent.mark();
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => item.textContent()).toContain(`${labels.en}, ${first.year}`);
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => item.textContent()).toContain(`${labels.vi}, ${first.year}`);

    // The blocker opens the sheet at its cell; the reporter types the value there.
    await blockers.locator(`li[data-cell="${first.indicatorCode}|${first.year}|${first.scenario}"] button`).click();
    const cell = page.locator(`.ag-row[row-id="P06"] [col-id="${first.indicatorCode}|${first.year}"]`).first();
    await expect.poll(() => cell.evaluate((el) => el.classList.contains('ag-cell-focus'))).toBe(true);
    await shot(page, 'sheet-at-blocker');
    // The keys go to the grid's focused cell once the page's focus is there (the rounds tab's button is gone).
    await expect.poll(() => cell.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.type(formatViNumber(blanked));
    await expect.poll(() => page.locator('.ag-cell-inline-editing').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await unitOf('P06')).blockers.length).toBe(before.blockers.length - 1);

    // Back on the tab, the page is the union's again; nothing blocks it now; submitting is accepted (late: after the deadline).
    await page.locator('button[data-view="rounds"]').click();
    await expect.poll(() => blockers.getAttribute('data-count')).toBe('0');
    // The switches asked nothing; the sheet and the page (mounted again) each read their setup and figures once.
    expect(sent.count('SheetSetup', beforeSwitch)).toBe(2);
    const beforeSubmit = sent.mark();
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await expect.poll(() => page.getByTestId('unit-outcome').textContent()).toMatch(/Đã gửi báo cáo/);
    const after = await unitOf('P06');
    expect(after.status).toBe('LATE');
    // The submission's answer is the page's new state: status and trail as the API has them, nothing asked again.
    await expect.poll(() => page.getByTestId('unit-status').getAttribute('data-status')).toBe(after.status);
    expect(await page.getByTestId('unit-history').locator('li').evaluateAll((li) => li.map((x) => x.getAttribute('data-kind')))).toEqual(after.history.map((h: { kind: string }) => h.kind));
    expect(sent.since(beforeSubmit)).toEqual(['SubmitUnitReport']);
    await shot(page, 'submitted');
    await page.context().close();
  });

  it('a reviewer returns a report with a reason and extends a deadline', async () => {
    const api = await overview('P06', 'reviewer');
    const onTime = api.submissions.filter((x: { status: string }) => x.status === 'ON_TIME').map((x: { union: { code: string } }) => x.union.code) as string[];
    let sent: { union: { code: string } } | undefined;
    for (const code of onTime) if (!sent && (await unitOf(code, 'reviewer')).canReturn) sent = await unitOf(code, 'reviewer');
    const page = await signInToRounds('reviewer');
    await page.getByTestId('round-headline').waitFor();
    expect(await page.getByTestId('chase-list').count()).toBe(1);
    await page.getByTestId('round-table').locator(`tr[data-union="${sent!.union.code}"] a`).click();
    await page.getByLabel('Lý do trả lại').click();
    await page.keyboard.type('Thiếu số liệu năm 2017');
    const requests = suite.requests(page);
    const beforeReturn = requests.mark();
    await page.getByRole('button', { name: 'Trả lại báo cáo' }).click();
    await expect.poll(() => page.getByTestId('unit-outcome').textContent()).toMatch(/Đã trả lại/);
    await expect.poll(() => page.getByTestId('unit-status').getAttribute('data-status')).toBe('RETURNED');
    expect((await unitOf(sent!.union.code)).history.at(-1)).toMatchObject({ kind: 'RETURNED', reason: 'Thiếu số liệu năm 2017', by: 'reviewer.backan' });
    expect(await page.getByTestId('unit-history').locator('li').last().locator('.reason').textContent()).toBe(' — Thiếu số liệu năm 2017');
    expect(requests.since(beforeReturn)).toEqual(['ReturnUnitReport']);

    // A date before the deadline is refused by the server, worded in the page's language; a later one is granted.
    await page.getByLabel(/Hạn mới/).click();
    await page.keyboard.type('5/12/2017');
    await page.getByLabel('Lý do gia hạn').click();
    await page.keyboard.type('Hội nghị sơ kết lùi lịch');
    await page.getByRole('button', { name: 'Gia hạn' }).click();
    // The API's own refusal of the same date (nothing is recorded by either), in the page's words.
    const refusal = (await ask(GrantExtensionMutation, { roundId, unionCode: sent!.union.code, deadline: '2017-12-05', reason: 'Hội nghị sơ kết lùi lịch' }, 'reviewer')).errors![0]!;
    expect(refusal.extensions.code).toBe('VALIDATION');
    // A refusal without a message key is said as its code's template with the server's detail.
    expect(refusal.extensions.key).toBeUndefined();
    await expect.poll(() => page.getByTestId('unit-refusal').textContent()).toBe(`${renderMessage(refusal.extensions.code, {}, 'vi')} (${refusal.message})`);
    expect((await unitOf(sent!.union.code)).extension).toBeNull();
    await page.getByLabel(/Hạn mới/).fill('');
    await page.getByLabel(/Hạn mới/).click();
    await page.keyboard.type('20/12/2017');
    await page.getByRole('button', { name: 'Gia hạn' }).click();
    await expect.poll(() => page.getByTestId('unit-outcome').textContent()).toMatch(/Đã gia hạn/);
    expect((await unitOf(sent!.union.code)).extension).toMatchObject({ deadline: '2017-12-20T16:59:59.999Z', reason: 'Hội nghị sơ kết lùi lịch' });
    await expect.poll(() => page.getByTestId('unit-deadline').textContent()).toMatch(/20\/12\/2017/);
    expect(requests.since(beforeReturn)).toEqual(['ReturnUnitReport', 'GrantExtension', 'GrantExtension']);
    // The forms the union's state offers now, once each (a returned report cannot be returned again).
    const now = await unitOf(sent!.union.code, 'reviewer');
    expect([await page.getByTestId('return-form').count(), await page.getByTestId('extend-form').count()]).toEqual([Number(now.canReturn), Number(now.canExtend)]);
    await shot(page, 'reviewer-unit');
    // The page in English: its words follow the switch, and what is being typed stays.
    await page.getByLabel('Lý do gia hạn').click();
    await page.keyboard.type('Chờ');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('unit-status').textContent()).toBe('Returned');
    expect(await page.getByRole('heading', { name: 'History' }).count()).toBe(1);
    expect(await page.getByLabel('Reason for the extension').inputValue()).toBe('Chờ');
    await shot(page, 'reviewer-unit-en');
    await page.context().close();
  });
});
