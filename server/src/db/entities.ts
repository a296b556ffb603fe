/**
 * The data model. One Figure row is one cell: union × indicator × year × scenario.
 * Unions keep a materialised `path` of codes so a subtree is one index range scan,
 * and validity years so each year's tree can be rebuilt after merges and splits.
 */
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Delivery, MailOutbox, Notification, ReportingRound, RoundExtension, RoundPart, UnitSubmissionEvent } from './entities-round.js';
import { AllocationPreview, Forecast } from './entities-plan.js';
import { CommendationProposal } from './entities-commendation.js';

const p = defineEntity.properties;

export const Union = defineEntity({
  name: 'Union',
  tableName: 'trade_union',
  properties: {
    id: p.integer().primary().autoincrement(),
    code: p.string().length(40).unique(),
    name: p.string().length(200),
    /** `name` folded to lowercase ASCII for accent-insensitive search. */
    searchName: p.string().length(200).index(),
    kind: p.string().length(40),
    level: p.smallint().index(),
    parent: () => p.manyToOne(Union).nullable().index(),
    /** "/TLD/P01/P01-D01/" — ancestors' codes and its own; subtree = prefix range. */
    path: p.string().length(400).unique(),
    validFrom: p.smallint(),
    validTo: p.smallint().nullable(),
    region: p.string().length(20).nullable(),
    gsoCode: p.string().length(4).nullable(),
    sortOrder: p.integer().default(0),
  },
});
export type IUnion = InferEntity<typeof Union>;

/** A merge, split or rename: `successor` takes over (part of) `predecessor` from `year`. */
export const UnionSuccession = defineEntity({
  name: 'UnionSuccession',
  properties: {
    id: p.integer().primary().autoincrement(),
    predecessor: () => p.manyToOne(Union).index(),
    successor: () => p.manyToOne(Union).index(),
    year: p.smallint(),
    kind: p.string().length(10),
  },
});
export type IUnionSuccession = InferEntity<typeof UnionSuccession>;

/** Mirror of the catalogue in `schema/` so figures can reference indicators by key. */
export const Indicator = defineEntity({
  name: 'Indicator',
  properties: {
    id: p.integer().primary().autoincrement(),
    code: p.string().length(60).unique(),
    category: p.string().length(20),
    unit: p.string().length(20),
    kind: p.string().length(10),
    totalCode: p.string().length(60).nullable(),
    labelVi: p.string().length(200),
    labelEn: p.string().length(200),
    sortOrder: p.integer(),
  },
});
export type IIndicator = InferEntity<typeof Indicator>;

export const Figure = defineEntity({
  name: 'Figure',
  indexes: [{ name: 'figure_scenario_year_indicator_idx', properties: ['scenario', 'year', 'indicator'] }],
  uniques: [{ name: 'figure_cell_unique', properties: ['union', 'scenario', 'year', 'indicator'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    union: () => p.manyToOne(Union),
    indicator: () => p.manyToOne(Indicator),
    year: p.smallint(),
    scenario: p.string().length(10),
    value: p.double().nullable(),
    status: p.string().length(12).default('draft'),
    /** Optimistic lock: every accepted write increments it; a write names the version it read. */
    version: p.integer().default(1),
    updatedBy: p.string().length(100),
    updatedAt: p.datetime(),
    /** A correction to an approved cell, kept beside the approved `value` until it is approved. */
    proposedValue: p.double().nullable(),
    proposedBy: p.string().length(100).nullable(),
    proposedAt: p.datetime().nullable(),
    approvedBy: p.string().length(100).nullable(),
    approvedAt: p.datetime().nullable(),
  },
});
export type IFigure = InferEntity<typeof Figure>;

/** Append-only audit of every change to a cell. */
export const FigureRevision = defineEntity({
  name: 'FigureRevision',
  properties: {
    id: p.integer().primary().autoincrement(),
    figure: () => p.manyToOne(Figure).index(),
    /** value | status | proposal | comment */
    change: p.string().length(12),
    beforeValue: p.double().nullable(),
    afterValue: p.double().nullable(),
    beforeStatus: p.string().length(12).nullable(),
    afterStatus: p.string().length(12).nullable(),
    /** The figure's version after this change. */
    version: p.integer(),
    actor: p.string().length(100),
    at: p.datetime(),
    reason: p.text().nullable(),
  },
});
export type IFigureRevision = InferEntity<typeof FigureRevision>;

export const Comment = defineEntity({
  name: 'Comment',
  properties: {
    id: p.integer().primary().autoincrement(),
    figure: () => p.manyToOne(Figure).index(),
    author: p.string().length(100),
    at: p.datetime(),
    text: p.text(),
  },
});
export type IComment = InferEntity<typeof Comment>;


/** A person or a department's program. Passwords are scrypt hashes, never kept in clear. */
export const AppUser = defineEntity({
  name: 'AppUser',
  properties: {
    id: p.integer().primary().autoincrement(),
    username: p.string().length(100).unique(),
    displayName: p.string().length(200),
    passwordHash: p.string().length(200),
    disabled: p.boolean().default(false),
    createdAt: p.datetime(),
    /** Where reminders go (issue 14); null: in the app only. */
    email: p.string().length(200).nullable(),
  },
});

/** A role on a subtree of the hierarchy: the grant's union and everything below it. */
export const RoleGrant = defineEntity({
  name: 'RoleGrant',
  properties: {
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(AppUser).index(),
    role: p.string().length(20),
    union: () => p.manyToOne(Union),
    grantedBy: p.string().length(100),
    grantedAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
  },
});

/** Bearer tokens for programs: only a SHA-256 of the token is stored; the token is shown once. */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  properties: {
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(AppUser).index(),
    name: p.string().length(100),
    tokenHash: p.string().length(64).unique(),
    prefix: p.string().length(12),
    /** The username of whoever issued it; null when issued outside the API. */
    issuedBy: p.string().length(100).nullable(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
  },
});

/** A signed-in browser: the cookie carries the token, the table only its SHA-256. */
export const UserSession = defineEntity({
  name: 'UserSession',
  properties: {
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(AppUser).index(),
    tokenHash: p.string().length(64).unique(),
    csrfToken: p.string().length(64),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
  },
});

/** A failed reconciliation rule on one rule instance (rule × union × indicator × year × scenario). */
export const Discrepancy = defineEntity({
  name: 'Discrepancy',
  indexes: [{ name: 'discrepancy_union_year_idx', properties: ['union', 'year'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    /** rule|union code|indicator|year|scenario */
    instanceKey: p.string().length(200).unique(),
    ruleId: p.string().length(40),
    severity: p.string().length(10),
    union: () => p.manyToOne(Union),
    indicatorCode: p.string().length(60),
    year: p.smallint(),
    scenario: p.string().length(10),
    /** open | explained | accepted | waived | resolved */
    state: p.string().length(10).index(),
    leftValue: p.double().nullable(),
    rightValue: p.double().nullable(),
    difference: p.double().nullable(),
    message: p.text(),
    explanation: p.text().nullable(),
    decidedBy: p.string().length(100).nullable(),
    decidedAt: p.datetime().nullable(),
    decisionReason: p.text().nullable(),
    firstSeenAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

/** Append-only history of a discrepancy: found, explained, accepted, waived, resolved, re-opened. */
export const DiscrepancyRevision = defineEntity({
  name: 'DiscrepancyRevision',
  properties: {
    id: p.integer().primary().autoincrement(),
    discrepancy: () => p.manyToOne(Discrepancy).index(),
    change: p.string().length(12),
    beforeState: p.string().length(10).nullable(),
    afterState: p.string().length(10),
    difference: p.double().nullable(),
    actor: p.string().length(100),
    at: p.datetime(),
    reason: p.text().nullable(),
  },
});

/** A frozen edition of the consolidated report: the approved figures used, the files exactly as issued. */
export const ReportEdition = defineEntity({
  name: 'ReportEdition',
  uniques: [{ name: 'report_edition_root_number_unique', properties: ['rootCode', 'number'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    rootCode: p.string().length(40),
    number: p.integer(),
    createdAt: p.datetime(),
    actor: p.string().length(100),
    contentHash: p.string().length(64),
    figureCount: p.integer(),
    pendingTotal: p.integer(),
    previousId: p.integer().nullable(),
    changeCount: p.integer(),
    reportJson: p.text(),
    figuresJson: p.text(),
    changesJson: p.text(),
    xlsx: p.blob(),
    docx: p.blob(),
  },
});

/** A sign-in throttle key's failures (PostgreSQL: shared by the instances; domain/throttle.ts). */
export const SignInFailure = defineEntity({
  name: 'SignInFailure',
  tableName: 'signin_failure',
  properties: {
    key: p.string().length(400).primary(),
    count: p.integer(),
    lastMs: p.bigint(),
    free: p.integer(),
  },
});

/** A (username, address) pair that signed in, until when it counts as known. */
export const SignInKnown = defineEntity({
  name: 'SignInKnown',
  tableName: 'signin_known',
  properties: {
    key: p.string().length(400).primary(),
    untilMs: p.bigint(),
  },
});

/** A caller's request bucket (PostgreSQL: shared by the instances; hardening/rate-limit.ts). */
export const RateBucket = defineEntity({
  name: 'RateBucket',
  tableName: 'rate_bucket',
  properties: {
    key: p.string().length(200).primary(),
    tokens: p.double(),
    atMs: p.bigint(),
    allowed: p.boolean(),
  },
});

export const ENTITIES = [Discrepancy, DiscrepancyRevision, Union, UnionSuccession, Indicator, Figure, FigureRevision, Comment, AppUser, RoleGrant, ApiToken, UserSession, ReportEdition, Delivery, Notification, MailOutbox, ReportingRound, RoundPart, RoundExtension, UnitSubmissionEvent, SignInFailure, SignInKnown, RateBucket, AllocationPreview, Forecast, CommendationProposal];
