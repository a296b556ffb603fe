/**
 * The mail outbox's worker. Rows are written by `deliver` (notifications.ts) as `due`; `drainOutbox`
 * claims each with a conditional UPDATE (a lease: `claimed_by`, `claimed_until`), so two drainers at
 * once — two instances — never take the same row, sends it, and marks it `sent`. A failure (server
 * down, a 4xx/5xx refusal) keeps the row `due` with `attempts`, `last_error` and an exponential
 * back-off in `next_attempt_at`; nothing is thrown. Without a sender (no SMTP_URL) due rows become
 * `skipped`: the delivery stays in the app only. How a mail travels (SMTP) is the caller's `send`.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';
import { isoTime, type Db } from './db.js';

export const MAIL_STATUSES = ['due', 'sent', 'skipped'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

/** Sends one mail or throws why not. */
export type SendMail = (mail: OutgoingMail) => Promise<void>;

export interface DrainOptions {
  /** Null: no mail server configured. */
  send: SendMail | null;
  /** The wall clock: back-off is real time, whatever clock the rounds run on. */
  now: Date;
  /** Who drains (instance), for the lease. */
  worker: string;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Most mails one drain sends. */
  batch?: number;
  /** How long a claim holds before another drainer may take the row (a drainer that died mid-send). */
  leaseMs?: number;
}

export interface DrainResult {
  sent: number;
  failed: number;
  skipped: number;
}

export interface OutboxRow {
  id: number;
  recipient: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** The wait before attempt n+1 after n failures: base·2^(n−1), at most `max`. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
}

const DEFAULT_BATCH = 50;
const DEFAULT_LEASE_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 1_000;

/** Rows a drainer may take now: due, their time come, and nobody's live claim on them. */
function claimable(q: Knex.QueryBuilder, now: Date) {
  return q
    .where('status', 'due')
    .andWhere((w) => w.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now))
    .andWhere((w) => w.whereNull('claimed_until').orWhere('claimed_until', '<', now));
}

/** Claim one due row for `token`; null when none is left. A lost race (another drainer took it) tries the next. */
async function claimOne(db: Db, token: string, now: Date, leaseMs: number): Promise<{ id: number; recipient: string; subject: string; text_body: string; html_body: string | null; attempts: number } | null> {
  for (let tries = 0; tries < 20; tries++) {
    const candidate = (await claimable(db('mail_outbox').select('id'), now).orderBy('id').first()) as { id: number } | undefined;
    if (!candidate) return null;
    // The conditions again on the row itself: PostgreSQL re-checks them after a concurrent update committed.
    const taken = await claimable(db('mail_outbox').where('id', candidate.id), now).update({ claimed_by: token, claimed_until: new Date(now.getTime() + leaseMs) });
    if (taken === 1) return db('mail_outbox').select('id', 'recipient', 'subject', 'text_body', 'html_body', 'attempts').where({ id: candidate.id, claimed_by: token }).first();
  }
  return null;
}

export async function drainOutbox(db: Db, opts: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, failed: 0, skipped: 0 };
  const { now } = opts;
  if (!opts.send) {
    result.skipped = await claimable(db('mail_outbox'), now).update({ status: 'skipped', last_error: 'no mail server configured (SMTP_URL)' });
    return result;
  }
  const token = `${opts.worker}:${randomBytes(6).toString('hex')}`;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  for (let i = 0; i < (opts.batch ?? DEFAULT_BATCH); i++) {
    const row = await claimOne(db, token, now, leaseMs);
    if (!row) break;
    const mine = db('mail_outbox').where({ id: row.id, claimed_by: token });
    try {
      await opts.send({ to: row.recipient, subject: row.subject, text: row.text_body, html: row.html_body });
      await mine.update({ status: 'sent', sent_at: new Date(), attempts: row.attempts + 1, last_error: null, claimed_by: null, claimed_until: null });
      result.sent++;
    } catch (e) {
      const attempts = row.attempts + 1;
      const message = (e instanceof Error ? e.message : String(e)).slice(0, MAX_ERROR_LENGTH);
      await mine.update({ attempts, last_error: message, next_attempt_at: new Date(now.getTime() + retryDelay(attempts, opts.retryBaseMs, opts.retryMaxMs)), claimed_by: null, claimed_until: null });
      result.failed++;
    }
  }
  return result;
}

/** The outbox for administrators: failing rows (due after an attempt) first, newest first. */
export async function listOutbox(db: Db, opts: { status?: MailStatus | null; failing?: boolean | null; limit: number }): Promise<OutboxRow[]> {
  const q = db('mail_outbox')
    .select('id', 'recipient', 'subject', 'status', 'attempts', 'next_attempt_at as nextAttemptAt', 'last_error as lastError', 'created_at as createdAt', 'sent_at as sentAt')
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.status) q.where('status', opts.status);
  if (opts.failing) q.where('status', 'due').whereNotNull('last_error');
  const rows = (await q) as (Omit<OutboxRow, 'nextAttemptAt' | 'createdAt' | 'sentAt'> & { nextAttemptAt: unknown; createdAt: unknown; sentAt: unknown })[];
  return rows.map((r) => ({
    ...r,
    nextAttemptAt: r.nextAttemptAt == null ? null : isoTime(r.nextAttemptAt),
    createdAt: isoTime(r.createdAt),
    sentAt: r.sentAt == null ? null : isoTime(r.sentAt),
  }));
}
