/** The reporting round's tables (issue 14): deliveries, notifications and mail, rounds, parts, extensions and the submission trail. */
import { defineEntity } from '@mikro-orm/core';
import { AppUser, Union } from './entities.js';

const p = defineEntity.properties;

/** A delivery made once ever: its key is UNIQUE, written in the transaction of its notifications and mails. */
export const Delivery = defineEntity({
  name: 'Delivery',
  properties: {
    id: p.integer().primary().autoincrement(),
    dedupeKey: p.string().length(300).unique(),
    kind: p.string().length(40),
    recipients: p.integer(),
    createdAt: p.datetime(),
  },
});


/** A message to one user in the app (the bell): unread while `readAt` is null. */
export const Notification = defineEntity({
  name: 'Notification',
  indexes: [{ name: 'notification_user_read_index', properties: ['user', 'readAt'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(AppUser),
    delivery: () => p.manyToOne(Delivery).nullable(),
    kind: p.string().length(40),
    title: p.text(),
    body: p.text(),
    link: p.text().nullable(),
    createdAt: p.datetime(),
    readAt: p.datetime().nullable(),
  },
});

/** An e-mail waiting to go, sent, or failed (kept due with back-off); claimed by one drainer at a time. */
export const MailOutbox = defineEntity({
  name: 'MailOutbox',
  tableName: 'mail_outbox',
  indexes: [{ name: 'mail_outbox_status_next_index', properties: ['status', 'nextAttemptAt'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    recipient: p.text(),
    subject: p.text(),
    textBody: p.text(),
    htmlBody: p.text().nullable(),
    dedupeKey: p.string().length(320).unique(),
    status: p.string().length(10),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().nullable(),
    lastError: p.text().nullable(),
    claimedBy: p.string().length(100).nullable(),
    claimedUntil: p.datetime().nullable(),
    createdAt: p.datetime(),
    sentAt: p.datetime().nullable(),
  },
});

/** A reporting round: who must send what, by when (lists are JSON text: SQLite and PostgreSQL alike). */
export const ReportingRound = defineEntity({
  name: 'ReportingRound',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(300),
    periodFrom: p.smallint(),
    periodTo: p.smallint(),
    year: p.smallint(),
    deadline: p.datetime(),
    levels: p.text(),
    indicators: p.text(),
    years: p.text(),
    scenarios: p.text(),
    reminderSteps: p.text(),
    createdBy: p.string().length(100),
    createdAt: p.datetime(),
  },
});


/** A level-1 union's own deadline for its children in a round (no later than the round's). */
export const RoundPart = defineEntity({
  name: 'RoundPart',
  uniques: [{ name: 'round_part_round_union_unique', properties: ['round', 'union'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    round: () => p.manyToOne(ReportingRound),
    union: () => p.manyToOne(Union),
    deadline: p.datetime(),
    setBy: p.string().length(100),
    setAt: p.datetime(),
  },
});

/** A union's later deadline in a round, granted by a reviewer above it; the latest one counts. */
export const RoundExtension = defineEntity({
  name: 'RoundExtension',
  indexes: [{ name: 'round_extension_round_union_idx', properties: ['round', 'union'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    round: () => p.manyToOne(ReportingRound),
    union: () => p.manyToOne(Union),
    deadline: p.datetime(),
    reason: p.text(),
    grantedBy: p.string().length(100),
    grantedAt: p.datetime(),
  },
});

/** Append-only audit trail of a union's submission in a round: SUBMITTED, RETURNED, EXTENDED. */
export const UnitSubmissionEvent = defineEntity({
  name: 'UnitSubmissionEvent',
  indexes: [{ name: 'unit_submission_event_round_union_idx', properties: ['round', 'union'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    round: () => p.manyToOne(ReportingRound),
    union: () => p.manyToOne(Union),
    kind: p.string().length(12),
    at: p.datetime(),
    by: p.string().length(100),
    reason: p.text().nullable(),
  },
});
