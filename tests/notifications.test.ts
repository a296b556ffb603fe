/**
 * Issue 14's notifications and reminder mail, against a REAL SMTP server started here (smtp-server):
 * a delivery reaches its recipients in Vietnamese, once per key across a restart, survives the mail
 * server refusing or being down (due with back-off, visible to admins, sent once it is back), stays
 * in the app without SMTP_URL, reaches only its recipient's subscription live; the bell's count and
 * mark-read. On PostgreSQL, two instances on one database deliver and drain at once: each mail once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from './mailbox.js';
import { databaseKind, startInstance, startTestServer, type As, type TestInstance, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { deliver, recipientsOf, sendReminder, type Recipient } from '../server/src/domain/notifications.js';
import { drainOutbox } from '../server/src/domain/mail.js';
import { runExclusive } from '../server/src/domain/schedule.js';
import { createSender } from '../server/src/mail-transport.js';
import { NotificationsQuery, MarkNotificationsReadMutation, MailOutboxQuery } from '../schema/src/documents/index.js';
import { print } from 'graphql';

const FAST = { scheduleIntervalMs: 100 };
const mailSettings = (port: number | null) => ({ smtpUrl: port === null ? null : `smtp://127.0.0.1:${port}`, retryBaseMs: 200, retryMaxMs: 1_000 });

describe('notifications and reminder mail', () => {
  const mailbox = new Mailbox();
  let s: TestServer;
  /** The instance serving now (the test server, replaced by the restarts) and the others opened. */
  let current: TestInstance;
  const extra: TestInstance[] = [];
  const ids: Record<string, number> = {};
  const recipient = (username: string, email: string | null): Recipient => ({ userId: ids[username]!, email });
  const gql = (query: string, variables: Record<string, unknown>, as: As) => current.gql<any>(query, variables, { as });
  const outbox = (key: string) => s.sql<{ status: string; attempts: number; last_error: string | null; recipient: string }>('select status, attempts, last_error, recipient from mail_outbox where dedupe_key like ? order by id', [`${key}#%`]);
  const publish = async <T extends { events: any[] }>(r: Promise<T>): Promise<T> => {
    const result = await r;
    await current.app.bus.publish(result.events);
    return result;
  };
  /** A second instance (or a restart) on the test's database. */
  const anotherApp = async (smtpPort: number | null): Promise<TestInstance> => {
    const started = await startInstance(s, { ...FAST, mail: mailSettings(smtpPort) });
    extra.push(started);
    return started;
  };

  beforeAll(async () => {
    await mailbox.start();
    s = await startTestServer({ ...FAST, mail: mailSettings(mailbox.port) });
    current = s;
    for (const r of await s.sql<{ id: number; username: string }>('select id, username from app_user')) ids[r.username] = r.id;
  }, 120_000);
  afterAll(async () => {
    for (const e of extra) await e.close();
    await s?.close();
    await mailbox.stop();
  });

  const deadline = new Date('2017-12-10T16:59:59.999Z');
  const reminder = (key: string, recipients: Recipient[], step = 'before1') =>
    sendReminder(knexOf(s.orm), {
      key,
      recipients,
      step,
      params: { union: 'LĐLĐ tỉnh Bắc Kạn', round: 'Báo cáo 5 năm 2013–2017', deadline, daysLeft: 1, daysLate: 3 },
      link: '#/rounds/1/P06',
      now: new Date('2017-12-09T03:00:00Z'),
    });

  it('a reminder reaches exactly its recipients by mail, in Vietnamese, and each in the app', async () => {
    const r = await publish(reminder('reminder:1:P06:D-1', [recipient('reporter.backan', 'reporter@backan.example'), recipient('reviewer.backan', 'Reviewer@Backan.example'), recipient('admin', null)]));
    expect(r).toMatchObject({ delivered: true, notifications: 3, mails: 2 });
    await expect.poll(() => mailbox.received.length, { timeout: 15_000 }).toBe(2);
    for (const to of ['reporter@backan.example', 'reviewer@backan.example']) {
      const [m] = mailbox.received.filter((x) => x.to.map((a) => a.toLowerCase()).includes(to));
      expect(m!.subject).toBe('Nhắc nộp báo cáo Báo cáo 5 năm 2013–2017: hạn ngày 10/12/2017');
      expect(m!.text).toContain('Kính gửi LĐLĐ tỉnh Bắc Kạn');
      expect(m!.text).toContain('Ngày mai là hạn cuối.');
      expect(m!.text).toContain('Ban Tổ chức – Tổng Liên đoàn Lao động Việt Nam');
    }
    // The SMTP server has the mails before the drain records them sent: wait for the record.
    await expect.poll(async () => (await outbox('reminder:1:P06:D-1')).map((o) => o.status), { timeout: 15_000 }).toEqual(['sent', 'sent']);
    // The admin has no address: in the app only; the viewer was not a recipient.
    const counts = await s.sql<{ username: string; n: number }>('select u.username, count(*) as n from notification n join app_user u on u.id = n.user_id group by u.username order by u.username');
    expect(counts.map((c) => [c.username, Number(c.n)])).toEqual([['admin', 1], ['reporter.backan', 1], ['reviewer.backan', 1]]);
  });

  it('a union’s recipients are the users with an active reporter grant on that union itself', async () => {
    const found = await recipientsOf(knexOf(s.orm), ['P06', 'P07', 'TLD']);
    expect(found.get('P06')!.map((r) => [r.userId, r.name])).toEqual([[ids['reporter.backan'], 'Người báo cáo — LĐLĐ Bắc Kạn']]);
    expect(found.get('P07')).toEqual([]);
    // The admin's grant on TLĐ is not a reporter's.
    expect(found.get('TLD')).toEqual([]);
  });

  it('notificationAdded reaches the recipient live, and not another user', async () => {
    const query = 'subscription { notificationAdded { id kind title body link readAt } }';
    const reporter = await s.subscribe(query, 'reporter');
    const viewer = await s.subscribe(query, 'viewer');
    try {
      await publish(reminder('reminder:1:P06:after1', [recipient('reporter.backan', null)], 'after1'));
      await publish(deliver(knexOf(s.orm), { key: 'note:viewer:1', recipients: [recipient('viewer.taichinh', null)], kind: 'note', title: 'Cho người xem', body: 'Nội dung', now: new Date() }));
      const mine = (await reporter.next()).data.notificationAdded;
      expect(mine).toMatchObject({ kind: 'reminder', title: 'Quá hạn nộp báo cáo Báo cáo 5 năm 2013–2017 (3 ngày)', link: '#/rounds/1/P06', readAt: null });
      // The viewer's first event is its own, delivered after the reporter's: the reporter's never reached it.
      expect((await viewer.next()).data.notificationAdded).toMatchObject({ kind: 'note', title: 'Cho người xem' });
    } finally {
      reporter.close();
      viewer.close();
    }
  });

  it('unread count, the list, and mark read — one, someone else’s (nothing), then all', async () => {
    const list = async () => (await gql(print(NotificationsQuery), { limit: 50 }, 'reporter')).data;
    const before = await list();
    expect(before.unreadNotificationCount).toBe(2);
    expect(before.notifications.map((n: any) => n.kind)).toEqual(['reminder', 'reminder']);
    const mark = (ids: string[] | null) => gql(print(MarkNotificationsReadMutation), { ids }, 'reporter');
    expect((await mark([before.notifications[0].id])).data.markNotificationsRead).toBe(1);
    expect((await list()).unreadNotificationCount).toBe(1);
    // Another user's notification is never theirs to mark.
    const [adminsOwn] = await s.sql<{ id: number }>('select n.id from notification n join app_user u on u.id = n.user_id where u.username = ?', ['admin']);
    expect((await mark([String(adminsOwn!.id)])).data.markNotificationsRead).toBe(0);
    expect((await mark(['x1'])).errors?.[0]?.extensions.code).toBe('VALIDATION');
    expect((await mark(null)).data.markNotificationsRead).toBe(1);
    const after = await list();
    expect(after.unreadNotificationCount).toBe(0);
    expect(after.notifications.every((n: any) => n.readAt !== null)).toBe(true);
    expect((await gql(print(NotificationsQuery), { limit: 50, unreadOnly: true }, 'reporter')).data.notifications).toEqual([]);
  });

  it('the mail server refusing (5xx) or down: the mail stays due with attempts and the error, admins see it, it goes out once when back', async () => {
    mailbox.refuse = true;
    await publish(reminder('reminder:1:P07:D-1', [recipient('reporter.backan', 'late@p07.example')]));
    await expect.poll(async () => (await outbox('reminder:1:P07:D-1'))[0]?.attempts ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    let [row] = await outbox('reminder:1:P07:D-1');
    expect(row).toMatchObject({ status: 'due' });
    expect(row!.last_error).toMatch(/554/);
    const failing = await gql(print(MailOutboxQuery), { failing: true, limit: 10 }, 'admin');
    expect(failing.data.mailOutbox).toEqual([expect.objectContaining({ recipient: 'late@p07.example', status: 'DUE', lastError: expect.stringMatching(/554/) })]);
    expect((await gql(print(MailOutboxQuery), { limit: 10 }, 'reporter')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');

    // Down altogether: the error changes, the row is still due, nothing else failed.
    const port = mailbox.port;
    await mailbox.stop();
    mailbox.refuse = false;
    await expect.poll(async () => (await outbox('reminder:1:P07:D-1'))[0]?.last_error ?? '', { timeout: 15_000 }).toMatch(/ECONNREFUSED|connect/i);
    [row] = await outbox('reminder:1:P07:D-1');
    expect(row!.status).toBe('due');
    expect((await gql(print(NotificationsQuery), { limit: 1 }, 'reporter')).data.unreadNotificationCount).toBe(1);

    await mailbox.start(port);
    await expect.poll(async () => (await outbox('reminder:1:P07:D-1'))[0]?.status, { timeout: 15_000 }).toBe('sent');
    expect(mailbox.to('late@p07.example')).toHaveLength(1);
  });

  it('the same key twice, and again after a restart on the same database: sent once', async () => {
    const key = 'reminder:1:P06:before7';
    const first = await publish(reminder(key, [recipient('reporter.backan', 'twice@backan.example')], 'before7'));
    const second = await publish(reminder(key, [recipient('reporter.backan', 'twice@backan.example')], 'before7'));
    expect([first.delivered, second.delivered]).toEqual([true, false]);
    await expect.poll(() => mailbox.to('twice@backan.example').length, { timeout: 15_000 }).toBe(1);

    await s.app.close();
    current = await anotherApp(mailbox.port);
    const again = await reminder(key, [recipient('reporter.backan', 'twice@backan.example')], 'before7');
    expect(again.delivered).toBe(false);
    // Another delivery after the restart goes out: the new instance drains, and still sent the first key once.
    await publish(reminder('reminder:1:P06:after-restart', [recipient('reporter.backan', 'after@backan.example')]));
    await expect.poll(() => mailbox.to('after@backan.example').length, { timeout: 15_000 }).toBe(1);
    expect(mailbox.to('twice@backan.example')).toHaveLength(1);
    const [once] = await s.sql<{ m: number }>('select count(*) as m from notification n join delivery d on d.id = n.delivery_id where d.dedupe_key = ?', [key]);
    expect(Number(once!.m)).toBe(1);
  });

  it('without SMTP_URL a delivery is in the app only: its mail is marked skipped, nothing is sent', async () => {
    await current.app.close();
    current = await anotherApp(null);
    const before = mailbox.received.length;
    const r = await publish(reminder('reminder:1:P08:D-1', [recipient('reporter.backan', 'nosmtp@p08.example')]));
    expect(r.notifications).toBe(1);
    await expect.poll(async () => (await outbox('reminder:1:P08:D-1'))[0]?.status, { timeout: 15_000 }).toBe('skipped');
    expect(mailbox.received.length).toBe(before);
    expect((await gql(print(NotificationsQuery), { limit: 1 }, 'reporter')).data.notifications[0]).toMatchObject({ title: 'Nhắc nộp báo cáo Báo cáo 5 năm 2013–2017: hạn ngày 10/12/2017' });
  });

  it.runIf(databaseKind() === 'postgresql')('two instances on one PostgreSQL: one runs a job at a time; delivering and draining at once sends each mail once', async () => {
    await current.app.close();
    const a = await anotherApp(mailbox.port);
    const b = await anotherApp(mailbox.port);
    current = a;
    const [dbA, dbB] = [knexOf(a.orm), knexOf(b.orm)];

    // The advisory lock: while A runs "probe", B's turn is skipped; afterwards B runs it.
    // A is known to hold it once its work has started (not after a guessed wait: a loaded machine is slow to connect).
    let release!: () => void;
    let inside!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started = new Promise<void>((r) => (inside = r));
    const held = runExclusive(dbA, 'probe', () => {
      inside();
      return gate;
    });
    await started;
    expect((await runExclusive(dbB, 'probe', async () => 'b')).ran).toBe(false);
    release();
    expect((await held).ran).toBe(true);
    expect(await runExclusive(dbB, 'probe', async () => 'b')).toEqual({ ran: true, value: 'b' });

    // Both instances deliver the same 20 keys at the same moment, and drain directly (no lock) beside their tickers.
    const keys = Array.from({ length: 20 }, (_, i) => `reminder:2:U${i}:D-1`);
    const results = await Promise.all(keys.flatMap((key, i) => [dbA, dbB].map((db) =>
      deliver(db, { key, recipients: [recipient('reporter.backan', `pg${i}@multi.example`)], kind: 'reminder', title: `Nhắc ${i}`, body: 'Nội dung', now: new Date() }))));
    expect(results.filter((r) => r.delivered)).toHaveLength(20);
    const sender = createSender({ smtpUrl: `smtp://127.0.0.1:${mailbox.port}`, from: 'UnionHub <no-reply@unionhub.local>', retryBaseMs: 200, retryMaxMs: 1_000 })!;
    const drain = (db: typeof dbA, worker: string) => drainOutbox(db, { send: sender.send, now: new Date(), worker, retryBaseMs: 200, retryMaxMs: 1_000 });
    // Eight drainers per instance start together: without the claim's re-check, several take the same row.
    await Promise.all([...Array.from({ length: 8 }, (_, i) => [drain(dbA, `a${i}`), drain(dbB, `b${i}`)]).flat(), a.app.scheduler.tick(), b.app.scheduler.tick()]);
    sender.close();
    await expect.poll(async () => (await s.sql<{ n: number }>("select count(*) as n from mail_outbox where dedupe_key like 'reminder:2:%' and status = 'sent'"))[0]!.n, { timeout: 15_000 }).toBe(20);
    for (let i = 0; i < 20; i++) expect(mailbox.to(`pg${i}@multi.example`)).toHaveLength(1);
  });
});
