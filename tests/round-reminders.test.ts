/**
 * Issue 14's reminders on the seeded 2017 round, received by a REAL SMTP server: at the clock's
 * instant each union still missing (or returned) gets its due step's reminder once — two instances
 * ticking at once, then a restart, send nothing twice —, in Vietnamese, in the app with a link to its
 * page; after the deadline the "late" step; a reviewer's reminder by hand, refused outside its grants
 * and for a union that has submitted. Expected recipients are the seed's story (seeds/src/round.ts),
 * not the API's answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from './mailbox.js';
import { startInstance, startTestServer, type TestInstance, type TestServer } from './harness.js';
import type { AppOptions } from '../server/src/app.js';
import { dueReminder } from '../server/src/domain/round-reminders.js';
import { DEFAULT_REMINDER_STEPS, deadlineInstant } from '../schema/src/rounds.js';

const BEFORE7 = '2017-12-03T09:00:00+07:00';
const AFTER1 = '2017-12-11T09:00:00+07:00';
const mailbox = new Mailbox();
let s: TestServer;
const opened: TestInstance[] = [];
let roundId = '';
let roundName = '';

/**
 * The seed's story: the only reporters with an address are the demo reporter of Bắc Kạn (P06) and
 * the round's contacts of N11, P58, T04 and P80. N11, P06, P58 and T04 never send; P80 sends only on
 * 29/12/2017 — so all five are missing on 03/12 and on 11/12 (until P06 submits in the second test).
 * Every other level-1 union outside the story (P01 among them) sent on time.
 */
const REPORTER: Record<string, string> = {
  N11: 'baocao.n11@congdoan.example',
  P06: 'baocao.backan@congdoan.example',
  P58: 'baocao.p58@congdoan.example',
  P80: 'baocao.p80@congdoan.example',
  T04: 'baocao.t04@congdoan.example',
};
const ON_TIME = 'P01';

const settings = (at: string): AppOptions => ({ now: () => new Date(at), scheduleIntervalMs: 3_600_000, mail: { smtpUrl: `smtp://127.0.0.1:${mailbox.port}`, retryBaseMs: 100, retryMaxMs: 500 } });

/** Another instance on the test's database, its clock at `at`. */
async function instance(at: string): Promise<TestInstance> {
  const started = await startInstance(s, settings(at));
  opened.push(started);
  return started;
}

const gql = (on: TestInstance, query: string, variables: Record<string, unknown> = {}, user = 'admin') => on.gql<any>(query, variables, { user });

const tickAll = async (...instances: TestInstance[]) => {
  // Twice: the reminders job queues its mails, the next tick's drain sends them.
  for (let i = 0; i < 2; i++) await Promise.all(instances.map((a) => a.app.scheduler.tick()));
};

beforeAll(async () => {
  await mailbox.start();
  s = await startTestServer(settings(BEFORE7));
  const r = await gql(s, '{ reportingRounds { id name } }');
  roundId = r.data.reportingRounds[0].id;
  roundName = r.data.reportingRounds[0].name;
}, 120_000);
afterAll(async () => {
  for (const o of opened) await o.close();
  await s?.close();
  await mailbox.stop();
});

describe('when a step is due', () => {
  it('is the newest step whose morning has come; a reminder before the deadline never goes after it', () => {
    const deadline = deadlineInstant('2017-12-10')!;
    const at = (iso: string) => dueReminder(DEFAULT_REMINDER_STEPS, deadline, new Date(iso));
    expect(at('2017-12-03T07:59:59+07:00')).toBeNull();
    expect(at('2017-12-03T08:00:00+07:00')?.step.code).toBe('before7');
    expect(at('2017-12-09T08:00:00+07:00')?.step.code).toBe('before1');
    expect(at('2017-12-10T23:59:59.999+07:00')?.step.code).toBe('before1');
    expect(at('2017-12-11T00:00:00+07:00')).toBeNull();
    expect(at('2017-12-11T08:00:00+07:00')?.step.code).toBe('after1');
    expect(at('2017-12-18T08:00:00+07:00')).toMatchObject({ step: { code: 'weekly' }, occurrence: 0 });
    expect(at('2017-12-25T07:59:00+07:00')).toMatchObject({ step: { code: 'weekly' }, occurrence: 0 });
    expect(at('2017-12-25T08:00:00+07:00')).toMatchObject({ step: { code: 'weekly' }, occurrence: 1 });
  });
});

describe("the round's reminders", () => {
  it('sends each due reminder once to the reporters of each chased union, from two instances at once and after a restart', async () => {
    const second = await instance(BEFORE7);
    await tickAll(s, second);
    const addresses = Object.values(REPORTER);
    expect(mailbox.received.map((m) => m.to).flat().sort()).toEqual([...addresses].sort());
    for (const m of mailbox.received) {
      expect(m.subject).toBe(`Nhắc nộp báo cáo ${roundName}: hạn ngày 10/12/2017`);
      expect(m.text).toContain('Còn 7 ngày đến hạn.');
    }
    const keys = await s.sql<{ key: string }>("select dedupe_key as key from delivery where dedupe_key like 'reminder:%' order by dedupe_key");
    expect(keys.map((k) => k.key)).toEqual(Object.keys(REPORTER).map((code) => `reminder:${roundId}:${code}:2017-12-10:before7`).sort());

    // A restart at the same instant: nothing new.
    await second.close();
    const third = await instance(BEFORE7);
    await tickAll(third);
    expect(mailbox.received).toHaveLength(addresses.length);

    // In the app too, with a link to the union's page in the round.
    const [code, address] = Object.entries(REPORTER)[0]!;
    const [user] = await s.sql<{ username: string }>('select username from app_user where email = ?', [address]);
    const list = await gql(third, '{ notifications { kind title link } unreadNotificationCount }', {}, user!.username);
    expect(list.data.notifications).toContainEqual({ kind: 'reminder', title: `Nhắc nộp báo cáo ${roundName}: hạn ngày 10/12/2017`, link: `#/rounds/${roundId}/${code}` });
  });

  it('after the deadline sends the "late" step to those still missing, and not to who submitted meanwhile', async () => {
    mailbox.received = [];
    const after = await instance(AFTER1);
    // Bắc Kạn (P06, seeded missing with nothing blocking) submits a day late, before the morning's reminders.
    const submitted = await gql(after, 'mutation ($id: ID!) { submitUnitReport(roundId: $id, unionCode: "P06") { status } }', { id: roundId }, 'reporter.backan');
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data.submitUnitReport.status).toBe('LATE');
    await tickAll(after);
    const expected = Object.entries(REPORTER).filter(([code]) => code !== 'P06').map(([, address]) => address);
    expect(mailbox.received.map((m) => m.to).flat().sort()).toEqual(expected.sort());
    for (const m of mailbox.received) {
      expect(m.subject).toBe(`Quá hạn nộp báo cáo ${roundName} (1 ngày)`);
      expect(m.text).toContain('chậm 1 ngày');
    }
  });

  it('by hand: a reviewer above reminds chosen missing unions; outside its grants or a union that submitted is refused and nothing is sent', async () => {
    mailbox.received = [];
    const app = await instance(AFTER1);
    // A chased union outside Bắc Kạn (P06), where reviewer.backan reviews.
    const [code, address] = Object.entries(REPORTER).find(([c]) => c !== 'P06')!;
    const send = (codes: string[], as: string) => gql(app, 'mutation ($id: ID!, $c: [String!]!) { sendReminders(roundId: $id, unionCodes: $c) }', { id: roundId, c: codes }, as);

    const outside = await send([code], 'reviewer.backan');
    expect(outside.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect((await send([code, ON_TIME], 'admin')).errors?.map((e) => e.extensions.code)).toEqual(['VALIDATION']);
    await tickAll(app);
    expect(mailbox.received).toEqual([]);

    const sent = await send([code], 'admin');
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendReminders).toBe(1);
    await tickAll(app);
    expect(mailbox.received.map((m) => m.to).flat()).toEqual([address]);
    expect(mailbox.received[0]!.subject).toBe(`Nhắc nộp báo cáo ${roundName}`);
  });

  it('after an extension, the steps start again for the new date', async () => {
    // The old deadline's "7 days" reminders have gone (here, or in the first test).
    await tickAll(await instance(BEFORE7));
    const app = await instance(AFTER1);
    const [code, address] = Object.entries(REPORTER).find(([c]) => c !== 'P06')!;
    const extended = await gql(app, 'mutation ($id: ID!, $u: String!) { grantExtension(roundId: $id, unionCode: $u, deadline: "2017-12-20", reason: "Chờ số liệu khảo sát") { deadline } }', { id: roundId, u: code });
    expect(extended.errors).toBeUndefined();
    mailbox.received = [];
    // A week before the new deadline: its "7 days" reminder, although the old deadline's was sent.
    const later = await instance('2017-12-13T09:00:00+07:00');
    await tickAll(later);
    expect(mailbox.received.filter((m) => m.to.includes(address)).map((m) => m.subject)).toEqual([`Nhắc nộp báo cáo ${roundName}: hạn ngày 20/12/2017`]);
  });
});
