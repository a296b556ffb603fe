/**
 * The plan 2018–2023 over GraphQL (issue 16): allocating a national goal down the tree. The
 * preview is a mutation because it keeps what it computed under its token (domain/plan.ts).
 */
import { z } from 'zod';
import { ALLOCATION_NOTES, ALLOCATION_YEARS, FORECAST_OVERRIDE_STATES, PLAN_GAP_FLAGS, type PlanGapFlagCode } from '@unionhub/schema';
import { builder } from './builder.js';
import { UnionRef } from './union.js';
import { FigureRef } from './figure.js';
import { applyAllocation, previewAllocation, type AllocationApplied, type AllocationPreview, type PreviewNote, type PreviewRow } from '../domain/plan.js';
import { checkArgs, importToken, indicatorCode, text, unionCode, year } from '../hardening/input.js';
import { maxItems, subtreeOf } from '../hardening/cost.js';
import { runForecasts, storedForecasts, type ForecastRun, type StoredForecast } from '../domain/plan-forecasts.js';
import { overrideForecast, REASON_MAX, type ForecastOverride } from '../domain/plan-override.js';
import { planGap, type GapColumn, type GapRow } from '../domain/plan-gap.js';

const AllocationKeyEnum = builder.enumType('AllocationKey', {
  values: {
    FORECAST_WORKERS: { value: 'forecastWorkers' as const, description: 'Share of forecast workers in the goal year.' },
    MEMBERS: { value: 'members' as const, description: 'Share of approved members in the base year.' },
    EQUAL_GROWTH: { value: 'equalGrowth' as const, description: 'The base-year value plus an equal part of the parent’s change.' },
  },
});

const AllocationPathEnum = builder.enumType('AllocationPath', {
  values: { LINEAR: { value: 'linear' as const, description: 'Equal steps each year.' }, COMPOUND: { value: 'compound' as const, description: 'An equal growth rate each year.' } },
});

const GoalInput = builder.inputType('AllocationGoalInput', {
  fields: (t) => ({
    indicator: t.string({ required: true, description: 'A targeted indicator that adds up along the tree (members, grassroots…), or a targeted ratio of one over a forecast series (coverage).' }),
    value: t.float({
      required: true,
      description: `The root’s goal for ${ALLOCATION_YEARS.to}: a whole number ≥ 0, at most the indicator unit’s maximum; for a ratio, in its unit (coverage: 0–100 %), ` +
        'turned into its numerator’s goal by the root’s forecast denominator.',
    }),
    path: t.field({ type: AllocationPathEnum, defaultValue: 'linear', description: 'How the years between the base year and the goal are interpolated.' }),
  }),
});

const PreviewArgs = z.object({ goal: z.object({ indicator: indicatorCode }), root: unionCode });

const NoteRef = builder.objectRef<PreviewNote>('AllocationNote').implement({
  description: 'Where the allocation could not follow its key as stated, or used a forecast that was not stored or stale (never a silent zero).',
  fields: (t) => ({
    code: t.string({ resolve: (n) => n.code }),
    indicator: t.string({ nullable: true, description: 'The forecast series a forecast note is about.', resolve: (n) => n.indicator }),
    textVi: t.string({ resolve: (n) => ALLOCATION_NOTES[n.code].vi }),
    textEn: t.string({ resolve: (n) => ALLOCATION_NOTES[n.code].en }),
  }),
});

const RatioRef = builder.objectRef<NonNullable<AllocationPreview['ratio']>>('AllocationRatio').implement({
  description: 'A ratio goal’s parts, from the catalogue: the numerator is allocated and written, the denominator is forecast.',
  fields: (t) => ({ numerator: t.exposeString('numerator'), denominator: t.exposeString('denominator'), scale: t.exposeFloat('scale') }),
});

const YearRef = builder.objectRef<{ year: number; value: number }>('AllocationYear').implement({
  fields: (t) => ({ year: t.exposeInt('year'), value: t.exposeFloat('value') }),
});

const RowRef = builder.objectRef<PreviewRow>('AllocationRow').implement({
  description: 'One union of the allocation: what it has, what is forecast, what it is allocated, and the growth that needs.',
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: (r) => r.union }),
    parentCode: t.exposeString('parentCode', { nullable: true }),
    depth: t.exposeInt('depth', { description: '0 for the root.' }),
    today: t.float({ nullable: true, description: `Approved actual of ${ALLOCATION_YEARS.base}; null when none is approved.`, resolve: (r) => r.base }),
    forecast: t.exposeFloat('forecast', { nullable: true, description: `The written indicator’s stored forecast for ${ALLOCATION_YEARS.to}, overrides in force (computed then where none is stored or it is stale, said in notes); null without one.` }),
    denominatorForecast: t.exposeFloat('denominatorForecast', { nullable: true, description: 'For a ratio goal: the denominator’s forecast for the goal year, as `forecast`.' }),
    impliedRatio: t.exposeFloat('impliedRatio', { nullable: true, description: 'For a ratio goal: allocated ÷ the union’s forecast denominator × scale (e.g. coverage %); null without a forecast denominator.' }),
    allocated: t.exposeFloat('allocated', { description: `Allocated for ${ALLOCATION_YEARS.to}: whole, the children sum to it exactly.` }),
    years: t.field({ type: [YearRef], description: `${ALLOCATION_YEARS.from}–${ALLOCATION_YEARS.to}, each year summing exactly along the tree.`, resolve: (r) => r.years }),
    growthPerYear: t.exposeFloat('growthPerYear', { nullable: true, description: 'Mean change needed per year from today.' }),
    growthRate: t.exposeFloat('growthRate', { nullable: true, description: 'Compound growth needed per year, in %.' }),
    notes: t.field({ type: [NoteRef], resolve: (r) => r.notes }),
  }),
});

const PreviewRef = builder.objectRef<AllocationPreview>('AllocationPreview').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Give it to applyAllocation to write exactly this.' }),
    root: t.exposeString('root'),
    indicator: t.exposeString('indicator', { description: 'The goal’s indicator as asked.' }),
    writes: t.exposeString('writes', { description: 'The indicator whose targets applyAllocation writes: the goal’s own, or its ratio’s numerator.' }),
    ratio: t.field({ type: RatioRef, nullable: true, description: 'Set for a ratio goal.', resolve: (p) => p.ratio }),
    key: t.field({ type: AllocationKeyEnum, resolve: (p) => p.key }),
    path: t.field({ type: AllocationPathEnum, resolve: (p) => p.path }),
    goal: t.exposeFloat('goal', { description: 'The goal as asked (a ratio in its unit).' }),
    allocatedGoal: t.exposeFloat('allocatedGoal', { description: 'The whole number allocated from the root: the goal, or a ratio’s numerator = round(goal ÷ scale × the root’s forecast denominator).' }),
    baseYear: t.int({ resolve: () => ALLOCATION_YEARS.base }),
    goalYear: t.int({ resolve: () => ALLOCATION_YEARS.to }),
    rows: t.field({
      type: [RowRef],
      description: 'Every union of the root’s subtree that exists through the plan, parents before children.',
      extensions: maxItems((_a, s, parent) => subtreeOf(3, s, parent.root)),
      resolve: (p) => p.rows,
    }),
  }),
});

const AppliedRef = builder.objectRef<AllocationApplied>('AllocationApplied').implement({
  fields: (t) => ({
    proposed: t.exposeInt('proposed', { description: 'Approved targets given a proposal beside them.' }),
    written: t.exposeInt('written', { description: 'Targets not yet approved (or absent) written as draft values.' }),
    unchanged: t.exposeInt('unchanged'),
  }),
});

builder.mutationFields((t) => ({
  previewAllocation: t.field({
    type: PreviewRef,
    description:
      'Allocate a goal for the plan’s last year from `root` down its tree by `key`: per union today, forecast, allocated and the growth needed. ' +
      'A ratio goal (coverage %) is allocated as its numerator (see `writes`, `allocatedGoal`, each row’s `impliedRatio`). Reads the stored forecasts, overrides in force. ' +
      'Writes no figure; keeps the preview (and the target versions it read) for applyAllocation. The department only (admin or reviewer at TLĐ).',
    args: {
      goal: t.arg({ type: GoalInput, required: true }),
      key: t.arg({ type: AllocationKeyEnum, required: true }),
      root: t.arg.string({ required: true, defaultValue: 'TLD' }),
    },
    resolve: (_, a, ctx) => {
      checkArgs(PreviewArgs, a);
      return previewAllocation(ctx.db, ctx.access, { indicator: a.goal.indicator, value: a.goal.value, path: a.goal.path ?? 'linear' }, a.key, a.root);
    },
  }),
  applyAllocation: t.field({
    type: AppliedRef,
    description: 'Write a preview as proposed targets in one transaction; CONFLICT (nothing written) when a target changed since the preview.',
    args: { previewToken: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => {
      checkArgs(z.object({ previewToken: importToken }), a);
      const r = await applyAllocation(ctx.db, ctx.access, a.previewToken);
      await ctx.bus.publish(r.events);
      return r;
    },
  }),
}));

const ForecastMethodEnum = builder.enumType('ForecastMethod', {
  values: { LINEAR: { value: 'linear' as const }, CAGR: { value: 'cagr' as const }, HOLT: { value: 'holt' as const } },
});

const ParameterRef = builder.objectRef<[string, number]>('ForecastParameter').implement({
  fields: (t) => ({ code: t.string({ resolve: (p) => p[0] }), value: t.float({ resolve: (p) => p[1] }) }),
});

const BacktestRef = builder.objectRef<StoredForecast['methods'][number]['backtest'][number]>('ForecastBacktest').implement({
  fields: (t) => ({ year: t.exposeInt('year'), actual: t.exposeFloat('actual'), predicted: t.exposeFloat('predicted'), ape: t.exposeFloat('ape', { description: 'Absolute percentage error, in %.' }) }),
});

const MethodResultRef = builder.objectRef<StoredForecast['methods'][number]>('ForecastMethodResult').implement({
  fields: (t) => ({
    method: t.field({ type: ForecastMethodEnum, resolve: (m) => m.method }),
    skipped: t.exposeString('skipped', { nullable: true, description: 'Why the method could not be fitted (tooShort, nonPositive).' }),
    mape: t.exposeFloat('mape', { nullable: true, description: 'Mean backtest error, in %; null when no year could be backtested.' }),
    parameters: t.field({ type: [ParameterRef], resolve: (m) => Object.entries(m.parameters ?? {}) }),
    backtest: t.field({ type: [BacktestRef], resolve: (m) => m.backtest }),
  }),
});

const OverrideStateEnum = builder.enumType('ForecastOverrideState', {
  values: {
    IN_FORCE: { value: 'inForce' as const, description: FORECAST_OVERRIDE_STATES.inForce.en },
    SUPERSEDED: { value: 'superseded' as const, description: FORECAST_OVERRIDE_STATES.superseded.en },
    LAPSED: { value: 'lapsed' as const, description: FORECAST_OVERRIDE_STATES.lapsed.en },
  },
});

const OverrideRef = builder.objectRef<ForecastOverride>('ForecastOverride').implement({
  description: 'A reviewer’s value for one plan year in place of the computed forecast, with a reason; every one is kept (the audit trail).',
  fields: (t) => ({
    year: t.exposeInt('year'),
    value: t.exposeFloat('value'),
    computedValue: t.exposeFloat('computedValue', { nullable: true, description: 'The computed forecast it replaced when it was made.' }),
    reason: t.exposeString('reason'),
    by: t.exposeString('by'),
    at: t.exposeString('at'),
    state: t.field({ type: OverrideStateEnum, resolve: (o) => o.state }),
    stateVi: t.string({ resolve: (o) => FORECAST_OVERRIDE_STATES[o.state].vi }),
    stateEn: t.string({ resolve: (o) => FORECAST_OVERRIDE_STATES[o.state].en }),
  }),
});

const ForecastRef = builder.objectRef<StoredForecast>('Forecast').implement({
  description: 'A stored forecast of one union’s series from its approved actuals, with the method the backtest chose and why.',
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: (f) => f.union }),
    indicator: t.exposeString('indicator'),
    method: t.field({ type: ForecastMethodEnum, nullable: true, resolve: (f) => f.method }),
    skipped: t.exposeString('skipped', { nullable: true, description: 'Why there is no forecast (e.g. tooShort: fewer than three approved years).' }),
    parameters: t.field({ type: [ParameterRef], resolve: (f) => Object.entries(f.parameters ?? {}) }),
    methods: t.field({ type: [MethodResultRef], description: 'Every method with its backtest error.', resolve: (f) => f.methods }),
    values: t.field({ type: [YearRef], description: 'The chosen method’s values, with the overrides in force in their place.', resolve: (f) => f.values }),
    computedValues: t.field({ type: [YearRef], description: 'The chosen method’s values as computed.', resolve: (f) => f.computedValues }),
    overrides: t.field({ type: [OverrideRef], description: 'Every override of this forecast, oldest first.', resolve: (f) => f.overrides }),
    explanationVi: t.string({ resolve: (f) => f.explanation.vi }),
    explanationEn: t.string({ resolve: (f) => f.explanation.en }),
    computedAt: t.exposeString('computedAt'),
    computedBy: t.exposeString('computedBy'),
    stale: t.exposeBoolean('stale', { description: 'An approved actual it was computed from changed since: runForecasts recomputes it.' }),
  }),
});

// Here beside the Forecast type: a FORECAST cell's provenance (domain/forecast-cells.ts).
builder.objectField(FigureRef, 'forecast', (t) =>
  t.field({
    type: ForecastRef,
    nullable: true,
    description: 'For a FORECAST cell, the stored forecast its value comes from (method, explanation, overrides, `stale`); null for ACTUAL and TARGET cells.',
    resolve: (f) => (f.scenario === 'forecast' ? f.forecast : null),
  }),
);

const ForecastRunRef = builder.objectRef<ForecastRun>('ForecastRun').implement({
  fields: (t) => ({
    forecasts: t.exposeInt('forecasts'),
    skipped: t.exposeInt('skipped', { description: 'Series with no forecast (their reason is stored).' }),
    overridesKept: t.exposeInt('overridesKept', { description: 'Reviewers’ overrides still in force.' }),
    overridesLapsed: t.exposeInt('overridesLapsed', { description: 'Overrides lapsed: the approved actuals they were made against changed (the computed value applies).' }),
  }),
});

builder.queryFields((t) => ({
  forecasts: t.field({
    type: [ForecastRef],
    description: 'The stored forecasts of `indicator` for `root` and its children, each marked stale when its approved actuals changed.',
    args: { root: t.arg.string({ required: true }), indicator: t.arg.string({ required: true }) },
    extensions: maxItems((a, s) => subtreeOf(1, s, a.root)),
    resolve: (_, a, ctx) => (checkArgs(z.object({ root: unionCode, indicator: indicatorCode }), a), storedForecasts(ctx.db, ctx.access, a.root, a.indicator)),
  }),
}));

builder.mutationFields((t) => ({
  runForecasts: t.field({
    type: ForecastRunRef,
    description: 'Forecast every plan series of every union under `root` from approved actuals 2013–2017 and store them (the department only).',
    args: { root: t.arg.string({ required: true }) },
    resolve: (_, a, ctx) => (checkArgs(z.object({ root: unionCode }), a), runForecasts(ctx.db, ctx.access, a.root)),
  }),
  overrideForecast: t.field({
    type: OverrideRef,
    description: 'A reviewer of the union or above sets one forecast value (a plan year) with a reason; kept in the audit trail, in force until the approved actuals change.',
    args: {
      unionCode: t.arg.string({ required: true }),
      indicator: t.arg.string({ required: true }),
      year: t.arg.int({ required: true }),
      value: t.arg.float({ required: true }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_, a, ctx) => {
      checkArgs(z.object({ unionCode, indicator: indicatorCode, year, reason: text(REASON_MAX) }), a);
      return overrideForecast(ctx.db, ctx.access, a);
    },
  }),
}));

const GapFlagRef = builder.objectRef<PlanGapFlagCode>('PlanGapFlag').implement({
  fields: (t) => ({
    code: t.string({ resolve: (c) => c }),
    textVi: t.string({ resolve: (c) => PLAN_GAP_FLAGS[c].vi }),
    textEn: t.string({ resolve: (c) => PLAN_GAP_FLAGS[c].en }),
    shortVi: t.string({ description: 'The badge.', resolve: (c) => PLAN_GAP_FLAGS[c].shortVi }),
    shortEn: t.string({ description: 'The badge.', resolve: (c) => PLAN_GAP_FLAGS[c].shortEn }),
  }),
});

const GapColumnEnum = builder.enumType('PlanGapColumnKind', {
  values: { ALLOCATED: { value: 'allocated' as const }, PROPOSED: { value: 'proposed' as const }, APPROVED: { value: 'approved' as const } },
});

const GapColumnRef = builder.objectRef<GapColumn>('PlanGapColumn').implement({
  description: 'One target column of a gap row judged on its own: its value, the growth it needs and its flags.',
  fields: (t) => ({
    column: t.field({ type: GapColumnEnum, resolve: (c) => c.column }),
    value: t.exposeFloat('value', { nullable: true }),
    neededRate: t.exposeFloat('neededRate', { nullable: true, description: 'Growth per year this value needs from today, in %.' }),
    flags: t.field({ type: [GapFlagRef], resolve: (c) => c.flags }),
  }),
});

const GapRowRef = builder.objectRef<GapRow>('PlanGapRow').implement({
  description: 'One union in one plan year: forecast vs allocated vs proposed vs approved target, and the growth the target needs.',
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: (r) => r.union }),
    today: t.exposeFloat('today', { nullable: true, description: `Approved actual of ${ALLOCATION_YEARS.base}.` }),
    forecast: t.exposeFloat('forecast', { nullable: true, description: 'The stored forecast (runForecasts).' }),
    allocated: t.exposeFloat('allocated', { nullable: true, description: 'From the allocation applied last.' }),
    proposed: t.exposeFloat('proposed', { nullable: true, description: 'A proposal beside the approved target, or a target not yet approved (null where you read approved data only).' }),
    approved: t.exposeFloat('approved', { nullable: true }),
    neededRate: t.exposeFloat('neededRate', { nullable: true, description: 'Growth per year the target (approved, else proposed, else allocated) needs from today, in %.' }),
    historicalRate: t.exposeFloat('historicalRate', { nullable: true, description: 'The union’s own growth per year over 2013–2017, in %.' }),
    flags: t.field({ type: [GapFlagRef], description: 'The flags of the target in force (approved, else proposed, else allocated).', resolve: (r) => r.flags }),
    columns: t.field({ type: [GapColumnRef], description: 'Allocated, proposed and approved, each flagged on its own (in that order).', resolve: (r) => r.columns }),
  }),
});

builder.queryFields((t) => ({
  planGap: t.field({
    type: [GapRowRef],
    description: '`root` (the first row: nationally for TLD) and its children in one plan year.',
    args: { root: t.arg.string({ required: true }), year: t.arg.int({ required: true }), indicator: t.arg.string({ required: true, defaultValue: 'members' }) },
    extensions: maxItems((a, s) => subtreeOf(1, s, a.root)),
    resolve: (_, a, ctx) => (checkArgs(z.object({ root: unionCode, indicator: indicatorCode }), a), planGap(ctx.db, ctx.access, a.root, a.year, a.indicator)),
  }),
}));
