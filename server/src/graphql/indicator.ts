import { CATEGORIES, INDICATORS, indicator, indicatorLabel, UNITS, type IndicatorDef } from '@unionhub/schema';
import { builder, requireCaller } from './builder.js';
import { maxItems } from '../hardening/cost.js';

export const IndicatorRef = builder.objectRef<IndicatorDef>('Indicator');

/** The most parts (sector or women splits) one indicator of the catalogue has. */
const MAX_PARTS = Math.max(...INDICATORS.map((d) => INDICATORS.filter((i) => i.total === d.code).length));

const CategoryRef = builder.objectRef<(typeof CATEGORIES)[number]>('IndicatorCategory').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    labelVi: t.exposeString('labelVi'),
    labelEn: t.exposeString('labelEn'),
  }),
});

IndicatorRef.implement({
  description: 'One indicator of the catalogue (a total, or a sector or women part of one).',
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.string({
      description: 'The label in force in `year` (grading names and the enterprise threshold changed over time).',
      args: { year: t.arg.int(), lang: t.arg.string({ defaultValue: 'vi' }) },
      resolve: (d, args) => indicatorLabel(d, args.year ?? d.labels[d.labels.length - 1]!.to, args.lang === 'en' ? 'en' : 'vi'),
    }),
    category: t.field({ type: CategoryRef, resolve: (d) => CATEGORIES.find((c) => c.code === d.category)! }),
    unit: t.string({ resolve: (d) => d.unit }),
    unitLabel: t.string({ args: { lang: t.arg.string({ defaultValue: 'vi' }) }, resolve: (d, a) => (a.lang === 'en' ? UNITS[d.unit].labelEn : UNITS[d.unit].labelVi) }),
    integer: t.boolean({ description: 'Whole numbers only.', resolve: (d) => UNITS[d.unit].integer }),
    kind: t.string({ description: 'stock, flow or ratio', resolve: (d) => d.kind }),
    computed: t.boolean({ description: 'Recomputed from other indicators; never typed or summed.', resolve: (d) => d.aggregation.type === 'ratio' }),
    targeted: t.exposeBoolean('targeted'),
    total: t.field({ type: IndicatorRef, nullable: true, resolve: (d) => (d.total ? indicator(d.total)! : null) }),
    splitDimension: t.string({ nullable: true, resolve: (d) => d.split?.dimension ?? null }),
    sector: t.string({ nullable: true, resolve: (d) => (d.split?.dimension === 'sector' ? d.split.sector : null) }),
    parts: t.field({ type: [IndicatorRef], extensions: maxItems(() => MAX_PARTS), resolve: (d) => INDICATORS.filter((i) => i.total === d.code) }),
    validFrom: t.exposeInt('validFrom'),
    validTo: t.exposeInt('validTo'),
  }),
});

builder.asEntity(IndicatorRef, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: (ref, ctx) => {
    requireCaller(ctx);
    return indicator(ref.code);
  },
});

builder.queryFields((t) => ({
  indicators: t.field({
    type: [IndicatorRef],
    args: { year: t.arg.int({ description: 'Only indicators valid in that year.' }) },
    extensions: maxItems(() => INDICATORS.length),
    resolve: (_, { year }) => INDICATORS.filter((d) => year === null || year === undefined || (d.validFrom <= year && d.validTo >= year)),
  }),
  indicator: t.field({
    type: IndicatorRef,
    nullable: true,
    args: { code: t.arg.string({ required: true }) },
    resolve: (_, { code }) => indicator(code),
  }),
}));
