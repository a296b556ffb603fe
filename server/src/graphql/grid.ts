import type { UnionKind } from '@unionhub/schema';
import { builder, FigureStatusEnum, ScenarioEnum } from './builder.js';
import { UnionKindEnum } from './union.js';
import { type GridColumn, type GridRow } from '../domain/grid.js';
import { parentCodeOf, tableRow } from '../domain/grid-table.js';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { z } from 'zod';
import { checkArgs, indicatorCode, unionCode, years } from '../hardening/input.js';
import { len, maxItems, subtreeOf, type ItemBound } from '../hardening/cost.js';
import { GRID_TABLE_ROW_FIELDS, INDICATORS, READ_SCENARIOS, YEARS, type ReadScenario } from '@unionhub/schema';
import { readGridOffThread, readGridTableOffThread } from '../db/grid-workers.js';
import { RawJson } from './raw-json.js';

/** Expanded unions one sheet can show: every union of levels 0–2 nationally (~1,500) with room to spare. */
export const MAX_EXPANDED = 5_000;

const GridArgs = z.object({
  root: unionCode,
  years,
  indicators: z.array(indicatorCode).max(200).nullish(),
  expanded: z.array(unionCode).max(MAX_EXPANDED).nullish(),
  scenarios: z.array(z.enum(READ_SCENARIOS)).min(1).max(READ_SCENARIOS.length).nullish(),
});

const GridColumnRef = builder.objectRef<GridColumn>('GridColumn').implement({
  fields: (t) => ({
    indicatorCode: t.exposeString('indicatorCode'),
    year: t.exposeInt('year'),
    scenario: t.field({ type: ScenarioEnum, resolve: (c) => c.scenario }),
  }),
});

const GridRowRef = builder.objectRef<GridRow>('GridRow').implement({
  description: 'One union of the grid; `values`, `statuses`, `versions` and `proposals` run parallel to `Grid.columns`.',
  fields: (t) => ({
    unionCode: t.string({ resolve: (r) => r.union.code }),
    name: t.string({ resolve: (r) => r.union.name }),
    kind: t.field({ type: UnionKindEnum, resolve: (r) => r.union.kind as UnionKind }),
    level: t.int({ resolve: (r) => r.union.level }),
    parentCode: t.string({ nullable: true, resolve: parentCodeOf }),
    hasChildren: t.exposeBoolean('hasChildren', { description: 'Children would be shown if it were expanded (false where the caller may read nothing below it).' }),
    validYears: t.exposeIntList('validYears', { description: 'The asked years in which the union exists (one founded or dissolved among them is there for part).' }),
    childYears: t.exposeIntList('childYears', { description: 'The asked years in which it has children to show: `hasChildren` for any part of the asked years.' }),
    readable: t.exposeBoolean('readable', {
      description:
        'The caller may read this union\'s figures. A row it may not read is only on the way down to unions it may read ' +
        '(a provincial reporter asking for TLĐ sees TLĐ, unreadable, then its own province): its cells are empty because ' +
        'they are not the caller\'s to see, not because nothing was reported. Unions below the root that the caller may not ' +
        'read and that lead to nothing it may read are left out; the root is always answered.',
    }),
    approvedOnly: t.exposeBoolean('approvedOnly', {
      description: 'The caller reads approved figures only here (a viewer): a cell not approved yet is empty and has no status.',
    }),
    values: t.floatList({ nullable: { list: false, items: true }, resolve: (r) => r.values }),
    statuses: t.field({ type: [FigureStatusEnum], nullable: { list: false, items: true }, resolve: (r) => r.statuses }),
    versions: t.intList({ description: '0 where the cell does not exist yet.', resolve: (r) => r.versions }),
    cells: t.field({
      type: 'GridCells',
      description: 'The four lists above in one value (see GridCells): what the sheet reads for a whole country.',
      resolve: (r) => r.cells,
    }),
    proposals: t.booleanList({
      description: 'A correction is pending beside the approved value (`Figure.proposedValue`). Always false where the caller reads approved figures only.',
      resolve: (r) => r.proposals,
    }),
    stale: t.booleanList({
      description:
        'A FORECAST cell whose approved actuals changed since it was computed (runForecasts recomputes it); false in other columns. ' +
        'A FORECAST column is read-only: its statuses are null and versions 0 (not in `cells`).',
      resolve: (r) => r.stale,
    }),
  }),
});

/** A grid as read: its rows, or (the sheet's read, in a grid worker) only `table`, already written as JSON. */
type GridSource = { columns: GridColumn[]; rows: GridRow[] } | { columns: GridColumn[]; table: RawJson };

const GridRef = builder.objectRef<GridSource>('Grid').implement({
  fields: (t) => ({
    // Bounds from `grid`'s own arguments: one column per indicator × year × scenario, one row per union
    // of the subtree to `depth` plus the children of each expanded union, never more than the root's whole subtree.
    columns: t.field({
      type: [GridColumnRef],
      extensions: maxItems((_, _s, g) => len(g.indicators, INDICATORS.length) * len(g.years, YEARS.length) * scenariosOf(g).length),
      resolve: (g) => g.columns,
    }),
    rows: t.field({
      type: [GridRowRef],
      extensions: maxItems(rowsBound),
      // Read as a table only when `rows` is not asked (asksRows).
      resolve: (g) => ('rows' in g ? g.rows : []),
    }),
    table: t.field({
      type: 'GridTable',
      description:
        'The same rows in one value, for large reads: what the sheet reads (see GridTable). A national sheet is ~1,400 rows; ' +
        'as one value, GraphQL resolves one field for them instead of one per row and field.',
      extensions: maxItems((a, s, g) => rowsBound(a, s, g) * GRID_TABLE_ROW_FIELDS),
      resolve: (g) => ('table' in g ? g.table : g.rows.map(tableRow)),
    }),
  }),
});

builder.queryFields((t) => ({
  grid: t.field({
    type: GridRef,
    description:
      'The spreadsheet read, in one request: `root` and its descendants to `depth`, plus the children of each `expanded` union, ' +
      '× indicators × years × scenarios (columns in that order, scenario innermost).',
    args: {
      root: t.arg.string({ required: true }),
      depth: t.arg.int({ defaultValue: 1, required: true }),
      years: t.arg.intList({ required: true }),
      indicators: t.arg.stringList({ description: 'Default: the whole catalogue.' }),
      scenario: t.arg({ type: ScenarioEnum, defaultValue: "actual", required: true, description: 'The one scenario, unless `scenarios` is given.' }),
      scenarios: t.arg({
        type: [ScenarioEnum],
        description:
          'Several scenarios at once (ACTUAL and TARGET for "% achieved", ACTUAL and FORECAST…); overrides `scenario`. Each column names its scenario. ' +
          'FORECAST columns hold the stored forecasts (overrides in force) of the forecast indicators in the plan years, read-only; `GridRow.stale` marks the stale ones.',
      }),
      expanded: t.arg.stringList({
        description:
          'Unions the sheet has open below `depth`: each one\'s children are answered too (what is shown, in one request). ' +
          'A union is answered only if its parent is (within `depth` or itself expanded); codes outside `root`\'s subtree add nothing.',
      }),
    },
    resolve: async (_, args, ctx, info): Promise<GridSource> => {
      checkArgs(GridArgs, args);
      const req = { rootCode: args.root, depth: args.depth, years: args.years, indicatorCodes: args.indicators, scenarios: scenariosOf(args), expanded: args.expanded };
      if (asksRows(info)) return readGridOffThread(ctx.db, req, ctx.access);
      const read = await readGridTableOffThread(ctx.db, req, ctx.access);
      return 'json' in read ? { columns: read.columns, table: new RawJson(read.json, read.rows) } : read;
    },
  }),
}));

/** Rows a grid read can answer: the subtree of `depth` plus the children of each expanded union, never more than the root's whole subtree. */
const rowsBound: ItemBound = (_, s, g) => Math.min(subtreeOf(g.depth, s, g.root) + len(g.expanded, 0) * s.fanOut, subtreeOf(Infinity, s, g.root));

/** Whether the grid's selection (its fragments too) asks for `rows`; if not, a worker writes the rows as `table`'s JSON. */
function asksRows(info: GraphQLResolveInfo): boolean {
  const seen = new Set<string>();
  const asks = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === 'rows';
      if (s.kind === Kind.INLINE_FRAGMENT) return asks(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return asks(info.fragments[s.name.value]?.selectionSet);
    }) ?? false;
  return info.fieldNodes.some((f) => asks(f.selectionSet));
}

/** `scenarios` when given, else `[scenario]` (the default ACTUAL when neither is). */
function scenariosOf(a: { scenario?: unknown; scenarios?: unknown }): ReadScenario[] {
  if (Array.isArray(a.scenarios) && a.scenarios.length > 0) return a.scenarios as ReadScenario[];
  return [(a.scenario as ReadScenario | undefined) ?? 'actual'];
}
