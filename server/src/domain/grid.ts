/**
 * The spreadsheet's read: a subtree to a depth, plus the children of unions the sheet has expanded,
 * × indicators × years × scenarios, in one round of two queries, returned compactly (one row per
 * union with parallel value arrays). Ratios are recomputed per row from their summed parts, never
 * stored or summed. What the caller cannot read at all is left out, but for the way down to what it can.
 */
import { INDICATORS, indicator as catalogueIndicator, type FigureStatus, type IndicatorDef, type ReadScenario } from '@unionhub/schema';
import { DomainError, said } from './errors.js';
import { existsIn, indicatorIds, pathRange, validIn, type Db } from './db.js';
import { keptCellsByUnion, type KeptField, type PackedUnion } from './packed.js';
import { treeOrder, unionByCode, unionQuery, type UnionRow } from './unions.js';
import type { Access } from './access.js';
import { forecastCells } from './forecast-cells.js';
import { emptyBlock, flagByte, rowsOf, STATUS_BYTE, type GridBlock, type GridHead, type GridRow } from './grid-block.js';

export type { GridRow } from './grid-block.js';

export interface GridRequest {
  rootCode: string;
  depth: number;
  years: number[];
  /** Default: every indicator of the catalogue. */
  indicatorCodes?: string[] | null;
  /** Scenarios of the columns, in this order (one at least); FORECAST columns read the stored forecasts (forecast-cells.ts). */
  scenarios: ReadScenario[];
  /** Unions whose children are shown too (beyond `depth`); codes outside the root's subtree add nothing. */
  expanded?: string[] | null;
}

export interface GridColumn {
  indicatorCode: string;
  year: number;
  scenario: ReadScenario;
}

export interface Grid {
  columns: GridColumn[];
  heads: GridHead[];
  /** The cells, row after row (what a grid worker moves to the main thread). */
  block: GridBlock;
  /** One per head, reading its cells from the block. */
  rows: GridRow[];
}

export const MAX_GRID_DEPTH = 3;
/** Above this many units the grid's cells are selected by path range, not by unit ids. */
const MAX_UNITS_BY_ID = 5_000;

/**
 * Cells the caller may not see stay empty: none outside its grants, approved ones only for a viewer.
 * Rows below the root that the caller cannot read, and that lead to nothing it can read, are left out.
 */
export async function readGrid(db: Db, req: GridRequest, access: Access): Promise<Grid> {
  if (req.years.length === 0) throw new DomainError('VALIDATION', 'Ask for at least one year');
  const scenarios = [...new Set(req.scenarios)];
  if (scenarios.length === 0) throw new DomainError('VALIDATION', 'Ask for at least one scenario');
  if (!Number.isInteger(req.depth) || req.depth < 0 || req.depth > MAX_GRID_DEPTH) {
    throw new DomainError('VALIDATION', `depth must be between 0 and ${MAX_GRID_DEPTH}`);
  }
  const defs: IndicatorDef[] = req.indicatorCodes
    ? req.indicatorCodes.map((c) => catalogueIndicator(c) ?? fail(c))
    : [...INDICATORS];
  const years = [...new Set(req.years)].sort((a, b) => a - b);
  const span = { from: years[0]!, to: years[years.length - 1]! };

  const root = await unionByCode(db, req.rootCode);
  const [lo, hi] = pathRange(root.path);
  const maxLevel = root.level + req.depth;
  const expanded = [...new Set(req.expanded ?? [])];
  // The root's subtree to `depth`, and the children of each expanded union in it.
  const inSubtree = (q: ReturnType<Db>) =>
    validIn(
      q.where('u.path', '>=', lo).andWhere('u.path', '<', hi).andWhere((w) => {
        w.where('u.level', '<=', maxLevel);
        if (expanded.length) w.orWhereIn('u.parent_id', db('trade_union').select('id').whereIn('code', expanded));
      }),
      span,
    );

  // Per asked year whether a child exists then: the sheet shows fewer of the years without asking again.
  const childIn = (year: number) => validIn(db('trade_union as c').select(db.raw('1')).whereRaw('c.parent_id = u.id'), { from: year, to: year }, 'c');
  const unitRows: (UnionRow & Record<string, unknown>)[] = await inSubtree(unionQuery(db)).select(years.map((y, i) => db.raw('exists ? as ??', [childIn(y), `child${i}`])));
  // A union the caller neither reads nor passes through to one it reads is left out (the root stays: it was asked for).
  const onTheWay = (u: UnionRow) => access.reads(u.path) || access.readsBelow(u.path);
  const ordered = treeOrder(unitRows.filter((u) => u.id === root.id || onTheWay(u)), root.id);

  // Stored indicators to fetch: the asked ones, plus the parts of any asked ratio.
  const needed = new Set<string>();
  for (const d of defs) {
    if (d.aggregation.type === 'ratio') {
      needed.add(d.aggregation.numerator);
      needed.add(d.aggregation.denominator);
    } else needed.add(d.code);
  }
  const ids = await indicatorIds(db);
  // Kept packed per union, scenario and year (figure_pack): the national view joins ~7,000 texts of
  // every indicator; those not asked for are skipped as the cells are placed.
  const keptQuery = db('figure_pack as p')
    .whereIn('p.scenario', scenarios.filter((x) => x !== 'forecast'))
    .whereIn('p.year', years);
  // The units are known: name them, so the key (union, scenario, year) is sought per unit. A very
  // large subtree (stress scale) keeps the path range rather than binding 100,000 parameters.
  // No stored indicator asked (the rows' list alone): no cell to read.
  const packed = needed.size === 0
    ? new Map<number, PackedUnion<KeptField, never>>()
    : await keptCellsByUnion(
      db,
      ordered.length <= MAX_UNITS_BY_ID
        ? keptQuery.whereIn('p.union_id', ordered.map((u) => u.id))
        : inSubtree(keptQuery.join('trade_union as u', 'u.id', 'p.union_id')),
    );
  // Column (indicator d, year y, scenario s) is at (d × years + y) × scenarios + s: one scenario keeps the old order.
  const columns: GridColumn[] = defs.flatMap((d) => years.flatMap((year) => scenarios.map((scenario) => ({ indicatorCode: d.code, year, scenario }))));
  const width = columns.length;
  const [Y, S] = [years.length, scenarios.length];
  // Numeric lookups only: this loop runs once per cell (hundreds of thousands for the national view).
  const yearAt = (year: number) => years.indexOf(year);
  const scenarioAt = new Map(scenarios.map((x, i) => [x, i]));
  const defAt: number[] = [];
  defs.forEach((d, i) => d.aggregation.type !== 'ratio' && (defAt[ids.get(d.code)!] = i));
  const rowOf = new Map(ordered.map((u, i) => [u.id, i]));
  const visibility = ordered.map((u) => access.visibility(u.path));
  const heads: GridHead[] = ordered.map((u, r) => {
    // Closed where nothing below would be shown (a root the caller neither reads nor passes through).
    const childYears = onTheWay(u) ? years.filter((_, i) => Boolean(u[`child${i}`])) : [];
    return {
      union: Object.fromEntries(Object.entries(u).filter(([k]) => !k.startsWith('child'))) as unknown as UnionRow,
      hasChildren: childYears.length > 0,
      validYears: years.filter((y) => existsIn(u, y)),
      childYears,
      readable: visibility[r] !== 'none',
      approvedOnly: visibility[r] === 'approved',
    };
  });
  const block = emptyBlock(heads.length, width);
  // Parts of asked ratios, kept aside (by row, part, year and scenario; NaN: none) for the recomputation.
  const ratios = defs.filter((d) => d.aggregation.type === 'ratio');
  const parts = [...new Set(ratios.flatMap((d) => (d.aggregation.type === 'ratio' ? [d.aggregation.numerator, d.aggregation.denominator] : [])))];
  const partAt: number[] = [];
  parts.forEach((c, i) => (partAt[ids.get(c)!] = i));
  const stride = parts.length * Y * S;
  const aside = new Float64Array(heads.length * stride).fill(NaN);
  // One cell into its row: its column if asked, aside if it is a part of an asked ratio.
  type Cell = { indicatorId: number; year: number; scenario: ReadScenario; value: number | null; status: FigureStatus | null; version: number; proposed: boolean };
  const put = (r: number, cell: Cell, stale: boolean) => {
    const ys = yearAt(cell.year) * S + scenarioAt.get(cell.scenario)!;
    const d = defAt[cell.indicatorId];
    if (d !== undefined) {
      const at = r * width + d * Y * S + ys;
      block.values[at] = cell.value ?? NaN;
      if (cell.status) block.statuses[at] = STATUS_BYTE[cell.status];
      block.versions[at] = cell.version;
      block.proposals[at] = flagByte(cell.proposed && visibility[r] === 'all');
      block.stale[at] = flagByte(stale);
    }
    const part = partAt[cell.indicatorId];
    if (part !== undefined) aside[r * stride + part * Y * S + ys] = cell.value ?? NaN;
  };
  for (const [unionId, cells] of packed) {
    const r = rowOf.get(unionId);
    if (r === undefined) continue;
    const seen = visibility[r];
    if (seen === 'none') continue;
    cells.each((cell) => {
      // Only the asked years and scenarios were read; an indicator not asked is skipped by put.
      if (seen === 'all' || cell.status === 'approved') put(r, cell, false);
    });
  }
  if (scenarioAt.has('forecast')) {
    for (const f of await forecastCells(db, access, ordered, [...needed], years)) {
      put(rowOf.get(f.unionId)!, { indicatorId: ids.get(f.indicatorCode)!, year: f.year, scenario: 'forecast', value: f.value, status: null, version: 0, proposed: false }, f.forecast.stale);
    }
  }
  for (const d of ratios) {
    if (d.aggregation.type !== 'ratio') continue;
    const { numerator, denominator, scale } = d.aggregation;
    const [num, den, at] = [partAt[ids.get(numerator)!]!, partAt[ids.get(denominator)!]!, defs.indexOf(d)];
    for (let r = 0; r < heads.length; r++) {
      for (let ys = 0; ys < Y * S; ys++) {
        const n = aside[r * stride + num * Y * S + ys]!;
        const dv = aside[r * stride + den * Y * S + ys]!;
        if (Number.isNaN(n) || !dv) continue; // !dv: no denominator, NaN or 0
        block.values[r * width + at * Y * S + ys] = Math.round((n / dv) * scale * 100) / 100;
      }
    }
  }
  return { columns, heads, block, rows: rowsOf(block, heads) };
}

function fail(code: string): never {
  throw new DomainError('NOT_FOUND', `Unknown indicator "${code}"`, said('cell.unknownIndicator', { indicator: code }));
}
