/**
 * The spreadsheet's read: a subtree to a depth, plus the children of unions the sheet has expanded,
 * × indicators × years × scenarios, in one round of two queries, returned compactly (one row per
 * union with parallel value arrays). Ratios are recomputed per row from their summed parts, never
 * stored or summed. What the caller cannot read at all is left out, but for the way down to what it can.
 */
import { INDICATORS, indicator as catalogueIndicator, type FigureStatus, type IndicatorDef, type PackedGridCells, type ReadScenario } from '@unionhub/schema';
import { DomainError, said } from './errors.js';
import { indicatorIds, pathRange, validIn, type Db } from './db.js';
import { packedCellsByUnion } from './packed.js';
import { treeOrder, unionByCode, unionQuery, type UnionRow } from './unions.js';
import type { Access } from './access.js';
import { forecastCells } from './forecast-cells.js';

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

export interface GridRow {
  union: UnionRow;
  hasChildren: boolean;
  /** The caller may read the union's figures (approved ones only when `approvedOnly`); else the row is only on the way down. */
  readable: boolean;
  approvedOnly: boolean;
  values: (number | null)[];
  statuses: (FigureStatus | null)[];
  versions: number[];
  /** A correction is pending on the cell (never shown to who reads approved figures only). */
  proposals: boolean[];
  /** A FORECAST cell whose approved actuals changed since it was computed (false in other columns). */
  stale: boolean[];
  /** The row's cells already packed as `GridRow.cells` has them (a row from a grid worker). */
  readonly packedCells?: PackedGridCells;
}

export interface Grid {
  columns: GridColumn[];
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

  const childOf = validIn(db('trade_union as c').select(db.raw('1')).whereRaw('c.parent_id = u.id'), span, 'c');
  const unitRows: (UnionRow & { hasChildren: number })[] = await inSubtree(unionQuery(db)).select(db.raw(`exists ? as "hasChildren"`, [childOf]));
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
  // Packed one string per unit (the national view: ~19,000 cells).
  const figureQuery = db('figure as f')
    .whereIn('f.scenario', scenarios.filter((x) => x !== 'forecast'))
    .whereIn('f.year', years)
    .whereIn('f.indicator_id', [...needed].map((c) => ids.get(c)!));
  // The units are known: name them, so SQLite seeks the (union, scenario, year, indicator) index per
  // unit. A very large subtree (stress scale) keeps the path range rather than binding 100,000 parameters.
  const packed = await packedCellsByUnion(
    db,
    ordered.length <= MAX_UNITS_BY_ID
      ? figureQuery.whereIn('f.union_id', ordered.map((u) => u.id))
      : inSubtree(figureQuery.join('trade_union as u', 'u.id', 'f.union_id')),
    { fields: ['indicatorId', 'year', 'scenario', 'value', 'status', 'version', 'proposed'] },
  );
  // Column (indicator d, year y, scenario s) is at (d × years + y) × scenarios + s: one scenario keeps the old order.
  const columns: GridColumn[] = defs.flatMap((d) => years.flatMap((year) => scenarios.map((scenario) => ({ indicatorCode: d.code, year, scenario }))));
  const width = columns.length;
  const [Y, S] = [years.length, scenarios.length];
  // Numeric lookups only: this loop runs once per cell (tens of thousands for the national view).
  const yearAt = new Map(years.map((y, i) => [y, i]));
  const scenarioAt = new Map(scenarios.map((x, i) => [x, i]));
  const defAt = new Map(defs.flatMap((d, i): [number, number][] => (d.aggregation.type === 'ratio' ? [] : [[ids.get(d.code)!, i]])));
  const rowOf = new Map(ordered.map((u, i) => [u.id, i]));
  const visibility = ordered.map((u) => access.visibility(u.path));
  const rows: GridRow[] = ordered.map((u, r) => ({
    union: { ...u, hasChildren: undefined } as unknown as UnionRow,
    // Closed where nothing below would be shown (a root the caller neither reads nor passes through).
    hasChildren: Boolean(u.hasChildren) && onTheWay(u),
    readable: visibility[r] !== 'none',
    approvedOnly: visibility[r] === 'approved',
    values: new Array<number | null>(width).fill(null),
    statuses: new Array<FigureStatus | null>(width).fill(null),
    versions: new Array<number>(width).fill(0),
    proposals: new Array<boolean>(width).fill(false),
    stale: new Array<boolean>(width).fill(false),
  }));
  // Parts of asked ratios, kept aside (by row, part and year) for the recomputation.
  const ratios = defs.filter((d) => d.aggregation.type === 'ratio');
  const parts = [...new Set(ratios.flatMap((d) => (d.aggregation.type === 'ratio' ? [d.aggregation.numerator, d.aggregation.denominator] : [])))];
  const partAt = new Map(parts.map((c, i) => [ids.get(c), i]));
  const stride = parts.length * Y * S;
  const aside = new Map<number, number | null>();
  // One cell into its row: its column if asked, aside if it is a part of an asked ratio.
  type Cell = { indicatorId: number; year: number; scenario: ReadScenario; value: number | null; status: FigureStatus | null; version: number; proposed: boolean };
  const put = (r: number, cell: Cell, stale: boolean) => {
    const row = rows[r]!;
    const ys = yearAt.get(cell.year)! * S + scenarioAt.get(cell.scenario)!;
    const d = defAt.get(cell.indicatorId);
    if (d !== undefined) {
      const c = d * Y * S + ys;
      row.values[c] = cell.value;
      row.statuses[c] = cell.status;
      row.versions[c] = cell.version;
      row.proposals[c] = cell.proposed && visibility[r] === 'all';
      row.stale[c] = stale;
    }
    const part = partAt.get(cell.indicatorId);
    if (part !== undefined) aside.set(r * stride + part * Y * S + ys, cell.value);
  };
  for (const [unionId, cells] of packed) {
    const r = rowOf.get(unionId);
    if (r === undefined) continue;
    const seen = visibility[r];
    if (seen === 'none') continue;
    cells.each((cell) => {
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
    const [num, den, at] = [partAt.get(ids.get(numerator))!, partAt.get(ids.get(denominator))!, defs.indexOf(d)];
    rows.forEach((row, r) => {
      for (let ys = 0; ys < Y * S; ys++) {
        const n = aside.get(r * stride + num * Y * S + ys);
        const dv = aside.get(r * stride + den * Y * S + ys);
        if (n === undefined || n === null || !dv) continue;
        row.values[at * Y * S + ys] = Math.round((n / dv) * scale * 100) / 100;
      }
    });
  }
  return { columns, rows };
}

function fail(code: string): never {
  throw new DomainError('NOT_FOUND', `Unknown indicator "${code}"`, said('cell.unknownIndicator', { indicator: code }));
}
