import { indicator, RULE_SIDES, RULES, type RuleDef } from '@unionhub/schema';
import { builder, ScenarioEnum } from './builder.js';
import { UnionRef } from './union.js';
import { IndicatorRef } from './indicator.js';
import { underRoot } from '../context.js';
import { decide, discrepancyById, discrepancyHistory, DISCREPANCY_STATES, drillDown, listDiscrepancies, type DiscrepancyRevisionRow, type DrillDownRow } from '../domain/discrepancies.js';
import { storedScenario } from '../domain/forecast-cells.js';
import { involvedIndicators } from '../domain/rules.js';
import { reconcileAll, type DiscrepancyRow, type SyncReport } from '../domain/reconcile.js';
import { z } from 'zod';
import { checkArgs, limit, offset, text, unionCode } from '../hardening/input.js';
import { limitArg, maxItems } from '../hardening/cost.js';

/** The most discrepancies one `discrepancies` call returns. */
const MAX_DISCREPANCIES = 10_000;
const DiscrepanciesArgs = z.object({ root: unionCode, ruleId: text(100).nullish(), involving: text(100).nullish(), states: z.array(z.string()).max(DISCREPANCY_STATES.length).nullish(), limit: limit(MAX_DISCREPANCIES), offset });
const DecisionArgs = z.object({ text: text() });

const StateEnum = builder.enumType('DiscrepancyState', {
  values: Object.fromEntries(DISCREPANCY_STATES.map((s) => [s.toUpperCase(), { value: s }])),
});

const RuleRef = builder.objectRef<RuleDef>('Rule').implement({
  description: 'A reconciliation rule (data in schema/src/rules.ts).',
  fields: (t) => ({
    id: t.exposeString('id'),
    kind: t.exposeString('kind'),
    severity: t.exposeString('severity'),
    labelVi: t.exposeString('labelVi'),
    labelEn: t.exposeString('labelEn'),
    leftLabelVi: t.string({ description: 'What the left side (leftValue) is.', resolve: (r) => RULE_SIDES[r.kind].leftVi }),
    leftLabelEn: t.string({ resolve: (r) => RULE_SIDES[r.kind].leftEn }),
    rightLabelVi: t.string({ description: 'What the right side (rightValue) is; difference = left − right.', resolve: (r) => RULE_SIDES[r.kind].rightVi }),
    rightLabelEn: t.string({ resolve: (r) => RULE_SIDES[r.kind].rightEn }),
  }),
});

const DrillDownRef = builder.objectRef<DrillDownRow>('DrillDownRow').implement({
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: async (r, _, ctx) => (await ctx.unionById.load(r.unionId))! }),
    value: t.exposeFloat('value', { nullable: true }),
    status: t.exposeString('status', { nullable: true }),
  }),
});

const DiscrepancyRevisionRef = builder.objectRef<DiscrepancyRevisionRow>('DiscrepancyRevision').implement({
  fields: (t) => ({
    change: t.exposeString('change'),
    beforeState: t.field({ type: StateEnum, nullable: true, resolve: (r) => r.beforeState as never }),
    afterState: t.field({ type: StateEnum, resolve: (r) => r.afterState as never }),
    difference: t.exposeFloat('difference', { nullable: true }),
    actor: t.exposeString('actor'),
    at: t.expose('at', { type: 'DateTime' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

export const DiscrepancyRef = builder.objectRef<DiscrepancyRow>('Discrepancy').implement({
  description: 'A failed rule on one union × indicator × year × scenario, with both sides and its life: open → explained → accepted/waived, or resolved by an edit.',
  fields: (t) => ({
    id: t.exposeInt('id'),
    rule: t.field({ type: RuleRef, resolve: (d) => RULES.find((r) => r.id === d.ruleId)! }),
    severity: t.exposeString('severity'),
    union: t.field({ type: UnionRef, resolve: async (d, _, ctx) => (await ctx.unionById.load(d.unionId))! }),
    indicator: t.field({ type: IndicatorRef, resolve: (d) => indicator(d.indicatorCode)! }),
    year: t.exposeInt('year'),
    scenario: t.field({ type: ScenarioEnum, resolve: (d) => d.scenario }),
    state: t.field({ type: StateEnum, resolve: (d) => d.state as never }),
    leftValue: t.exposeFloat('leftValue', { nullable: true, description: 'The reported side (the parent, the stock, the part…).' }),
    rightValue: t.exposeFloat('rightValue', { nullable: true, description: 'What the rule expects (the children’s sum, last year + flows…).' }),
    difference: t.exposeFloat('difference', { nullable: true }),
    message: t.exposeString('message'),
    explanation: t.exposeString('explanation', { nullable: true }),
    explainedBy: t.exposeString('explainedBy', { nullable: true, description: 'Who wrote the explanation (username).' }),
    explainedAt: t.expose('explainedAt', { type: 'DateTime', nullable: true }),
    indicators: t.field({
      type: [IndicatorRef],
      description: 'Every indicator whose cells the rule compared here (the key indicator first).',
      resolve: (d) => involvedIndicators(d.ruleId, d.indicatorCode).flatMap((c) => indicator(c) ?? []),
    }),
    decidedBy: t.exposeString('decidedBy', { nullable: true }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    decisionReason: t.exposeString('decisionReason', { nullable: true }),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime' }),
    drillDown: t.field({ type: [DrillDownRef], description: 'For a hierarchy discrepancy: the children’s values.', resolve: (d, _, ctx) => drillDown(ctx.db, d) }),
    history: t.field({ type: [DiscrepancyRevisionRef], resolve: (d, _, ctx) => discrepancyHistory(ctx.db, d.id) }),
  }),
});

const ReportRef = builder.objectRef<SyncReport>('ReconciliationReport').implement({
  fields: (t) => ({
    checked: t.exposeInt('checked', { description: 'Rule checks evaluated.' }),
    found: t.exposeInt('found'),
    opened: t.exposeInt('opened'),
    reopened: t.exposeInt('reopened'),
    resolved: t.exposeInt('resolved'),
  }),
});

builder.queryFields((t) => ({
  rules: t.field({ type: [RuleRef], resolve: () => [...RULES] }),
  discrepancies: t.field({
    type: [DiscrepancyRef],
    description: 'Discrepancies in a subtree, by year, scenario, rule and state (where the caller reads unapproved figures).',
    args: {
      root: t.arg.string({ required: true }),
      year: t.arg.int(),
      scenario: t.arg({ type: ScenarioEnum }),
      ruleId: t.arg.string(),
      involving: t.arg.string({ description: 'Only discrepancies whose rule reads this indicator (see Discrepancy.indicators).' }),
      states: t.arg({ type: [StateEnum] }),
      limit: t.arg.int({ defaultValue: 500, required: true }),
      offset: t.arg.int({ defaultValue: 0, required: true }),
    },
    extensions: maxItems(limitArg(MAX_DISCREPANCIES)),
    resolve: (_, a, ctx) => (checkArgs(DiscrepanciesArgs, a), listDiscrepancies(ctx.db, { ...a, scenario: storedScenario(a.scenario, 'scenario'), states: a.states as never }, ctx.access)),
  }),
  discrepancy: t.field({ type: DiscrepancyRef, args: { id: t.arg.int({ required: true }) }, resolve: (_, { id }, ctx) => discrepancyById(ctx.db, id, ctx.access) }),
}));

const decision = (kind: 'explain' | 'accept' | 'waive', description: string) =>
  builder.mutationField(`${kind}Discrepancy`, (t) =>
    t.field({
      type: DiscrepancyRef,
      description,
      args: { id: t.arg.int({ required: true }), text: t.arg.string({ required: true }) },
      resolve: async (_, { id, text }, ctx) => {
        checkArgs(DecisionArgs, { text });
        const { discrepancy, events } = await decide(ctx.db, id, kind, text, ctx.access);
        await ctx.bus.publish(events);
        return discrepancy;
      },
    }),
  );
decision('explain', 'Explain a discrepancy (reporters and reviewers): open → explained.');
decision('accept', 'Accept a discrepancy as correct with a reason (reviewers): open/explained → accepted.');
decision('waive', 'Waive a discrepancy with a reason (reviewers): open/explained → waived.');

builder.mutationFields((t) => ({
  runReconciliation: t.field({
    type: ReportRef,
    authScopes: { administrator: true },
    description: 'Evaluate every rule on every cell and sync the discrepancies.',
    resolve: async (_, __, ctx) => {
      const report = await reconcileAll(ctx.db, ctx.actor);
      await ctx.bus.publish(report.events);
      return report;
    },
  }),
}));

builder.subscriptionFields((t) => ({
  discrepanciesChanged: t.field({
    type: [DiscrepancyRef],
    description: 'Discrepancies found, resolved, re-opened or decided; `root` limits it to a subtree (FORBIDDEN where you read no unapproved figures).',
    args: { root: t.arg.string() },
    // Checked before the stream starts: a refusal is then the subscription's answer, not an error thrown mid-stream.
    subscribe: async (_, { root }, ctx) => {
      const inside = await underRoot(ctx, root);
      ctx.access.requireSomethingUnder(root ? (await ctx.unionByCode.load(root))!.path : '/', 'readUnapproved', 'discrepancies');
      return (async function* () {
        for await (const list of ctx.bus.subscribe('discrepanciesChanged')) {
          const mine = list.filter((d) => inside(d.unionPath) && ctx.access.readsUnapproved(d.unionPath));
          if (mine.length) yield mine;
        }
      })();
    },
    resolve: (list) => list,
  }),
}));
