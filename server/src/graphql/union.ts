import { UNION_KINDS, type UnionKind } from '@unionhub/schema';
import { builder, requireCaller } from './builder.js';
import {
  ancestorCodes, FIND_UNIONS_MAX, findUnions, searchUnions, subtree, successions, yearSpan, type UnionRow,
} from '../domain/unions.js';
import { DomainError } from '../domain/errors.js';
import { z } from 'zod';
import { checkArgs, text, unionCode } from '../hardening/input.js';
import { limitArg, maxItems, subtreeOf } from '../hardening/cost.js';

/** The most unions one `unions` call returns. */
const MAX_UNIONS = 5000;

const UnionsArgs = z.object({ parentCode: unionCode.nullish(), search: text(200).nullish() });
const UnionArgs = z.object({ code: unionCode });
const FindUnionsArgs = z.object({ text: text(200) });

export const UnionKindEnum = builder.enumType('UnionKind', {
  values: Object.fromEntries(UNION_KINDS.map((k) => [k.kind.toUpperCase(), { value: k.kind, description: `${k.labelVi} — ${k.labelEn} (level ${k.level})` }])),
});

export const UnionRef = builder.objectRef<UnionRow>('Union');

const SuccessionRef = builder.objectRef<{ union: UnionRow; year: number; kind: string }>('Succession').implement({
  description: 'A merge, split or rename: from `year` the successor carries on (part of) the predecessor.',
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: (s) => s.union }),
    year: t.exposeInt('year'),
    kind: t.exposeString('kind'),
  }),
});

UnionRef.implement({
  description: 'A trade union at one of the four levels: TLĐ, provincial/sectoral, direct superior, grassroots.',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    kind: t.field({ type: UnionKindEnum, resolve: (u) => u.kind as UnionKind }),
    level: t.exposeInt('level'),
    region: t.exposeString('region', { nullable: true }),
    gsoCode: t.exposeString('gsoCode', { nullable: true, description: "The statistics office's province code." }),
    validFrom: t.exposeInt('validFrom'),
    validTo: t.exposeInt('validTo', { nullable: true }),
    parent: t.field({
      type: UnionRef,
      nullable: true,
      resolve: (u, _, ctx) => (u.parentId === null ? null : ctx.unionById.load(u.parentId)),
    }),
    children: t.field({
      type: [UnionRef],
      args: { year: t.arg.int({ description: "Only children in that year's tree." }) },
      extensions: maxItems((_, s) => s.fanOut),
      resolve: async (u, args, ctx) => (await ctx.childrenOf.load(`${u.id}|${args.year ?? ''}`))!,
    }),
    ancestors: t.field({
      type: [UnionRef],
      description: 'From TLĐ down to the parent.',
      extensions: maxItems((_, s) => s.ancestors),
      resolve: async (u, _, ctx) => (await Promise.all(ancestorCodes(u.path).map((c) => ctx.unionByCode.load(c)))).filter((x): x is UnionRow => !!x),
    }),
    subtree: t.field({
      type: [UnionRef],
      description: 'This union and its descendants down to `depth` levels, depth-first.',
      args: { depth: t.arg.int({ defaultValue: 1, required: true }), year: t.arg.int() },
      extensions: maxItems((a, s) => subtreeOf(a.depth, s)),
      resolve: (u, args, ctx) => subtree(ctx.db, u, checkDepth(args.depth), yearSpan(args.year)),
    }),
    predecessors: t.field({
      type: [SuccessionRef],
      extensions: maxItems((_, s) => s.successions),
      resolve: async (u, _, ctx) =>
        Promise.all((await successions(ctx.db, 'successor', [u.id])).map(async (s) => ({ union: (await ctx.unionById.load(s.predecessorId))!, year: s.year, kind: s.kind }))),
    }),
    successors: t.field({
      type: [SuccessionRef],
      extensions: maxItems((_, s) => s.successions),
      resolve: async (u, _, ctx) =>
        Promise.all((await successions(ctx.db, 'predecessor', [u.id])).map(async (s) => ({ union: (await ctx.unionById.load(s.successorId))!, year: s.year, kind: s.kind }))),
    }),
  }),
});

builder.asEntity(UnionRef, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: (ref, ctx) => {
    requireCaller(ctx);
    // Batched: every Union of one `_entities` request is read in one query.
    return typeof ref.code === 'string' ? ctx.unionByCode.load(ref.code) : null;
  },
});

function checkDepth(depth: number): number {
  if (depth < 0 || depth > 3) throw new DomainError('VALIDATION', 'depth must be between 0 and 3');
  return depth;
}

builder.queryFields((t) => ({
  union: t.field({
    type: UnionRef,
    nullable: true,
    args: { code: t.arg.string({ required: true }) },
    resolve: (_, { code }, ctx) => (checkArgs(UnionArgs, { code }), ctx.unionByCode.load(code)),
  }),
  unions: t.field({
    type: [UnionRef],
    description: 'Unions by level, kind, parent, year and name; the name matches with or without Vietnamese diacritics.',
    args: {
      level: t.arg.int(),
      kind: t.arg({ type: UnionKindEnum }),
      parentCode: t.arg.string(),
      search: t.arg.string(),
      year: t.arg.int({ description: "Only unions in that year's tree." }),
      limit: t.arg.int({ defaultValue: 100, required: true }),
      offset: t.arg.int({ defaultValue: 0, required: true }),
    },
    extensions: maxItems((a, s) => Math.min(limitArg(MAX_UNIONS)(a, s, {}), s.unions)),
    resolve: (_, args, ctx) => {
      checkArgs(UnionsArgs, args);
      if (args.limit < 1 || args.limit > MAX_UNIONS) throw new DomainError('VALIDATION', `limit must be between 1 and ${MAX_UNIONS}`);
      if (args.offset < 0) throw new DomainError('VALIDATION', 'offset must be ≥ 0');
      return searchUnions(ctx.db, { ...args, kind: args.kind as string | null | undefined });
    },
  }),
  findUnions: t.field({
    type: [UnionRef],
    description: `Unions the caller may read whose name (with or without Vietnamese diacritics; đ reads as d) or code holds \`text\`, best first: exact, then starting with it, then a word starting with it, then anywhere. At most ${FIND_UNIONS_MAX}.`,
    args: {
      text: t.arg.string({ required: true }),
      year: t.arg.int({ description: "Only unions in that year's tree." }),
      limit: t.arg.int({ defaultValue: 10, required: true }),
    },
    extensions: maxItems(limitArg(FIND_UNIONS_MAX)),
    resolve: (_, args, ctx) => {
      checkArgs(FindUnionsArgs, { text: args.text });
      return findUnions(ctx.db, ctx.access, args.text, { limit: args.limit, year: args.year });
    },
  }),
}));
