/**
 * Issue 14's reminders on the seeded 2017 round, received by a REAL SMTP server: at the clock's
 * instant each union still missing (or returned) gets its due step's reminder once — two instances
 * ticking at once, then a restart, send nothing twice —, in Vietnamese, in the app with a link to its
 * page; after the deadline the "late" step; a reviewer's reminder by hand, refused outside its grants
 * and for a union that has submitted. Expected recipients are read from the API and the grants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from './mailbox.js';
import { databaseKind, startTestServer, type TestServer } from './harness.js';
import { knexOf, openDatabase, type Orm } from '../server/src/db/orm.js';
import { startApp, type App, type AppOptions } from '../server/src/app.js';
import { issueToken } from '../server/src/domain/auth.js';
import { dueReminder } from '../server/src/domain/round-reminders.js';
import { DEFAULT_REMINDER_STEPS, deadlineInstant } from '../schema/src/rounds.js';

const BEFORE7 = '2017-12-03T09:00:00+07:00';
const AFTER1 = '2017-12-11T09:00:00+07:00';
const mailbox = new Mailbox();
let s: TestServer;
const opened: { orm: Orm; app: App }[] = [];
let roundId = '';
let roundName = '';

const settings = (at: string): AppOptions => ({ now: () => new Date(at), scheduleIntervalMs: 3_600_000, mail: { smtpUrl: `smtp://127.0.0.1:${mailbox.port}`, retryBaseMs: 100, retryMaxMs: 500 } });

/** Another instance on the test's database, its clock at `at`. */
async function instance(at: string): Promise<App> {
  const orm = await openDatabase(databaseKind() === 'postgresql' ? { kind: 'postgresql', location: s.file } : { kind: 'sqlite', location: s.file });
  const app = await startApp(knexOf(orm), 0, '127.0.0.1', settings(at));
  opened.push({ orm, app });
  return app;
}

async function gql(app: App, query: string, variables: Record<string, unknown> = {}, username = 'admin') {
  const { token } = await issueToken(knexOf(opened[0]?.orm ?? s.orm), { username, name: 'reminders test' });
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: any; errors?: { message: string; extensions: { code: string } }[] };
}

/** Reporters' addresses of the unions chased at the app's clock (missing or returned, levels 1 and 2). */
async function chasedReporters(app: App): Promise<Map<string, string[]>> {
  const chased: string[] = [];
  for (const status of ['MISSING', 'RETURNED']) {
    const r = await gql(app, 'query ($id: ID!, $s: SubmissionStatus) { reportingRound(id: $id) { submissions(status: $s, depth: 2) { union { code } } } }', { id: roundId, s: status });
    expect(r.errors).toBeUndefined();
    chased.push(...r.data.reportingRound.submissions.map((x: { union: { code: string } }) => x.union.code));
  }
  const rows = await s.sql<{ code: string; email: string }>(
    `select u.code, a.email from role_grant g join app_user a on a.id = g.user_id join trade_union u on u.id = g.union_id where g.role = 'reporter' and g.revoked_at is null and a.email is not null`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) if (chased.includes(r.code)) out.set(r.code, [...(out.get(r.code) ?? []), r.email]);
  return out;
}

const tickAll = async (...apps: App[]) => {
  // Twice: the reminders job queues its mails, the next tick's drain sends them.
  for (let i = 0; i < 2; i++) await Promise.all(apps.map((a) => a.scheduler.tick()));
};

beforeAll(async () => {
  await mailbox.start();
  s = await startTestServer(settings(BEFORE7));
  const r = await gql(s.app, '{ reportingRounds { id name } }');
  roundId = r.data.reportingRounds[0].id;
  roundName = r.data.reportingRounds[0].name;
}, 120_000);
afterAll(async () => {
  for (const o of opened) {
    await o.app.close();
    await o.orm.close();
  }
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
    const expected = await chasedReporters(s.app);
    expect(expected.size).toBeGreaterThan(0);
    const second = await instance(BEFORE7);
    await tickAll(s.app, second);
    const addresses = [...expected.values()].flat();
    expect(mailbox.received.map((m) => m.to).flat().sort()).toEqual([...addresses].sort());
    for (const m of mailbox.received) {
      expect(m.subject).toBe(`Nhắc nộp báo cáo ${roundName}: hạn ngày 10/12/2017`);
      expect(m.text).toContain('Còn 7 ngày đến hạn.');
    }
    const keys = await s.sql<{ key: string }>("select dedupe_key as key from delivery where dedupe_key like 'reminder:%' order by dedupe_key");
    expect(keys.map((k) => k.key)).toEqual([...expected.keys()].map((code) => `reminder:${roundId}:${code}:2017-12-10:before7`).sort());

    // A restart at the same instant: nothing new.
    await second.close();
    const third = await instance(BEFORE7);
    await tickAll(third);
    expect(mailbox.received).toHaveLength(addresses.length);

    // In the app too, with a link to the union's page in the round.
    const [code, [address]] = [...expected.entries()][0]!;
    const [user] = await s.sql<{ username: string }>('select username from app_user where email = ?', [address]);
    const list = await gql(third, '{ notifications { kind title link } unreadNotificationCount }', {}, user!.username);
    expect(list.data.notifications).toContainEqual({ kind: 'reminder', title: `Nhắc nộp báo cáo ${roundName}: hạn ngày 10/12/2017`, link: `#/rounds/${roundId}/${code}` });
  });

  it('after the deadline sends the "late" step to those still missing, and not to who submitted meanwhile', async () => {
    mailbox.received = [];
    const after = await instance(AFTER1);
    // Bắc Kạn (P06, seeded missing with nothing blocking) submits a day late, before the morning's reminders.
    expect((await chasedReporters(after)).has('P06')).toBe(true);
    const submitted = await gql(after, 'mutation ($id: ID!) { submitUnitReport(roundId: $id, unionCode: "P06") { status } }', { id: roundId }, 'reporter.backan');
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data.submitUnitReport.status).toBe('LATE');
    const expected = await chasedReporters(after);
    expect(expected.has('P06')).toBe(false);
    expect(expected.size).toBeGreaterThan(0);
    await tickAll(after);
    expect(mailbox.received.map((m) => m.to).flat().sort()).toEqual([...expected.values()].flat().sort());
    for (const m of mailbox.received) {
      expect(m.subject).toBe(`Quá hạn nộp báo cáo ${roundName} (1 ngày)`);
      expect(m.text).toContain('chậm 1 ngày');
    }
  });

  it('by hand: a reviewer above reminds chosen missing unions; outside its grants or a union that submitted is refused and nothing is sent', async () => {
    mailbox.received = [];
    const app = await instance(AFTER1);
    const expected = await chasedReporters(app);
    // A chased union outside Bắc Kạn (P06), where reviewer.backan reviews.
    const [code, addresses] = [...expected.entries()].find(([c]) => !c.startsWith('P06'))!;
    const send = (codes: string[], as: string) => gql(app, 'mutation ($id: ID!, $c: [String!]!) { sendReminders(roundId: $id, unionCodes: $c) }', { id: roundId, c: codes }, as);

    const outside = await send([code], 'reviewer.backan');
    expect(outside.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    const onTime = await gql(app, 'query ($id: ID!) { reportingRound(id: $id) { submissions(status: ON_TIME, depth: 1) { union { code } } } }', { id: roundId });
    const submitted = onTime.data.reportingRound.submissions[0].union.code as string;
    expect((await send([code, submitted], 'admin')).errors?.map((e) => e.extensions.code)).toEqual(['VALIDATION']);
    await tickAll(app);
    expect(mailbox.received).toEqual([]);

    const sent = await send([code], 'admin');
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendReminders).toBe(1);
    await tickAll(app);
    expect(mailbox.received.map((m) => m.to).flat().sort()).toEqual([...addresses].sort());
    expect(mailbox.received[0]!.subject).toBe(`Nhắc nộp báo cáo ${roundName}`);
  });

  it('after an extension, the steps start again for the new date', async () => {
    // The old deadline's "7 days" reminders have gone (here, or in the first test).
    await tickAll(await instance(BEFORE7));
    const app = await instance(AFTER1);
    const [code, addresses] = [...(await chasedReporters(app)).entries()].find(([c]) => !c.startsWith('P06'))!;
    const extended = await gql(app, 'mutation ($id: ID!, $u: String!) { grantExtension(roundId: $id, unionCode: $u, deadline: "2017-12-20", reason: "Chờ số liệu khảo sát") { deadline } }', { id: roundId, u: code });
    expect(extended.errors).toBeUndefined();
    mailbox.received = [];
    // A week before the new deadline: its "7 days" reminder, although the old deadline's was sent.
    const later = await instance('2017-12-13T09:00:00+07:00');
    await tickAll(later);
    expect(mailbox.received.filter((m) => addresses.some((a) => m.to.includes(a))).map((m) => m.subject)).toEqual(addresses.map(() => `Nhắc nộp báo cáo ${roundName}: hạn ngày 20/12/2017`));
  });
});
