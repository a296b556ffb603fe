import { builder, ScenarioEnum } from './builder.js';
import { UnionRef } from './union.js';
import { approvalProgress, type ProgressRow } from '../domain/progress.js';
import { storedScenario } from '../domain/forecast-cells.js';
import { z } from 'zod';
import { checkArgs, unionCode, years } from '../hardening/input.js';
import { len, maxItems, subtreeOf } from '../hardening/cost.js';
import { readsOf } from '../db/readers.js';

// The hierarchy has four levels: a depth beyond 3 asks for nothing more.
const ProgressArgs = z.object({ root: unionCode, depth: z.number().int().min(0).max(3), years });

const ProgressRowRef = builder.objectRef<ProgressRow>('ApprovalProgress').implement({
  description: 'Counts over the union’s whole subtree for one year.',
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: (r) => r.union }),
    year: t.exposeInt('year'),
    draft: t.exposeInt('draft'),
    submitted: t.exposeInt('submitted'),
    approved: t.exposeInt('approved'),
    withProposal: t.exposeInt('withProposal'),
    openDiscrepancies: t.exposeInt('openDiscrepancies', { description: 'Open or explained, not yet decided.' }),
  }),
});

builder.queryFields((t) => ({
  approvalProgress: t.field({
    type: [ProgressRowRef],
    description:
      'Per union of `root` to `depth` × year: cells per status and open discrepancies, for a dashboard. Counts only what you may see: ' +
      'approved cells where you read figures; draft, submitted, proposals and discrepancies where you read unapproved ones.',
    args: {
      root: t.arg.string({ required: true }),
      depth: t.arg.int({ defaultValue: 1, required: true }),
      years: t.arg.intList({ required: true }),
      scenario: t.arg({ type: ScenarioEnum, defaultValue: 'actual', required: true }),
    },
    // One row per union of the subtree × year.
    extensions: maxItems((a, s) => subtreeOf(a.depth, s, a.root) * len(a.years, 1)),
    resolve: (_, a, ctx) => (checkArgs(ProgressArgs, a), approvalProgress(readsOf(ctx.db), a.root, a.depth, a.years, storedScenario(a.scenario, 'scenario'), ctx.access)),
  }),
}));
