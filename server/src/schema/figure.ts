import { indicator } from '@unionhub/schema';
import { builder, FigureStatusEnum, requireCaller, ScenarioEnum } from './builder.js';
import { UnionRef } from './union.js';
import { IndicatorRef } from './indicator.js';
import { figuresByKeys, figuresOfUnion, revisionsOf, visibleTo, writeFigures, type FigureRow, type RevisionRow } from '../domain/figures.js';
import { pathRange } from '../domain/db.js';
import { DomainError } from '../domain/errors.js';

export const FigureRef = builder.objectRef<FigureRow>('Figure');

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
  description: 'One cell: a union × indicator × year × scenario.',
  fields: (t) => ({
    unionCode: t.exposeString('unionCode'),
    indicatorCode: t.exposeString('indicatorCode'),
    year: t.exposeInt('year'),
    scenario: t.field({ type: ScenarioEnum, resolve: (f) => f.scenario }),
    value: t.exposeFloat('value', { nullable: true }),
    status: t.field({ type: FigureStatusEnum, resolve: (f) => f.status }),
    version: t.exposeInt('version', { description: 'Send it back with a write; a stale one is a CONFLICT.' }),
    updatedBy: t.exposeString('updatedBy'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    union: t.field({ type: UnionRef, resolve: async (f, _, ctx) => (await ctx.unionById.load(f.unionId))! }),
    indicator: t.field({ type: IndicatorRef, resolve: (f) => indicator(f.indicatorCode)! }),
    revisions: t.field({
      type: [RevisionRef],
      description: 'Every change, oldest first. Needs a role that reads unapproved values.',
      resolve: (f, _, ctx) => {
        if (!ctx.access.can('readUnapproved', f.unionPath)) throw new DomainError('FORBIDDEN', 'Your roles do not allow reading the history of this cell');
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
    return visibleTo(ctx.access, await figuresByKeys(ctx.db, [ref]))[0];
  },
});

const CellWriteInput = builder.inputType('CellWrite', {
  fields: (t) => ({
    unionCode: t.string({ required: true }),
    indicatorCode: t.string({ required: true }),
    year: t.int({ required: true }),
    scenario: t.field({ type: ScenarioEnum, required: true }),
    value: t.float({ required: false, description: 'null clears the cell.' }),
    expectedVersion: t.int({ required: true, description: 'The version you read; 0 for a cell that does not exist yet.' }),
  }),
});

const SetFiguresPayload = builder.objectRef<{ figures: FigureRow[] }>('SetFiguresPayload').implement({
  fields: (t) => ({ figures: t.field({ type: [FigureRef], resolve: (p) => p.figures }) }),
});

const FiguresChangedRef = builder.objectRef<{ actor: string; figures: FigureRow[] }>('FiguresChanged').implement({
  fields: (t) => ({
    actor: t.exposeString('actor'),
    figures: t.field({ type: [FigureRef], resolve: (e) => e.figures }),
  }),
});

export const MAX_BATCH = 5000;

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
    resolve: async (_, args, ctx) => visibleTo(ctx.access, await figuresByKeys(ctx.db, [args]))[0],
  }),
  figures: t.field({
    type: [FigureRef],
    description: "A union's cells, optionally for one year and scenario.",
    args: { unionCode: t.arg.string({ required: true }), year: t.arg.int(), scenario: t.arg({ type: ScenarioEnum }) },
    resolve: (_, args, ctx) => figuresOfUnion(ctx.db, args.unionCode, args.year ?? null, args.scenario ?? null, ctx.access),
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
      if (cells.length > MAX_BATCH) throw new DomainError('VALIDATION', `At most ${MAX_BATCH} cells per batch`);
      const writes = cells.map((c) => ({ ...c, value: c.value ?? null }));
      const { figures } = await writeFigures(ctx.db, writes, { access: ctx.access, reason });
      ctx.events.publish('figuresChanged', { actor: ctx.actor, figures });
      return { figures };
    },
  }),
}));

builder.subscriptionFields((t) => ({
  figuresChanged: t.field({
    type: FiguresChangedRef,
    description: 'Cells written by anyone, as they are written; `root` limits it to a subtree.',
    args: { root: t.arg.string() },
    subscribe: async function* (_, { root }, ctx) {
      const rootUnion = root ? await ctx.unionByCode.load(root) : null;
      const [lo, hi] = rootUnion ? pathRange(rootUnion.path) : ['', '\uffff'];
      for await (const e of ctx.events.subscribe('figuresChanged')) {
        const figures = visibleTo(ctx.access, e.figures).filter((f) => f.unionPath >= lo && f.unionPath < hi);
        if (figures.length > 0) yield { actor: e.actor, figures };
      }
    },
    resolve: (e) => e,
  }),
}));
