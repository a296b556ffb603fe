/**
 * Notifications: a delivery writes one notification per recipient and one outgoing mail per
 * address, once ever per key. The key's row in `delivery` is UNIQUE and inserted in the same
 * transaction as the rest, so a second call — a retry, a restart, another instance at the same
 * moment — finds it taken and does nothing. Mail goes out later through the outbox (mail.ts).
 */
import { DomainError } from './errors.js';
import { insertChunked, insertedId, isoTime, type Db } from './db.js';
import type { WithEvents } from './events.js';
import { reminderText, viDate } from '@unionhub/schema';

export interface Recipient {
  userId: number;
  /** No address: in the app only. */
  email: string | null;
}

export interface NotificationRow {
  id: number;
  userId: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface DeliveryInput {
  /** Once ever per key, e.g. "reminder:<round>:<union>:<step>". */
  key: string;
  recipients: readonly Recipient[];
  kind: string;
  title: string;
  body: string;
  /** Where the notification leads in the client (a hash such as "#/rounds/1/P06"). */
  link?: string | null;
  now: Date;
  /** The e-mail, when it differs from the notification (default: the title as subject, the body as text). */
  mail?: { subject: string; text: string; html?: string | null };
}

export interface DeliveryResult extends WithEvents {
  /** False: the key was delivered before (by this or another instance); nothing was written. */
  delivered: boolean;
  notifications: number;
  /** Mails put in the outbox (one per distinct address). */
  mails: number;
}

const MAX_KEY_LENGTH = 300;

const columns = ['id', 'user_id as userId', 'kind', 'title', 'body', 'link', 'created_at as createdAt', 'read_at as readAt'];

type RawNotification = Omit<NotificationRow, 'createdAt' | 'readAt'> & { createdAt: unknown; readAt: unknown };
const toRow = (r: RawNotification): NotificationRow => ({ ...r, link: r.link ?? null, createdAt: isoTime(r.createdAt), readAt: r.readAt == null ? null : isoTime(r.readAt) });

export async function deliver(db: Db, input: DeliveryInput): Promise<DeliveryResult> {
  if (!input.key || input.key.length > MAX_KEY_LENGTH) throw new DomainError('VALIDATION', `A delivery key is 1 to ${MAX_KEY_LENGTH} characters`);
  const byUser = new Map<number, Recipient>();
  for (const r of input.recipients) if (!byUser.has(r.userId)) byUser.set(r.userId, r);
  const addresses = new Map<string, string>();
  for (const r of byUser.values()) {
    const email = r.email?.trim();
    if (email) addresses.set(email.toLowerCase(), email);
  }
  return db.transaction(async (trx) => {
    // The unique key decides: a concurrent second insert waits for the first's commit, then inserts nothing.
    const won = await trx('delivery')
      .insert({ dedupe_key: input.key, kind: input.kind, recipients: byUser.size, created_at: input.now })
      .onConflict('dedupe_key')
      .ignore()
      .returning('id');
    if (won.length === 0) return { delivered: false, notifications: 0, mails: 0, events: [] };
    const deliveryId = insertedId(won);
    await insertChunked(trx, 'notification', [...byUser.values()].map((r) => ({
      user_id: r.userId, delivery_id: deliveryId, kind: input.kind, title: input.title, body: input.body, link: input.link ?? null, created_at: input.now, read_at: null,
    })));
    // Read back through the recipients' index (delivery_id has none).
    const notifications = ((await trx('notification').select(columns).whereIn('user_id', [...byUser.keys()]).andWhere('delivery_id', deliveryId).orderBy('id')) as RawNotification[]).map(toRow);
    const mail = input.mail ?? { subject: input.title, text: input.body, html: null };
    if (addresses.size) {
      await trx('mail_outbox').insert([...addresses].map(([folded, email]) => ({
        recipient: email,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html ?? null,
        dedupe_key: `${input.key}#${folded}`,
        status: 'due',
        attempts: 0,
        // Null: due at once, whatever clock the caller's `now` came from.
        next_attempt_at: null,
        created_at: input.now,
      })));
    }
    return { delivered: true, notifications: notifications.length, mails: addresses.size, events: notifications.length ? [{ kind: 'notificationAdded', notifications }] : [] };
  });
}

/** The user's notifications, newest first. */
export async function listNotifications(db: Db, userId: number, opts: { unreadOnly?: boolean | null; limit: number }): Promise<NotificationRow[]> {
  const q = db('notification').select(columns).where('user_id', userId).orderBy('id', 'desc').limit(opts.limit);
  if (opts.unreadOnly) q.whereNull('read_at');
  return ((await q) as RawNotification[]).map(toRow);
}

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const row = (await db('notification').count({ n: '*' }).where('user_id', userId).whereNull('read_at').first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** Mark the user's own unread notifications read (those of `ids`, or all): how many changed. */
export async function markRead(db: Db, userId: number, ids: readonly number[] | null | undefined, now: Date): Promise<number> {
  const q = db('notification').where('user_id', userId).whereNull('read_at');
  if (ids) {
    if (ids.length === 0) return 0;
    q.whereIn('id', [...ids]);
  }
  return q.update({ read_at: now });
}

export interface ReminderInput {
  /** Once ever per key: "reminder:<round>:<union>:<step>" (a reminder by hand: add who and when). */
  key: string;
  recipients: readonly Recipient[];
  /** The round's step code (schema/src/reminders.ts; MANUAL by hand). */
  step: string;
  params: { union: string; round: string; deadline: Date; daysLeft?: number | null; daysLate?: number | null };
  link?: string | null;
  now: Date;
}

/** A reminder in Vietnamese, from the step's template, in the app and by mail: `deliver` under its key. */
export function sendReminder(db: Db, input: ReminderInput): Promise<DeliveryResult> {
  const { subject, body } = reminderText(input.step, { ...input.params, deadline: viDate(input.params.deadline) }, 'vi');
  return deliver(db, { key: input.key, recipients: input.recipients, kind: 'reminder', title: subject, body, link: input.link ?? null, now: input.now });
}

/** A union's reporter: a user to remind, and a contact on the chase list. */
export type Reporter = Recipient & { name: string };

/**
 * A union's reporters — the users (not disabled) holding an active `reporter` grant on that union
 * itself — with their e-mail address, by name, each user once: the reminders' recipients and the
 * chase list's contacts. One query.
 */
export async function recipientsOf(db: Db, unionCodes: readonly string[]): Promise<Map<string, Reporter[]>> {
  const out = new Map<string, Reporter[]>(unionCodes.map((c) => [c, []]));
  if (unionCodes.length === 0) return out;
  const rows = (await db('role_grant as g')
    .join('trade_union as u', 'u.id', 'g.union_id')
    .join('app_user as a', 'a.id', 'g.user_id')
    .select('u.code as unionCode', 'a.id as userId', 'a.display_name as name', 'a.email as email')
    .whereIn('u.code', [...new Set(unionCodes)])
    .where('g.role', 'reporter')
    .whereNull('g.revoked_at')
    .where('a.disabled', false)
    .orderBy(['u.code', 'a.display_name', 'a.id'])) as { unionCode: string; userId: number; name: string; email: string | null }[];
  for (const r of rows) {
    const list = out.get(r.unionCode)!;
    // A user granted twice on the union (two live grants) is one reporter.
    if (!list.some((x) => x.userId === Number(r.userId))) list.push({ userId: Number(r.userId), email: r.email, name: r.name });
  }
  return out;
}
