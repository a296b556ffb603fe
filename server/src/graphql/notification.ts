import { z } from 'zod';
import { builder } from './builder.js';
import { checkArgs, limit } from '../hardening/input.js';
import { limitArg, maxItems } from '../hardening/cost.js';
import { listNotifications, markRead, unreadCount, type NotificationRow } from '../domain/notifications.js';
import { listOutbox, MAIL_STATUSES, type OutboxRow } from '../domain/mail.js';
import type { Context } from '../context.js';

const MAX_NOTIFICATIONS = 200;
const MAX_OUTBOX = 1_000;
const MAX_IDS = 1_000;
const ListArgs = z.object({ limit: limit(MAX_NOTIFICATIONS) });
const OutboxArgs = z.object({ limit: limit(MAX_OUTBOX) });
const MarkArgs = z.object({ ids: z.array(z.string().regex(/^\d{1,9}$/, 'must be a notification id')).max(MAX_IDS).nullish() });

/** Every field here is about the caller's own notifications (the queries need a signed-in caller). */
const me = (ctx: Context): number => ctx.access.caller!.userId;

const NotificationRef = builder.objectRef<NotificationRow>('Notification').implement({
  description: 'A message to the caller in the app (the bell); unread while readAt is null.',
  fields: (t) => ({
    id: t.id({ resolve: (n) => String(n.id) }),
    kind: t.exposeString('kind', { description: 'What it is about, e.g. "reminder".' }),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    link: t.exposeString('link', { nullable: true, description: 'Where it leads in the client, a hash such as "#/rounds/1/P06".' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
  }),
});

const MailStatusEnum = builder.enumType('MailStatus', {
  values: Object.fromEntries(MAIL_STATUSES.map((s) => [s.toUpperCase(), { value: s }])) as Record<'DUE' | 'SENT' | 'SKIPPED', { value: (typeof MAIL_STATUSES)[number] }>,
});

const MailOutboxEntryRef = builder.objectRef<OutboxRow>('MailOutboxEntry').implement({
  description: 'A notification mail: due (not yet sent; after a failure with attempts, lastError and when it is tried again), sent, or skipped (no mail server configured).',
  fields: (t) => ({
    id: t.id({ resolve: (r) => String(r.id) }),
    recipient: t.exposeString('recipient'),
    subject: t.exposeString('subject'),
    status: t.field({ type: MailStatusEnum, resolve: (r) => r.status }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  notifications: t.field({
    type: [NotificationRef],
    description: 'The caller’s notifications, newest first.',
    args: { unreadOnly: t.arg.boolean(), limit: t.arg.int({ defaultValue: 50, required: true }) },
    extensions: maxItems(limitArg(MAX_NOTIFICATIONS)),
    resolve: (_, a, ctx) => (checkArgs(ListArgs, a), listNotifications(ctx.db, me(ctx), a)),
  }),
  unreadNotificationCount: t.int({ description: 'How many of the caller’s notifications are unread.', resolve: (_, __, ctx) => unreadCount(ctx.db, me(ctx)) }),
  mailOutbox: t.field({
    type: [MailOutboxEntryRef],
    authScopes: { administrator: true },
    description: 'Notification mails for administrators, newest first: by status, or `failing` (due after a failed attempt).',
    args: { status: t.arg({ type: MailStatusEnum }), failing: t.arg.boolean(), limit: t.arg.int({ defaultValue: 100, required: true }) },
    extensions: maxItems(limitArg(MAX_OUTBOX)),
    resolve: (_, a, ctx) => (checkArgs(OutboxArgs, a), listOutbox(ctx.db, a)),
  }),
}));

builder.mutationFields((t) => ({
  markNotificationsRead: t.int({
    description: 'Mark the caller’s notifications read (those of `ids`; all without ids): how many were unread.',
    args: { ids: t.arg.idList() },
    resolve: (_, a, ctx) => {
      const ids = a.ids?.map(String) ?? null;
      checkArgs(MarkArgs, { ids });
      return markRead(ctx.db, me(ctx), ids?.map(Number), ctx.now());
    },
  }),
}));

builder.subscriptionFields((t) => ({
  notificationAdded: t.field({
    type: NotificationRef,
    description: 'The caller’s own notifications as they are delivered.',
    // The caller is known before the stream starts (authScopes): each event is kept only for its own user.
    subscribe: (_, __, ctx) => {
      const userId = me(ctx);
      return (async function* () {
        for await (const n of ctx.bus.subscribe('notificationAdded')) if (n.userId === userId) yield n;
      })();
    },
    resolve: (n) => n,
  }),
}));
