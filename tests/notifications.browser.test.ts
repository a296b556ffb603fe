/**
 * The header's notification bell in Debian's Chromium, one page load: the unread count appears live
 * when a reminder is delivered, the list opens with the keyboard and marks what it shows read, Escape
 * closes it, and a notification's link opens its hash route.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { SCREENSHOTS, signIn } from './browser.js';
import { closeBrowserSuite, startBrowserSuite, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { deliver, sendReminder } from '../server/src/domain/notifications.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => ({ s, browser } = await startBrowserSuite()), 120_000);
afterAll(() => closeBrowserSuite(s, browser));

describe('the notification bell', () => {
  it('counts live, opens with the keyboard, marks read, closes on Escape, follows a link', async () => {
    const [reporter] = await s.sql<{ id: number }>('select id from app_user where username = ?', ['reporter.backan']);
    const unread = async () => Number((await s.sql<{ n: number }>('select count(*) as n from notification where user_id = ? and read_at is null', [reporter!.id]))[0]!.n);
    const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
    await signIn(page, s.url, 'reporter.backan', 'reporter-demo-2026');
    const bell = page.getByRole('button', { name: /^Thông báo:/ });
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Thông báo: 0 chưa đọc');

    // Delivered while the page is open: the count appears without a reload.
    const db = knexOf(s.orm);
    const publish = async (r: Promise<{ events: any[] }>) => s.app.bus.publish((await r).events);
    await publish(sendReminder(db, {
      key: 'reminder:1:P06:D-1',
      recipients: [{ userId: reporter!.id, email: null }],
      step: 'D-1',
      params: { union: 'LĐLĐ tỉnh Bắc Kạn', round: 'Báo cáo 5 năm 2013–2017', deadline: new Date('2017-12-10T16:59:59.999Z') },
      link: '#/rounds/1/P06',
      now: new Date(),
    }));
    await publish(deliver(db, { key: 'note:P06:1', recipients: [{ userId: reporter!.id, email: null }], kind: 'note', title: 'Số liệu năm 2017 đã được duyệt', body: 'Ban Tổ chức đã duyệt số liệu 2017 của đơn vị.', now: new Date() }));
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Thông báo: 2 chưa đọc');
    expect(await page.locator('.bell-count').textContent()).toBe('2');
    await page.locator('header').screenshot({ path: join(SCREENSHOTS, 'notifications-bell-count.png') });

    // The keyboard opens it; the first notification takes the focus; what it shows is read.
    await bell.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name: 'Thông báo' });
    await panel.waitFor();
    expect(await panel.locator('.bell-title').allTextContents()).toEqual(['Số liệu năm 2017 đã được duyệt', 'Nhắc nộp báo cáo Báo cáo 5 năm 2013–2017: hạn ngày 10/12/2017']);
    await expect.poll(unread).toBe(0);
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Thông báo: 0 chưa đọc');
    await page.screenshot({ path: join(SCREENSHOTS, 'notifications-bell.png') });

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('bell-button'))).toBe(true);

    // Open again and follow the reminder's link with the keyboard: the hash is its route.
    await page.keyboard.press('Enter');
    await panel.waitFor();
    // The focus is on the first notification that opens something (the note above it has no link).
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Nhắc nộp báo cáo/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/rounds/1/P06');
    await panel.waitFor({ state: 'detached' });
  });
});
