import { indicator, INDICATORS, SKIP_REASONS, YEARS, type ReadScenario } from '@unionhub/schema';
import { builder, FigureStatusEnum, requireCaller, ScenarioEnum } from './builder.js';
import { UnionRef } from './union.js';
import { IndicatorRef } from './indicator.js';
import { figuresByKeys, figuresOfUnion, revisionsOf, visibleTo, type FigureRow, type RevisionRow } from '../domain/figures.js';
import { writeFigures } from '../domain/figure-writes.js';
import { DomainError, said } from '../domain/errors.js';
import { forecastFiguresOf, storedCells, storedScenario, type ForecastFigure } from '../domain/forecast-cells.js';
import { MessageParamRef, paramList } from './message.js';
import { comment, commentsOf, propose, transition, type CommentRow, type Selection, type Skip, type Transition, type TransitionResult } from '../domain/approval.js';
import { cellLoaderKey, underRoot, type Context } from '../context.js';
import { z } from 'zod';
import { LIMITS } from '../config.js';
import { cellBatch, cellKey, checkArgs, indicatorCode, optionalText, text, unionCode, year } from '../hardening/input.js';
import { len, maxItems, subtreeOf } from '../hardening/cost.js';
import type { TreeShape } from '../domain/unions.js';

/** A stored cell, or a forecast read as one (scenario FORECAST: read-only, see domain/forecast-cells.ts). */
export const FigureRef = builder.objectRef<FigureRow | ForecastFigure>('Figure');

const CommentRef = builder.objectRef<CommentRow>('Comment').implement({
  fields: (t) => ({
    id: t.exposeInt('id'),
    author: t.exposeString('author'),
    at: t.expose('at', { type: 'DateTime' }),
    text: t.exposeString('text'),
  }),
});

const RevisionRef = builder.objectRef<RevisionRow>('FigureRevision').implement({
  description: 'One change to a cell, kept forever.',
  fields: (t) => ({
    change: t.exposeString('change'),
    beforeValue: t.exposeFloat('beforeValue', { nullable: true }),
    afterValue: t.exposeFloat('afterValue', { nullable: true }),
    beforeStatus: t.field({ type: FigureStatusEnum, nullable: true, resolve: (r) => r.beforeStatus as never }),
    afterStatus: t.field({ type: FigureStatusEnum, nullable: true, resolve: (r) => r.afterStatus as never }),
    version: t.exposeInt('version'),
    actor: t.exposeString('actor'),
    at: t.expose('at', { type: 'DateTime' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

FigureRef.implement({
  description: 'One cell: a union × indicator × year × scenario. A FORECAST cell is read-only: no status, version 0, no proposal, approval, comments or history.',
  fields: (t) => ({
    unionCode: t.exposeString('unionCode'),
    indicatorCode: t.exposeString('indicatorCode'),
    year: t.exposeInt('year'),
    scenario: t.field({ type: ScenarioEnum, resolve: (f) => f.scenario }),
    value: t.exposeFloat('value', { nullable: true }),
    status: t.field({ type: FigureStatusEnum, nullable: true, description: 'Null only for a FORECAST cell, which is computed, never written or approved.', resolve: (f) => f.status }),
    version: t.exposeInt('version', { description: 'Send it back with a write; a stale one is a CONFLICT.' }),
    updatedBy: t.exposeString('updatedBy'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    proposedValue: t.exposeFloat('proposedValue', { nullable: true, description: 'A correction waiting for approval; `value` stays the approved one until then.' }),
    proposedBy: t.exposeString('proposedBy', { nullable: true }),
    proposedAt: t.expose('proposedAt', { type: 'DateTime', nullable: true }),
    approvedBy: t.exposeString('approvedBy', { nullable: true }),
    approvedAt: t.expose('approvedAt', { type: 'DateTime', nullable: true }),
    comments: t.field({
      type: [CommentRef],
      resolve: (f, _, ctx) => {
        if (f.scenario === 'forecast') return [];
        ctx.access.requireUnapproved(f.unionPath, 'comments');
        return commentsOf(ctx.db, f.id);
      },
    }),
    union: t.field({ type: UnionRef, resolve: async (f, _, ctx) => (await ctx.unionById.load(f.unionId))! }),
    indicator: t.field({ type: IndicatorRef, resolve: (f) => indicator(f.indicatorCode)! }),
    revisions: t.field({
      type: [RevisionRef],
      description: 'Every change, oldest first. Needs a role that reads unapproved values.',
      resolve: (f, _, ctx) => {
        if (f.scenario === 'forecast') return [];
        ctx.access.requireUnapproved(f.unionPath, 'the history of a cell');
        return revisionsOf(ctx.db, f.id);
      },
    }),
  }),
});

builder.asEntity(FigureRef, {
  key: builder.selection<{ unionCode: string; indicatorCode: string; year: number; scenario: 'actual' | 'target' }>(
    'unionCode indicatorCode year scenario',
  ),
  resolveReference: async (ref, ctx) => {
    requireCaller(ctx);
    // A gateway sends the scenario as it was serialised (the enum's name, ACTUAL).
    const scenario = String(ref.scenario).toLowerCase() as 'actual' | 'target';
    // A representation is the caller's JSON: one of the wrong shape names no cell. The loader reads every cell of the request at once.
    if (!cellKey.safeParse({ ...ref, scenario }).success) return null;
    const cell = await ctx.figureByCell.load(cellLoaderKey({ ...ref, scenario }));
    return visibleTo(ctx.access, cell ? [cell] : [])[0];
  },
});

/** The coordinates of a cell, shared by every input that names one. */
const cellKeyFields = (t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<object>, 'InputObject'>) => ({
  unionCode: t.string({ required: true }),
  indicatorCode: t.string({ required: true }),
  year: t.int({ required: true }),
  scenario: t.field({ type: ScenarioEnum, required: true }),
});

const CellKeyInput = builder.inputType('CellKey', { fields: (t) => cellKeyFields(t as never) });

const CellWriteInput = builder.inputType('CellWrite', {
  fields: (t) => ({
    ...cellKeyFields(t as never),
    value: t.float({ required: false, description: 'null clears the cell.' }),
    expectedVersion: t.int({ required: true, description: 'The version you read; 0 for a cell that does not exist yet.' }),
  }),
});

const SetFiguresPayload = builder.objectRef<{ figures: FigureRow[] }>('SetFiguresPayload').implement({
  fields: (t) => ({ figures: t.field({ type: [FigureRef], extensions: maxItems((_, _s, w) => len(w.cells, MAX_BATCH)), resolve: (p) => p.figures }) }),
});

const FiguresChangedRef = builder.objectRef<{ actor: string; figures: FigureRow[] }>('FiguresChanged').implement({
  fields: (t) => ({
    actor: t.exposeString('actor'),
    figures: t.field({ type: [FigureRef], resolve: (e) => e.figures }),
  }),
});

export const MAX_BATCH = LIMITS.MAX_CELLS_PER_WRITE;

// Bounds GraphQL's types cannot state; the domain still judges years, values and versions per cell.
const reasonArg = optionalText(1_000);
const SetFiguresArgs = z.object({ cells: cellBatch(z.object({ unionCode, indicatorCode })), reason: reasonArg });
const SelectionArgs = z.object({
  selection: z.object({ cells: cellBatch(cellKey).nullish(), lenient: z.boolean().nullish(), unitYear: z.object({ unionCode, year }).nullish(), subtree: z.object({ root: unionCode, year }).nullish() }),
  reason: reasonArg,
});
// The value's range is the domain's check (checkValue: per unit, naming the cell).
const CellArgs = z.object({ cell: cellKey, reason: reasonArg, text: text().optional() });

builder.queryFields((t) => ({
  figure: t.field({
    type: FigureRef,
    nullable: true,
    args: {
      unionCode: t.arg.string({ required: true }),
      indicatorCode: t.arg.string({ required: true }),
      year: t.arg.int({ required: true }),
      scenario: t.arg({ type: ScenarioEnum, required: true }),
    },
    resolve: async (_, args, ctx) => {
      const scenario = args.scenario;
      if (scenario === 'forecast') return (await forecastFiguresOf(ctx.db, ctx.access, args.unionCode, { indicator: args.indicatorCode, year: args.year }))[0];
      return visibleTo(ctx.access, await figuresByKeys(ctx.db, [{ ...args, scenario }]))[0];
    },
  }),
  figures: t.field({
    type: [FigureRef],
    description: "A union's cells, optionally for one year and scenario; without `scenario` the stored ones (ACTUAL and TARGET), FORECAST only when asked (FORBIDDEN where you may not read the union's figures).",
    args: { unionCode: t.arg.string({ required: true }), year: t.arg.int(), scenario: t.arg({ type: ScenarioEnum }) },
    // One cell per indicator × year × scenario of the catalogue.
    extensions: maxItems((a) => INDICATORS.length * (a.year == null ? YEARS.length : 1) * (a.scenario == null ? 2 : 1)),
    resolve: (_, args, ctx) => {
      const scenario = args.scenario ?? null;
      if (scenario === 'forecast') return forecastFiguresOf(ctx.db, ctx.access, args.unionCode, { year: args.year });
      return figuresOfUnion(ctx.db, args.unionCode, args.year ?? null, scenario, ctx.access);
    },
  }),
}));

builder.mutationFields((t) => ({
  setFigures: t.field({
    type: SetFiguresPayload,
    description:
      'Write a batch of cells in one transaction. Any bad cell refuses the whole batch with one error per bad cell ' +
      '(extensions.code VALIDATION, NOT_FOUND, CONFLICT or LOCKED; extensions.index is its place in `cells`).',
    args: {
      cells: t.arg({ type: [CellWriteInput], required: true }),
      reason: t.arg.string(),
    },
    resolve: async (_, { cells, reason }, ctx) => {
      checkArgs(SetFiguresArgs, { cells, reason });
      if (cells.length > MAX_BATCH) throw new DomainError('VALIDATION', `At most ${MAX_BATCH} cells per batch`, said('batch.tooLarge', { limit: MAX_BATCH }));
      const writes = storedCells(cells, 'cells').map((c) => ({ ...c, value: c.value ?? null }));
      const { figures, events } = await writeFigures(ctx.db, writes, { access: ctx.access, reason });
      await ctx.bus.publish(events);
      return { figures };
    },
  }),
}));

builder.subscriptionFields((t) => ({
  figuresChanged: t.field({
    type: FiguresChangedRef,
    description:
      'Cells written by anyone, as they are written; `root` limits it to a subtree (FORBIDDEN where you may read nothing). ' +
      'Who reads approved figures only hears of approvals, without proposals.',
    args: { root: t.arg.string() },
    // Checked before the stream starts: a refusal is then the subscription's answer, not an error thrown mid-stream.
    subscribe: async (_, { root }, ctx) => {
      const inside = await underRoot(ctx, root);
      ctx.access.requireSomethingUnder(root ? (await ctx.unionByCode.load(root))!.path : '/', 'read', 'figures');
      return (async function* () {
        for await (const e of ctx.bus.subscribe('figuresChanged')) {
          const figures = ctx.access.changed(e.figures).filter((f) => inside(f.unionPath));
          if (figures.length > 0) yield { actor: e.actor, figures };
        }
      })();
    },
    resolve: (e) => e,
  }),
}));

const UnitYearInput = builder.inputType('UnitYear', {
  fields: (t) => ({
    unionCode: t.string({ required: true }),
    year: t.int({ required: true }),
    scenario: t.field({ type: ScenarioEnum, required: true }),
  }),
});

const SubtreeInput = builder.inputType('SubtreeYear', {
  fields: (t) => ({
    root: t.string({ required: true }),
    year: t.int({ required: true }),
    scenario: t.field({ type: ScenarioEnum, required: true }),
    onlyPassing: t.boolean({ required: true, defaultValue: true, description: 'Skip cells that an open error-severity discrepancy is about.' }),
  }),
});

const SelectionInput = builder.inputType('FigureSelection', {
  description:
    'Exactly one of: a list of cells (all must qualify, or nothing moves — unless `lenient`), a unit-year, or a subtree-year ' +
    '(what qualifies moves; the rest is counted with its reason).',
  fields: (t) => ({
    cells: t.field({ type: [CellKeyInput] }),
    lenient: t.boolean({
      required: true,
      defaultValue: false,
      description:
        'With `cells`: move the cells that can move and count the rest in `skipped` / `reasons` (as a unit-year or a subtree does) ' +
        'instead of refusing the whole list. Default false (all or nothing): API callers rely on a list being applied whole or not at all. ' +
        'A refused list carries each cell\'s reason code in `extensions.reason`.',
    }),
    unitYear: t.field({ type: UnitYearInput }),
    subtree: t.field({ type: SubtreeInput }),
  }),
});

const SkipReasonEnum = builder.enumType('SkipReason', {
  description: 'Why a cell did not move, for the client to word in the page\'s language (schema/src/errors.ts SKIP_REASONS).',
  values: Object.fromEntries(Object.keys(SKIP_REASONS).map((k) => [k, { value: k }])) as Record<keyof typeof SKIP_REASONS, { value: keyof typeof SKIP_REASONS }>,
});

const SkipParamsRef = builder.objectRef<Skip['params']>('SkipParams').implement({
  description: 'What a reason is about, where the caller may read it (null otherwise).',
  fields: (t) => ({
    status: t.field({ type: FigureStatusEnum, nullable: true, description: 'The status the cells were in.', resolve: (p) => p.status }),
    withProposal: t.boolean({ nullable: true, description: 'The cells are approved with a correction pending.', resolve: (p) => p.withProposal }),
  }),
});

const SkippedRef = builder.objectRef<TransitionResult['skipped'][number]>('SkippedCell').implement({
  fields: (t) => ({
    code: t.field({ type: SkipReasonEnum, resolve: (s) => s.code }),
    params: t.field({ type: SkipParamsRef, resolve: (s) => s.params }),
    unionCode: t.string({ resolve: (s) => s.cell.unionCode }),
    indicatorCode: t.string({ resolve: (s) => s.cell.indicatorCode }),
    year: t.int({ resolve: (s) => s.cell.year }),
    scenario: t.field({ type: ScenarioEnum, resolve: (s) => s.cell.scenario }),
    reason: t.exposeString('reason'),
    key: t.string({ description: 'The reason as a message key of schema/src/messages.ts.', resolve: (s) => s.said.key }),
    keyParams: t.field({ type: [MessageParamRef], description: 'The parameters of `key`.', resolve: (s) => paramList(s.said.params) }),
  }),
});

type ReasonCount = Pick<Skip, 'code' | 'params' | 'reason' | 'said'> & { count: number };

const ReasonCountRef = builder.objectRef<ReasonCount>('ReasonCount').implement({
  description: 'Cells skipped for one reason: its code and parameters (to word in the page\'s language), the English `reason`, and how many.',
  fields: (t) => ({
    reason: t.exposeString('reason', { description: 'In English, for API callers; a page words `code` and `params` itself.' }),
    count: t.exposeInt('count'),
    code: t.field({ type: SkipReasonEnum, resolve: (r) => r.code }),
    params: t.field({ type: SkipParamsRef, resolve: (r) => r.params }),
    key: t.string({ description: 'The reason as a message key of schema/src/messages.ts.', resolve: (r) => r.said.key }),
    keyParams: t.field({ type: [MessageParamRef], description: 'The parameters of `key`.', resolve: (r) => paramList(r.said.params) }),
  }),
});

const TransitionPayload = builder.objectRef<TransitionResult>('TransitionPayload').implement({
  fields: (t) => ({
    movedCount: t.int({ resolve: (r) => r.moved.length }),
    // Bound by the selection of the mutation above: its cells, one unit-year's indicators, or a whole subtree-year.
    moved: t.field({ type: [FigureRef], extensions: maxItems((_, s, m) => movedAtMost(m.selection as SelectionArg | undefined, s)), resolve: (r) => r.moved }),
    skippedCount: t.int({ resolve: (r) => r.skipped.length }),
    skipped: t.field({ type: [SkippedRef], args: { limit: t.arg.int({ defaultValue: 100, required: true }) }, resolve: (r, a) => r.skipped.slice(0, a.limit) }),
    reasons: t.field({
      type: [ReasonCountRef],
      description: 'Why cells did not move, counted per reason (its code, parameters and English text), in the order first met.',
      resolve: (r) => {
        const counts = new Map<string, ReasonCount>();
        for (const { code, params, reason, said: says } of r.skipped) {
          const key = JSON.stringify([code, params.status, params.withProposal, reason]);
          const seen = counts.get(key);
          if (seen) seen.count++;
          else counts.set(key, { code, params, reason, said: says, count: 1 });
        }
        return [...counts.values()];
      },
    }),
  }),
});

function movedAtMost(s: SelectionArg | undefined, shape: TreeShape): number {
  if (s?.cells) return len(s.cells, MAX_BATCH);
  if (s?.unitYear) return INDICATORS.length;
  return subtreeOf(Infinity, shape, s?.subtree?.root) * INDICATORS.length;
}

type SelectionArg = { cells?: { unionCode: string; indicatorCode: string; year: number; scenario: ReadScenario }[] | null; lenient?: boolean | null; unitYear?: { unionCode: string; year: number; scenario: ReadScenario } | null; subtree?: { root: string; year: number; scenario: ReadScenario; onlyPassing: boolean } | null };

function toSelection(s: SelectionArg): Selection {
  const given = [s.cells, s.unitYear, s.subtree].filter((x) => x !== null && x !== undefined);
  if (s.lenient && !s.cells) throw new DomainError('VALIDATION', '`lenient` applies to a list of cells (a unit-year or a subtree is always lenient)');
  if (given.length !== 1) throw new DomainError('VALIDATION', 'Give exactly one of cells, unitYear, subtree');
  if (s.cells) {
    if (s.cells.length === 0 || s.cells.length > MAX_BATCH) throw new DomainError('VALIDATION', `Give 1 to ${MAX_BATCH} cells`);
    return { cells: storedCells(s.cells, 'selection.cells'), lenient: s.lenient ?? false };
  }
  if (s.unitYear) return { unitYear: { ...s.unitYear, scenario: storedScenario(s.unitYear.scenario, 'selection.unitYear.scenario') } };
  return { subtree: { ...s.subtree!, scenario: storedScenario(s.subtree!.scenario, 'selection.subtree.scenario') } };
}

async function run(ctx: Context, kind: Transition, selection: SelectionArg, reason?: string | null) {
  checkArgs(SelectionArgs, { selection, reason });
  const result = await transition(ctx.db, kind, toSelection(selection), { access: ctx.access, reason });
  await ctx.bus.publish(result.events);
  return result;
}

builder.mutationFields((t) => ({
  submitFigures: t.field({
    type: TransitionPayload,
    description: 'draft → submitted (reporters).',
    args: { selection: t.arg({ type: SelectionInput, required: true }) },
    resolve: (_, a, ctx) => run(ctx, 'submit', a.selection),
  }),
  approveFigures: t.field({
    type: TransitionPayload,
    description:
      'submitted → approved, or approve a proposal (reviewers). With `subtree` and onlyPassing: "approve all that pass". ' +
      'Four-eyes: not by the user who wrote the value or proposed the correction (FORBIDDEN in a list; skipped, with its reason, otherwise).',
    args: { selection: t.arg({ type: SelectionInput, required: true }) },
    resolve: (_, a, ctx) => run(ctx, 'approve', a.selection),
  }),
  sendBackFigures: t.field({
    type: TransitionPayload,
    description: 'submitted → draft, or reject a proposal, with a reason (reviewers).',
    args: { selection: t.arg({ type: SelectionInput, required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_, a, ctx) => run(ctx, 'sendBack', a.selection, a.reason),
  }),
  reopenFigures: t.field({
    type: TransitionPayload,
    description: 'approved → draft, with a reason (reviewers).',
    args: { selection: t.arg({ type: SelectionInput, required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_, a, ctx) => run(ctx, 'reopen', a.selection, a.reason),
  }),
  proposeFigure: t.field({
    type: FigureRef,
    description: 'Propose a correction to an approved cell; the approved value stays in force until the proposal is approved.',
    args: { cell: t.arg({ type: CellKeyInput, required: true }), value: t.arg.float({ required: true }), expectedVersion: t.arg.int({ required: true }), reason: t.arg.string() },
    resolve: async (_, a, ctx) => {
      checkArgs(CellArgs, a);
      const cell = { ...a.cell, scenario: storedScenario(a.cell.scenario, 'cell.scenario') };
      const { figure, events } = await propose(ctx.db, { ...cell, value: a.value, expectedVersion: a.expectedVersion }, { access: ctx.access, reason: a.reason });
      await ctx.bus.publish(events);
      return figure;
    },
  }),
  commentFigure: t.field({
    type: FigureRef,
    args: { cell: t.arg({ type: CellKeyInput, required: true }), text: t.arg.string({ required: true }) },
    resolve: (_, a, ctx) => {
      checkArgs(CellArgs, a);
      return comment(ctx.db, { ...a.cell, scenario: storedScenario(a.cell.scenario, 'cell.scenario') }, a.text, ctx.access);
    },
  }),
}));
