/**
 * The round's reminders: at the clock's instant, which step is due for each union still missing (or
 * returned), sent once per union and step occurrence — the delivery key decides, across restarts and
 * instances — and a reviewer's reminders by hand. Steps are the round's data (schema/src/rounds.ts).
 */
import { daysAfter, ROUND_TIME_ZONE, roundDate, yearClosesAt, type ReminderStep } from '@unionhub/schema';
import { forbidden, type Access } from './access.js';
import type { Db } from './db.js';
import { DomainError, said } from './errors.js';
import type { DomainEvent } from './events.js';
import { recipientsOf, sendReminder } from './notifications.js';
import { listRounds, requireRound, type RoundRow } from './round-data.js';
import { NO_CELLS, unitStates, type UnitState } from './round-status.js';
import { unionByCode, unionsByCodes } from './unions.js';

const DAY = 86_400_000;
/** A step's reminder goes out from 08:00 of its day in Vietnam. */
const SEND_AT_MS = 8 * 3_600_000;
/** Unions still to be chased: nothing submitted, or sent back and not submitted again. */
const CHASED = new Set(['MISSING', 'RETURNED']);
/** Unions one reminder by hand may name. */
export const MAX_REMINDED = 2_000;

export interface DueReminder {
  step: ReminderStep;
  /** Which repetition of a repeating step (0 for the first, and for a step that does not repeat). */
  occurrence: number;
  at: Date;
}

/**
 * The newest reminder occurrence whose time has come for this deadline, or null. Only the newest: a
 * server that was down does not send the week's missed ones at once, and a reminder "before the
 * deadline" is never sent after it.
 */
export function dueReminder(steps: readonly ReminderStep[], deadline: Date, now: Date): DueReminder | null {
  const offset = ROUND_TIME_ZONE.offsetMinutes * 60_000;
  const deadlineDay = Math.floor((deadline.getTime() + offset) / DAY) * DAY - offset;
  let due: DueReminder | null = null;
  for (const step of steps) {
    const first = deadlineDay + step.offsetDays * DAY + SEND_AT_MS;
    if (now.getTime() < first || (step.offsetDays < 0 && now > deadline)) continue;
    const every = (step.repeatEveryDays ?? 0) * DAY;
    const occurrence = every ? Math.floor((now.getTime() - first) / every) : 0;
    const at = new Date(first + occurrence * every);
    if (!due || at > due.at) due = { step, occurrence, at };
  }
  return due;
}

/**
 * Once ever per round, union, deadline, step and repetition: an extension (a new deadline) starts the
 * steps again for the new date.
 */
const reminderKey = (roundId: number, unionCode: string, deadline: Date, due: DueReminder) =>
  `reminder:${roundId}:${unionCode}:${roundDate(deadline)}:${due.step.code}${due.step.repeatEveryDays ? `#${due.occurrence}` : ''}`;

interface Chase {
  state: UnitState;
  key: string;
  step: string;
}

/** Send one reminder per chased union to its reporters (in the app, and by mail where they have an address). */
async function remind(db: Db, round: RoundRow, chases: Chase[], now: Date): Promise<{ sent: number; events: DomainEvent[] }> {
  const recipients = await recipientsOf(db, chases.map((c) => c.state.union.code));
  const events: DomainEvent[] = [];
  let sent = 0;
  for (const { state, key, step } of chases) {
    const to = recipients.get(state.union.code) ?? [];
    // Nobody to tell yet: not recorded, so a reporter granted later still gets it.
    if (to.length === 0) continue;
    const late = daysAfter(state.deadline, now);
    const result = await sendReminder(db, {
      key,
      recipients: to,
      step,
      params: { union: state.union.name, round: round.name, deadline: state.deadline, daysLeft: late <= 0 ? Math.max(1, -late) : null, daysLate: late > 0 ? late : null },
      link: `#/rounds/${round.id}/${state.union.code}`,
      now,
    });
    if (result.delivered) sent++;
    events.push(...result.events);
  }
  return { sent, events };
}

/** The scheduled job: every open round's due reminders (a round whose year is closed chases nobody). */
export async function sendDueReminders(db: Db, now: Date): Promise<{ sent: number; events: DomainEvent[] }> {
  const out = { sent: 0, events: [] as DomainEvent[] };
  const tld = await unionByCode(db, 'TLD');
  for (const round of await listRounds(db)) {
    if (now > yearClosesAt(round.year)) continue;
    const states = (await unitStates(db, round, { root: tld, ...NO_CELLS }, now)).filter((s) => CHASED.has(s.status));
    const due = states.flatMap((state) => {
      const d = dueReminder(round.reminderSteps, state.deadline, now);
      return d ? [{ state, key: reminderKey(round.id, state.union.code, state.deadline, d), step: d.step.code }] : [];
    });
    if (due.length === 0) continue;
    const done = new Set<string>();
    for (let i = 0; i < due.length; i += 500) {
      const rows = (await db('delivery').whereIn('dedupe_key', due.slice(i, i + 500).map((d) => d.key)).select('dedupe_key as key')) as { key: string }[];
      for (const r of rows) done.add(r.key);
    }
    const result = await remind(db, round, due.filter((d) => !done.has(d.key)), now);
    out.sent += result.sent;
    out.events.push(...result.events);
  }
  return out;
}

/**
 * A reviewer's reminder by hand to chosen unions of a round: each must be still missing or returned and
 * below one of the caller's reviewing grants; otherwise nothing is sent and the refusal names them.
 */
export async function remindByHand(db: Db, access: Access, roundId: number, unionCodes: readonly string[], now: Date): Promise<{ sent: number; events: DomainEvent[] }> {
  const codes = [...new Set(unionCodes)];
  if (codes.length === 0 || codes.length > MAX_REMINDED) throw new DomainError('VALIDATION', `Name 1 to ${MAX_REMINDED} unions`, { http: { status: 400 }, fields: ['unionCodes'] });
  const round = await requireRound(db, roundId);
  const unions = await unionsByCodes(db, codes);
  const unknown = codes.filter((c) => !unions.some((u) => u.code === c));
  if (unknown.length) throw new DomainError('NOT_FOUND', `No such union: ${unknown.join(', ')}`, { http: { status: 404 }, ...said('union.unknown', { union: unknown[0]! }) });
  const outside = unions.filter((u) => !access.isAdministrator && !access.canAbove('approve', u.path));
  if (outside.length) throw forbidden(`Only a reviewer above a union reminds it: ${outside.map((u) => u.name).join(', ')}`);
  const tld = await unionByCode(db, 'TLD');
  const states = new Map((await unitStates(db, round, { root: tld, unionIds: unions.map((u) => u.id), ...NO_CELLS }, now)).map((s) => [s.union.code, s]));
  const notChased = codes.filter((c) => !CHASED.has(states.get(c)?.status ?? ''));
  if (notChased.length) {
    throw new DomainError('VALIDATION', `Only unions still missing or returned are reminded; not: ${notChased.join(', ')}`, { http: { status: 400 }, fields: ['unionCodes'], unionCodes: notChased });
  }
  const by = access.caller?.username ?? 'anonymous';
  return remind(db, round, codes.map((c) => ({ state: states.get(c)!, key: `reminder:${round.id}:${c}:MANUAL:${by}:${now.getTime()}`, step: 'MANUAL' })), now);
}
