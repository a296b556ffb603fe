/**
 * The spreadsheet's read: a subtree to a depth × indicators × years for one scenario, in one
 * round of two queries, returned compactly (one row per union with parallel value arrays).
 * Ratios are recomputed per row from their summed parts, never stored or summed.
 */
import { INDICATORS, indicator as catalogueIndicator, type FigureStatus, type IndicatorDef, type Scenario } from '@unionhub/schema';
import { DomainError } from './errors.js';
import { indicatorIds, pathRange, validIn, type Db } from './db.js';
import { treeOrder, unionQuery, type UnionRow } from './unions.js';
import type { Access } from './access.js';

export interface GridRequest {
  rootCode: string;
  depth: number;
  years: number[];
  /** Default: every indicator of the catalogue. */
  indicatorCodes?: string[] | null;
  scenario: Scenario;
}

export interface GridColumn {
  indicatorCode: string;
  year: number;
}

export interface GridRow {
  union: UnionRow;
  hasChildren: boolean;
  values: (number | null)[];
  statuses: (FigureStatus | null)[];
  versions: number[];
}

export interface Grid {
  columns: GridColumn[];
  rows: GridRow[];
}

export const MAX_GRID_DEPTH = 3;

/** Cells the caller may not see stay empty: none outside its grants, approved ones only for a viewer. */
export async function readGrid(db: Db, req: GridRequest, access: Access): Promise<Grid> {
  if (req.years.length === 0) throw new DomainError('VALIDATION', 'Ask for at least one year');
  if (!Number.isInteger(req.depth) || req.depth < 0 || req.depth > MAX_GRID_DEPTH) {
    throw new DomainError('VALIDATION', `depth must be between 0 and ${MAX_GRID_DEPTH}`);
  }
  const defs: IndicatorDef[] = req.indicatorCodes
    ? req.indicatorCodes.map((c) => catalogueIndicator(c) ?? fail(c))
    : [...INDICATORS];
  const years = [...new Set(req.years)].sort((a, b) => a - b);
  const span = { from: years[0]!, to: years[years.length - 1]! };

  const root = await unionQuery(db).where('u.code', req.rootCode).first();
  if (!root) throw new DomainError('NOT_FOUND', `Unknown union "${req.rootCode}"`);
  const [lo, hi] = pathRange(root.path);
  const maxLevel = root.level + req.depth;
  const inSubtree = (q: ReturnType<Db>) =>
    validIn(q.where('u.path', '>=', lo).andWhere('u.path', '<', hi).andWhere('u.level', '<=', maxLevel), span);

  const unitRows: (UnionRow & { hasChildren: number })[] = await inSubtree(unionQuery(db)).select(
    db.raw(
      `exists(select 1 from trade_union c where c.parent_id = u.id and c.valid_from <= ? and (c.valid_to is null or c.valid_to >= ?)) as "hasChildren"`,
      [span.to, span.from],
    ),
  );
  const ordered = treeOrder(unitRows, root.id);

  // Stored indicators to fetch: the asked ones, plus the parts of any asked ratio.
  const needed = new Set<string>();
  for (const d of defs) {
    if (d.aggregation.type === 'ratio') {
      needed.add(d.aggregation.numerator);
      needed.add(d.aggregation.denominator);
    } else needed.add(d.code);
  }
  const ids = await indicatorIds(db);
  const codeOf = new Map([...ids].map(([code, id]) => [id, code]));
  const figureRows: { unionId: number; indicatorId: number; year: number; value: number | null; status: FigureStatus; version: number }[] =
    await inSubtree(
      db('figure as f')
        .join('trade_union as u', 'u.id', 'f.union_id')
        .select('f.union_id as unionId', 'f.indicator_id as indicatorId', 'f.year', 'f.value', 'f.status', 'f.version')
        .where('f.scenario', req.scenario)
        .whereIn('f.year', years)
        .whereIn('f.indicator_id', [...needed].map((c) => ids.get(c)!)),
    );

  const columns: GridColumn[] = defs.flatMap((d) => years.map((year) => ({ indicatorCode: d.code, year })));
  const width = columns.length;
  const colOf = new Map(columns.map((c, i) => [`${c.indicatorCode}|${c.year}`, i]));
  const rowOf = new Map(ordered.map((u, i) => [u.id, i]));
  const visibility = ordered.map((u) => access.visibility(u.path));
  const rows: GridRow[] = ordered.map((u) => ({
    union: { ...u, hasChildren: undefined } as unknown as UnionRow,
    hasChildren: Boolean(u.hasChildren),
    values: new Array<number | null>(width).fill(null),
    statuses: new Array<FigureStatus | null>(width).fill(null),
    versions: new Array<number>(width).fill(0),
  }));
  // Parts of ratios that were not asked for themselves are kept aside for the recomputation.
  const aside = new Map<string, number | null>();
  for (const f of figureRows) {
    const r = rowOf.get(f.unionId);
    if (r === undefined) continue;
    const seen = visibility[r];
    if (seen === 'none' || (seen === 'approved' && f.status !== 'approved')) continue;
    const indicatorCode = codeOf.get(f.indicatorId)!;
    const c = colOf.get(`${indicatorCode}|${f.year}`);
    if (c !== undefined) {
      const row = rows[r]!;
      row.values[c] = f.value;
      row.statuses[c] = f.status;
      row.versions[c] = f.version;
    }
    aside.set(`${r}|${indicatorCode}|${f.year}`, f.value);
  }
  for (const d of defs) {
    if (d.aggregation.type !== 'ratio') continue;
    const { numerator, denominator, scale } = d.aggregation;
    rows.forEach((row, r) => {
      for (const year of years) {
        const n = aside.get(`${r}|${numerator}|${year}`);
        const den = aside.get(`${r}|${denominator}|${year}`);
        if (n === undefined || n === null || !den) continue;
        row.values[colOf.get(`${d.code}|${year}`)!] = Math.round((n / den) * scale * 100) / 100;
      }
    });
  }
  return { columns, rows };
}

function fail(code: string): never {
  throw new DomainError('NOT_FOUND', `Unknown indicator "${code}"`);
}
