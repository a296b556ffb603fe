/** Commendation proposals over GraphQL (issue 15): a root's list, proposing, deciding. */
import { COMMENDATION_KINDS, COMMENDATION_LIMITS as N, COMMENDATION_STATUSES, type CommendationKind, type CommendationStatus } from '@unionhub/schema';
import { z } from 'zod';
import { builder } from './builder.js';
import { UnionRef } from './union.js';
import { decide, listProposals, propose, type CitedProposal } from '../domain/commendations.js';
import { checkArgs, optionalText, text, unionCode } from '../hardening/input.js';
import { maxItems } from '../hardening/cost.js';

const ProposeArgs = z.object({
  root: unionCode, unionCode, personName: optionalText(N.personName), position: optionalText(N.position), achievement: text(N.achievement),
});
const DecideArgs = z.object({ id: z.string().max(12).regex(/^\d+$/, 'must be a proposal id'), reason: optionalText(N.reason) });

const KindEnum = builder.enumType('CommendationKind', {
  description: COMMENDATION_KINDS.map((k) => `${k.kind}: ${k.labelVi} — ${k.labelEn}`).join('; '),
  values: COMMENDATION_KINDS.map((k) => k.kind) as unknown as readonly CommendationKind[],
});
const StatusEnum = builder.enumType('CommendationStatus', {
  description: COMMENDATION_STATUSES.map((s) => `${s.status}: ${s.labelVi} — ${s.labelEn}`).join('; '),
  values: COMMENDATION_STATUSES.map((s) => s.status) as unknown as readonly CommendationStatus[],
});

const ProposalRef = builder.objectRef<CitedProposal>('CommendationProposal').implement({
  description: 'A proposal for commendation (khen thưởng) in a root\'s list: a collective (a union) or an individual in a union.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: KindEnum, resolve: (p) => p.kind }),
    union: t.field({ type: UnionRef, description: 'The collective, or the individual\'s union.', resolve: (p) => p.union }),
    personName: t.exposeString('personName', { nullable: true }),
    position: t.exposeString('position', { nullable: true }),
    achievement: t.exposeString('achievement'),
    rank: t.int({
      nullable: true,
      description: "The union's rank in the ranking table of the root's latest report, and its % achieved of the first ranking key; null when not ranked. " +
        "An individual cites the row of its unit on the way down from the root (its level-1 union under TLĐ); a collective further down than the root's children cites its own % and no rank. From approved figures as they stand now.",
      resolve: (p) => p.rank,
    }),
    percentAchieved: t.float({ nullable: true, resolve: (p) => p.percentAchieved }),
    status: t.field({ type: StatusEnum, resolve: (p) => p.status }),
    reason: t.exposeString('reason', { nullable: true }),
    proposedBy: t.exposeString('proposedBy'),
    proposedAt: t.expose('proposedAt', { type: 'DateTime' }),
    decidedBy: t.exposeString('decidedBy', { nullable: true }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
  }),
});

/** `root: String = "TLD"`: an explicit null is TLĐ too. */
const rootOf = (root: string | null | undefined) => root ?? 'TLD';

builder.queryFields((t) => ({
  commendationProposals: t.field({
    type: [ProposalRef],
    description: `A root's commendation proposals that the caller may see (all of them where it reads unapproved figures of the union, else the approved ones), in the order proposed; at most ${N.listed}.`,
    args: { root: t.arg.string({ defaultValue: 'TLD' }) },
    extensions: maxItems(() => N.listed),
    resolve: (_, a, ctx) => {
      checkArgs(z.object({ root: unionCode }), { root: rootOf(a.root) });
      return listProposals(ctx.db, ctx.access, rootOf(a.root));
    },
  }),
}));

const ProposeInput = builder.inputType('ProposeCommendationInput', {
  fields: (t) => ({
    root: t.string({ defaultValue: 'TLD' }),
    kind: t.field({ type: KindEnum, required: true }),
    unionCode: t.string({ required: true }),
    personName: t.string({ description: 'Required for INDIVIDUAL, refused for COLLECTIVE.' }),
    position: t.string(),
    achievement: t.string({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  proposeCommendation: t.field({
    type: ProposalRef,
    description: 'A reporter or reviewer of the union or above proposes it (COLLECTIVE: a union below the root) or a person in it (INDIVIDUAL) in the root\'s list.',
    args: { input: t.arg({ type: ProposeInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      const root = rootOf(input.root);
      checkArgs(ProposeArgs, { ...input, root });
      const { proposal, events } = await propose(ctx.db, ctx.access, { ...input, root }, ctx.now());
      await ctx.bus.publish(events);
      return proposal;
    },
  }),
  decideCommendation: t.field({
    type: ProposalRef,
    description: 'A reviewer above the union (with the right to approve in the root\'s list), not the proposer, approves or rejects a proposal once; a rejection needs a reason.',
    args: { id: t.arg.id({ required: true }), approve: t.arg.boolean({ required: true }), reason: t.arg.string() },
    resolve: async (_, a, ctx) => {
      checkArgs(DecideArgs, { ...a, id: String(a.id) });
      const { proposal, events } = await decide(ctx.db, ctx.access, Number(a.id), a.approve, a.reason, ctx.now());
      await ctx.bus.publish(events);
      return proposal;
    },
  }),
}));
