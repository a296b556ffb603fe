/** The reporting round over GraphQL (issue 14): rounds, completeness, submissions, the chase list, and the writes. */
import { INDICATORS, roundDate, SUBMISSION_EVENT_KINDS, SUBMISSION_STATUSES, YEARS, type Scenario, type SubmissionStatus } from '@unionhub/schema';
import { z } from 'zod';
import { builder, ScenarioEnum } from './builder.js';
import { UnionRef } from './union.js';
import type { Context } from '../context.js';
import { Loader } from '../loader.js';
import type { UnionRow } from '../domain/unions.js';
import { storedScenario } from '../domain/forecast-cells.js';
import {
  blockersOfUnions, chaseList, completeness, completenessBelow, createRound, grantExtension, historiesOf, listRounds, returnUnit, roundById,
  setPartDeadline, submissions, submitUnit, unitState, type Blocker, type ChaseEntry, type CompletenessRow, type Contact, type RoundRow,
  type StatesCache, type SubmissionEventRow, type UnitState,
} from '../domain/rounds.js';
import { MAX_REMINDED, remindByHand } from '../domain/round-reminders.js';
import { checkArgs, indicatorCodes, RootArgs, text, unionCode } from '../hardening/input.js';
import { maxItems, subtreeOf } from '../hardening/cost.js';

const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2017-12-10');
/** `root: String = "TLD"`: an explicit null is TLĐ too. */
const rooted = (a: { root?: string | null }) => ({ root: a.root ?? 'TLD' });
const UnitArgs = z.object({ unionCode });
const RemindArgs = z.object({ unionCodes: z.array(unionCode).min(1).max(MAX_REMINDED) });
const ReturnArgs = z.object({ unionCode, reason: text(2_000) });
const ExtendArgs = z.object({ unionCode, deadline: dateText, reason: text(2_000) });
const InputArgs = z.object({
  name: text(300), deadline: dateText, indicators: indicatorCodes.nullish(), years: z.array(z.number().int()).max(YEARS.length).nullish(),
  levels: z.array(z.number().int()).max(4), sectionsRequired: z.boolean().nullish(), reminderSteps: z.array(z.object({ code: text(40), labelVi: text(200), labelEn: text(200) })).max(20).nullish(),
});

const SubmissionStatusEnum = builder.enumType('SubmissionStatus', {
  description: SUBMISSION_STATUSES.map((s) => `${s.status}: ${s.labelVi} — ${s.labelEn}`).join('; '),
  values: ['ON_TIME', 'LATE', 'MISSING', 'RETURNED'] as const satisfies readonly SubmissionStatus[],
});
const BlockerKindEnum = builder.enumType('BlockerKind', { values: ['BLANK_CELL', 'OPEN_DISCREPANCY', 'SECTION_MISSING'] as const });

/** A union's state with the round it is in (its blockers, history and what the caller may do need both). */
interface Unit {
  round: RoundRow;
  state: UnitState;
}

const ReminderStepRef = builder.objectRef<RoundRow['reminderSteps'][number]>('ReminderStep').implement({
  description: 'When a reminder goes out: offsetDays from the deadline day (−7 a week before), repeated every repeatEveryDays while missing.',
  fields: (t) => ({
    code: t.exposeString('code'),
    offsetDays: t.exposeInt('offsetDays'),
    repeatEveryDays: t.exposeInt('repeatEveryDays', { nullable: true }),
    labelVi: t.exposeString('labelVi'),
    labelEn: t.exposeString('labelEn'),
  }),
});

const CompletenessRef = builder.objectRef<CompletenessRow>('Completeness').implement({
  description: 'Expected unions of a subtree (that year\'s tree, levels that report) and where they stand; onTime + late + missing + returned = expected.',
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: (c) => c.root }),
    expected: t.exposeInt('expected'),
    submitted: t.exposeInt('submitted', { description: 'On time + late (a returned report is not counted).' }),
    onTime: t.exposeInt('onTime'),
    late: t.exposeInt('late'),
    missing: t.exposeInt('missing'),
    returned: t.exposeInt('returned'),
    cellsExpected: t.exposeInt('cellsExpected'),
    cellsFilled: t.exposeInt('cellsFilled'),
    cellsApproved: t.exposeInt('cellsApproved'),
  }),
});

const ExtensionRef = builder.objectRef<NonNullable<UnitState['extension']>>('Extension').implement({
  fields: (t) => ({
    deadline: t.field({ type: 'DateTime', resolve: (x) => x.deadline.toISOString() }),
    reason: t.exposeString('reason'),
    grantedBy: t.exposeString('grantedBy'),
    grantedAt: t.expose('grantedAt', { type: 'DateTime' }),
  }),
});

const BlockerRef = builder.objectRef<Blocker>('Blocker').implement({
  description: 'Something that keeps a union from submitting: a blank expected cell, an open error discrepancy, a required section not submitted (rounds with sectionsRequired).',
  fields: (t) => ({
    kind: t.field({ type: BlockerKindEnum, resolve: (b) => b.kind }),
    unionCode: t.exposeString('unionCode'),
    indicatorCode: t.exposeString('indicatorCode', { nullable: true }),
    year: t.exposeInt('year', { nullable: true }),
    scenario: t.field({ type: ScenarioEnum, nullable: true, resolve: (b) => b.scenario as Scenario | null }),
    discrepancyId: t.exposeID('discrepancyId', { nullable: true }),
    sectionCode: t.exposeString('sectionCode', { nullable: true }),
    message: t.exposeString('message'),
  }),
});

const SubmissionEventRef = builder.objectRef<SubmissionEventRow>('SubmissionEvent').implement({
  description: `One entry of a union's trail in a round: ${SUBMISSION_EVENT_KINDS.join(' | ')}.`,
  fields: (t) => ({
    kind: t.exposeString('kind'),
    at: t.expose('at', { type: 'DateTime' }),
    by: t.exposeString('by'),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const UnitSubmissionRef = builder.objectRef<Unit>('UnitSubmission').implement({
  description: "A union's submission in a round, at the server's clock.",
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: (u) => u.state.union }),
    status: t.field({ type: SubmissionStatusEnum, resolve: (u) => u.state.status }),
    deadline: t.field({ type: 'DateTime', description: 'The deadline that counts: its extension, else its level-1 union\'s own, else the round\'s.', resolve: (u) => u.state.deadline.toISOString() }),
    originalDeadline: t.field({ type: 'DateTime', description: 'Before any extension.', resolve: (u) => u.state.originalDeadline.toISOString() }),
    extension: t.field({ type: ExtensionRef, nullable: true, resolve: (u) => u.state.extension }),
    firstSubmittedAt: t.field({ type: 'DateTime', nullable: true, resolve: (u) => u.state.firstSubmittedAt?.toISOString() ?? null }),
    lastSubmittedAt: t.field({ type: 'DateTime', nullable: true, resolve: (u) => u.state.lastSubmittedAt?.toISOString() ?? null }),
    daysLate: t.int({ nullable: true, resolve: (u) => u.state.daysLate }),
    cellsExpected: t.int({ resolve: (u) => u.state.cellsExpected }),
    cellsFilled: t.int({ resolve: (u) => u.state.cellsFilled }),
    cellsApproved: t.int({ resolve: (u) => u.state.cellsApproved }),
    blockers: t.field({
      type: [BlockerRef],
      description: 'What still blocks submitting (empty = may submit). Always empty for a caller who does not read unapproved figures of the union (a viewer: the blockers show discrepancies\' values; such a caller cannot submit either, see canSubmit).',
      extensions: maxItems(() => INDICATORS.length * YEARS.length * 2 + 200),
      // Empty rather than refused: a refusal here would void the whole round of a viewer's page (non-null fields up to it).
      resolve: async (u, _, ctx) => (ctx.access.readsUnapproved(u.state.union.path) ? (await unitLoaders(ctx).blockers.load(u)) ?? [] : []),
    }),
    history: t.field({
      type: [SubmissionEventRef],
      description: 'Submitted / returned / extended, oldest first.',
      extensions: maxItems(() => 50),
      resolve: async (u, _, ctx) => (await unitLoaders(ctx).history.load(u)) ?? [],
    }),
    canSubmit: t.boolean({ resolve: (u, _, ctx) => ctx.access.can('submit', u.state.union.path) && (u.state.status === 'MISSING' || u.state.status === 'RETURNED') }),
    canReturn: t.boolean({ resolve: (u, _, ctx) => ctx.access.canAbove('approve', u.state.union.path) && (u.state.status === 'ON_TIME' || u.state.status === 'LATE') }),
    canExtend: t.boolean({ resolve: (u, _, ctx) => ctx.access.canAbove('approve', u.state.union.path) }),
  }),
});

const ContactRef = builder.objectRef<Contact>('Contact').implement({
  fields: (t) => ({ name: t.exposeString('name'), email: t.exposeString('email', { nullable: true }) }),
});

const ChaseEntryRef = builder.objectRef<ChaseEntry>('ChaseEntry').implement({
  description: 'A union late, missing or returned, with the reporters to remind.',
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: (c) => c.state.union }),
    status: t.field({ type: SubmissionStatusEnum, resolve: (c) => c.state.status }),
    daysLate: t.int({ nullable: true, resolve: (c) => c.state.daysLate }),
    deadline: t.field({ type: 'DateTime', resolve: (c) => c.state.deadline.toISOString() }),
    lastSubmittedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.state.lastSubmittedAt?.toISOString() ?? null }),
    reporters: t.field({ type: [ContactRef], extensions: maxItems(() => 20), resolve: (c) => c.reporters }),
  }),
});

const ReportingRoundRef = builder.objectRef<RoundRow>('ReportingRound').implement({
  description: 'A reporting round (đợt báo cáo): what each union of the levels that report must send, by when.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    periodFrom: t.exposeInt('periodFrom'),
    periodTo: t.exposeInt('periodTo'),
    year: t.exposeInt('year', { description: "The tree year: expected unions come from this year's tree." }),
    deadline: t.field({ type: 'DateTime', description: 'End of the deadline day, Asia/Ho_Chi_Minh.', resolve: (r) => r.deadline.toISOString() }),
    deadlineDate: t.string({ description: 'The deadline as its date in Asia/Ho_Chi_Minh (2017-12-10).', resolve: (r) => roundDate(r.deadline) }),
    levels: t.exposeIntList('levels'),
    indicators: t.exposeStringList('indicators', { extensions: maxItems(() => INDICATORS.length) }),
    years: t.exposeIntList('years', { extensions: maxItems(() => YEARS.length) }),
    scenarios: t.field({ type: [ScenarioEnum], resolve: (r) => r.scenarios }),
    reminderSteps: t.field({ type: [ReminderStepRef], resolve: (r) => r.reminderSteps }),
    sectionsRequired: t.exposeBoolean('sectionsRequired', { description: 'Unions must submit their required written-report sections first.' }),
    createdBy: t.exposeString('createdBy'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    now: t.field({ type: 'DateTime', description: "The server's clock (injectable: CLOCK), so screens say before/after the deadline right.", resolve: (_, __, ctx) => ctx.now().toISOString() }),
    completeness: t.field({
      type: CompletenessRef,
      args: { root: t.arg.string({ defaultValue: 'TLD' }) },
      resolve: (r, a, ctx) => (checkArgs(RootArgs, rooted(a)), completeness(ctx.db, ctx.access, r, rooted(a).root, ctx.now(), cacheOf(ctx))),
    }),
    completenessBelow: t.field({
      type: [CompletenessRef],
      description: "Completeness of each child subtree of the root (TLĐ: each level-1 union's part), read at once.",
      args: { root: t.arg.string({ defaultValue: 'TLD' }) },
      extensions: maxItems((a, s) => s.fanOut),
      resolve: (r, a, ctx) => (checkArgs(RootArgs, rooted(a)), completenessBelow(ctx.db, ctx.access, r, rooted(a).root, ctx.now(), cacheOf(ctx))),
    }),
    submissions: t.field({
      type: [UnitSubmissionRef],
      description: 'Expected unions 1 to `depth` levels below the root (those the caller reads), optionally of one status.',
      args: { root: t.arg.string({ defaultValue: 'TLD' }), status: t.arg({ type: SubmissionStatusEnum }), depth: t.arg.int({ defaultValue: 1 }) },
      extensions: maxItems((a, s) => subtreeOf(a.depth, s, a.root)),
      resolve: async (r, a, ctx) => {
        checkArgs(RootArgs, rooted(a));
        return (await submissions(ctx.db, ctx.access, r, rooted(a).root, { status: a.status, depth: a.depth ?? 1 }, ctx.now(), cacheOf(ctx))).map((state) => ({ round: r, state }));
      },
    }),
    unit: t.field({
      type: UnitSubmissionRef,
      args: { unionCode: t.arg.string({ required: true }) },
      resolve: async (r, a, ctx) => (checkArgs(UnitArgs, a), { round: r, state: await unitState(ctx.db, ctx.access, r, a.unionCode, ctx.now()) }),
    }),
    chaseList: t.field({
      type: [ChaseEntryRef],
      description: 'Late, missing and returned unions under the root with their reporters (reviewers only: FORBIDDEN for viewers and reporters).',
      args: { root: t.arg.string({ defaultValue: 'TLD' }) },
      extensions: maxItems((a, s) => subtreeOf(Infinity, s, a.root)),
      resolve: (r, a, ctx) => (checkArgs(RootArgs, rooted(a)), chaseList(ctx.db, ctx.access, r, rooted(a).root, ctx.now())),
    }),
  }),
});

/** The units a batch asks for, by round: each round's unions answered by one grouped query. */
async function byRound<V>(units: Unit[], read: (round: RoundRow, unions: UnionRow[]) => Promise<Map<number, V>>): Promise<(V | undefined)[]> {
  const rounds = new Map<number, Unit[]>();
  for (const u of units) (rounds.get(u.round.id) ?? rounds.set(u.round.id, []).get(u.round.id)!).push(u);
  const answers = new Map<number, Map<number, V>>();
  for (const [id, list] of rounds) answers.set(id, await read(list[0]!.round, [...new Map(list.map((u) => [u.state.union.id, u.state.union])).values()]));
  return units.map((u) => answers.get(u.round.id)!.get(u.state.union.id));
}

/** A request's blockers and histories of UnitSubmission rows: a `submissions` list is read in one query each, not per row. */
const requestUnitLoaders = new WeakMap<Context, { blockers: Loader<Unit, Blocker[]>; history: Loader<Unit, SubmissionEventRow[]> }>();
function unitLoaders(ctx: Context) {
  let l = requestUnitLoaders.get(ctx);
  if (!l) {
    l = {
      blockers: new Loader((units: Unit[]) => byRound(units, (round, unions) => blockersOfUnions(ctx.db, round, unions))),
      history: new Loader((units: Unit[]) => byRound(units, (round, unions) => historiesOf(ctx.db, round.id, unions.map((u) => u.id), ctx.now()))),
    };
    requestUnitLoaders.set(ctx, l);
  }
  return l;
}

/** One request's subtree reads, shared by its fields (completeness, completenessBelow, submissions). */
const requestCaches = new WeakMap<Context, StatesCache>();
const cacheOf = (ctx: Context): StatesCache => requestCaches.get(ctx) ?? requestCaches.set(ctx, new Map()).get(ctx)!;

builder.queryFields((t) => ({
  reportingRounds: t.field({ type: [ReportingRoundRef], description: 'Every reporting round, latest deadline first.', resolve: (_, __, ctx) => listRounds(ctx.db) }),
  reportingRound: t.field({ type: ReportingRoundRef, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_, { id }, ctx) => roundById(ctx.db, Number(id)) }),
}));

const ReminderStepInput = builder.inputType('ReminderStepInput', {
  fields: (t) => ({
    code: t.string({ required: true }), offsetDays: t.int({ required: true }), repeatEveryDays: t.int(),
    labelVi: t.string({ required: true }), labelEn: t.string({ required: true }),
  }),
});

const ReportingRoundInput = builder.inputType('ReportingRoundInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    periodFrom: t.int({ required: true }),
    periodTo: t.int({ required: true }),
    year: t.int({ required: true, description: "The tree year: expected unions come from this year's tree." }),
    deadline: t.string({ required: true, description: 'A date (2017-12-10): the end of that day in Asia/Ho_Chi_Minh.' }),
    levels: t.intList({ required: true }),
    indicators: t.stringList({ description: 'Default: every indicator with cells of its own.' }),
    years: t.intList({ description: 'Default: periodFrom–periodTo.' }),
    scenarios: t.field({ type: [ScenarioEnum], description: 'Default: actual and target (targets only where TLĐ sets them; actuals only up to `year`).' }),
    reminderSteps: t.field({ type: [ReminderStepInput], description: 'Default: 7 days and 1 day before, the day after, then weekly while missing.' }),
    sectionsRequired: t.boolean({ description: "Count the required written-report sections of each union's level in what it must submit (SECTION_MISSING blockers). Default false." }),
  }),
});

const RoundPartRef = builder.objectRef<{ union: UnionRow; deadline: Date }>('RoundPart').implement({
  description: "A level-1 union's own deadline for its children in a round.",
  fields: (t) => ({ union: t.field({ type: UnionRef, resolve: (p) => p.union }), deadline: t.field({ type: 'DateTime', resolve: (p) => p.deadline.toISOString() }) }),
});

builder.mutationFields((t) => ({
  createReportingRound: t.field({
    type: ReportingRoundRef,
    description: 'Administrators: open a round.',
    args: { input: t.arg({ type: ReportingRoundInput, required: true }) },
    resolve: (_, { input }, ctx) => {
      checkArgs(InputArgs, input);
      return createRound(ctx.db, ctx.access, {
        ...input, sectionsRequired: input.sectionsRequired ?? false, indicators: input.indicators ?? null, years: input.years ?? null, scenarios: input.scenarios?.map((s, i) => storedScenario(s, `input.scenarios.${i}`)) ?? null,
        reminderSteps: input.reminderSteps?.map((s) => ({ ...s, repeatEveryDays: s.repeatEveryDays ?? null })) ?? null,
      }, ctx.now());
    },
  }),
  submitUnitReport: t.field({
    type: UnitSubmissionRef,
    description: "A reporter submits the union's package; anything blocking → INCOMPLETE with extensions.blockers, and nothing is recorded.",
    args: { roundId: t.arg.id({ required: true }), unionCode: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => {
      checkArgs(UnitArgs, a);
      const { round, state, events } = await submitUnit(ctx.db, ctx.access, Number(a.roundId), a.unionCode, ctx.now());
      await ctx.bus.publish(events);
      return { round, state };
    },
  }),
  sendReminders: t.int({
    description:
      'A reviewer reminds chosen unions of a round by hand (still missing or returned, below one of your reviewing grants): each ' +
      "union's reporters get it in the app and by e-mail. Answers how many unions were reminded (a union with no reporter is not).",
    args: { roundId: t.arg.id({ required: true }), unionCodes: t.arg.stringList({ required: true }) },
    resolve: async (_, a, ctx) => {
      checkArgs(RemindArgs, a);
      const { sent, events } = await remindByHand(ctx.db, ctx.access, Number(a.roundId), a.unionCodes, ctx.now());
      await ctx.bus.publish(events);
      return sent;
    },
  }),
  returnUnitReport: t.field({
    type: UnitSubmissionRef,
    description: 'A reviewer above the union sends its submitted report back, with a reason.',
    args: { roundId: t.arg.id({ required: true }), unionCode: t.arg.string({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => {
      checkArgs(ReturnArgs, a);
      const { round, state, events } = await returnUnit(ctx.db, ctx.access, Number(a.roundId), a.unionCode, a.reason, ctx.now());
      await ctx.bus.publish(events);
      return { round, state };
    },
  }),
  grantExtension: t.field({
    type: UnitSubmissionRef,
    description: 'A reviewer above the union gives it a later deadline (a date) with a reason; VALIDATION if not after the original deadline or in a closed year.',
    args: { roundId: t.arg.id({ required: true }), unionCode: t.arg.string({ required: true }), deadline: t.arg.string({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => {
      checkArgs(ExtendArgs, a);
      const { round, state, events } = await grantExtension(ctx.db, ctx.access, Number(a.roundId), a.unionCode, { deadline: a.deadline, reason: a.reason }, ctx.now());
      await ctx.bus.publish(events);
      return { round, state };
    },
  }),
  setRoundPartDeadline: t.field({
    type: RoundPartRef,
    description: "A level-1 union's reviewer sets its own deadline for its children (no later than the round's).",
    args: { roundId: t.arg.id({ required: true }), unionCode: t.arg.string({ required: true }), deadline: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => {
      checkArgs(z.object({ unionCode, deadline: dateText }), a);
      return setPartDeadline(ctx.db, ctx.access, Number(a.roundId), a.unionCode, a.deadline, ctx.now());
    },
  }),
}));

