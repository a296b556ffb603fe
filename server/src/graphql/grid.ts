import type { UnionKind } from '@unionhub/schema';
import { builder, FigureStatusEnum, ScenarioEnum } from './builder.js';
import { UnionKindEnum } from './union.js';
import { readGrid, type GridColumn, type GridRow } from '../domain/grid.js';
import { z } from 'zod';
import { checkArgs, indicatorCode, unionCode, years } from '../hardening/input.js';
import { len, maxItems, subtreeOf } from '../hardening/cost.js';
import { INDICATORS, YEARS } from '@unionhub/schema';

const GridArgs = z.object({ root: unionCode, years, indicators: z.array(indicatorCode).max(200).nullish() });

const GridColumnRef = builder.objectRef<GridColumn>('GridColumn').implement({
  fields: (t) => ({
    indicatorCode: t.exposeString('indicatorCode'),
    year: t.exposeInt('year'),
  }),
});

const GridRowRef = builder.objectRef<GridRow>('GridRow').implement({
  description: 'One union of the grid; `values`, `statuses` and `versions` run parallel to `Grid.columns`.',
  fields: (t) => ({
    unionCode: t.string({ resolve: (r) => r.union.code }),
    name: t.string({ resolve: (r) => r.union.name }),
    kind: t.field({ type: UnionKindEnum, resolve: (r) => r.union.kind as UnionKind }),
    level: t.int({ resolve: (r) => r.union.level }),
    parentCode: t.string({ nullable: true, resolve: (r) => r.union.path.split('/').filter(Boolean).at(-2) ?? null }),
    hasChildren: t.exposeBoolean('hasChildren'),
    values: t.floatList({ nullable: { list: false, items: true }, resolve: (r) => r.values }),
    statuses: t.field({ type: [FigureStatusEnum], nullable: { list: false, items: true }, resolve: (r) => r.statuses }),
    versions: t.intList({ description: '0 where the cell does not exist yet.', resolve: (r) => r.versions }),
  }),
});

const GridRef = builder.objectRef<{ columns: GridColumn[]; rows: GridRow[] }>('Grid').implement({
  fields: (t) => ({
    // Bounds from `grid`'s own arguments: one column per indicator × year, one row per union of the subtree.
    columns: t.field({ type: [GridColumnRef], extensions: maxItems((_, _s, g) => len(g.indicators, INDICATORS.length) * len(g.years, YEARS.length)), resolve: (g) => g.columns }),
    rows: t.field({ type: [GridRowRef], extensions: maxItems((_, s, g) => subtreeOf(g.depth, s, g.root)), resolve: (g) => g.rows }),
  }),
});

builder.queryFields((t) => ({
  grid: t.field({
    type: GridRef,
    description: 'The spreadsheet read: `root` and its descendants to `depth` × indicators × years, for one scenario.',
    args: {
      root: t.arg.string({ required: true }),
      depth: t.arg.int({ defaultValue: 1, required: true }),
      years: t.arg.intList({ required: true }),
      indicators: t.arg.stringList({ description: 'Default: the whole catalogue.' }),
      scenario: t.arg({ type: ScenarioEnum, defaultValue: "actual", required: true }),
    },
    resolve: (_, args, ctx) => {
      checkArgs(GridArgs, args);
      return readGrid(ctx.db, { rootCode: args.root, depth: args.depth, years: args.years, indicatorCodes: args.indicators, scenario: args.scenario }, ctx.access);
    },
  }),
}));
