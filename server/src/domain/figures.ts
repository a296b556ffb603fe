/**
 * Reading cells, and what a value may be. Writing them is figure-writes.ts.
 */
import { indicator as catalogueIndicator, UNITS, type FigureStatus, type Scenario } from '@unionhub/schema';
import { said, type Said } from './errors.js';
import type { Knex } from '@mikro-orm/knex';
import { isoTime, valuesList, type Db } from './db.js';
import type { Access } from './access.js';

export interface CellKey {
  unionCode: string;
  indicatorCode: string;
  year: number;
  scenario: Scenario;
}

export interface FigureRow extends CellKey {
  id: number;
  unionId: number;
  unionPath: string;
  value: number | null;
  status: FigureStatus;
  version: number;
  updatedBy: string;
  updatedAt: string;
  proposedValue: number | null;
  proposedBy: string | null;
  proposedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
}


const FIGURE_COLUMNS = [
  'f.id', 'f.union_id as unionId', 'u.path as unionPath', 'u.code as unionCode', 'i.code as indicatorCode', 'f.year', 'f.scenario',
  'f.value', 'f.status', 'f.version', 'f.updated_by as updatedBy', 'f.updated_at as updatedAt',
  'f.proposed_value as proposedValue', 'f.proposed_by as proposedBy', 'f.proposed_at as proposedAt',
  'f.approved_by as approvedBy', 'f.approved_at as approvedAt',
];

function figureQuery(db: Db) {
  return db('figure as f')
    .join('trade_union as u', 'u.id', 'f.union_id')
    .join('indicator as i', 'i.id', 'f.indicator_id')
    .select(FIGURE_COLUMNS);
}

function toFigure(r: Record<string, unknown>): FigureRow {
  const time = (v: unknown) => (v === null || v === undefined ? null : isoTime(v));
  return { ...(r as unknown as FigureRow), updatedAt: isoTime(r.updatedAt), proposedAt: time(r.proposedAt), approvedAt: time(r.approvedAt) };
}

/** Only the cells `access` may see, as it may see them: approved ones without their proposals for a viewer, none outside the caller's grants. */
export function visibleTo(access: Access, figures: FigureRow[]): FigureRow[] {
  return access.figures(figures);
}

/** Fetch the given cells (absent ones are simply missing from the result). */
export async function figuresByKeys(db: Db, keys: readonly CellKey[]): Promise<FigureRow[]> {
  if (keys.length === 0) return [];
  const rows = await figureQuery(db)
    .whereIn('u.code', [...new Set(keys.map((k) => k.unionCode))])
    .whereIn('i.code', [...new Set(keys.map((k) => k.indicatorCode))])
    .whereIn('f.year', [...new Set(keys.map((k) => k.year))])
    .whereIn('f.scenario', [...new Set(keys.map((k) => k.scenario))]);
  const wanted = new Set(keys.map(cellId));
  return rows.map(toFigure).filter((f) => wanted.has(cellId(f)));
}

export async function figuresOfUnion(db: Db, unionCode: string, year: number | null, scenario: Scenario | null, access: Access): Promise<FigureRow[]> {
  let q = figureQuery(db).where('u.code', unionCode);
  if (year !== null) q = q.where('f.year', year);
  if (scenario !== null) q = q.where('f.scenario', scenario);
  return visibleTo(access, (await q.orderBy(['f.scenario', 'f.year', 'i.sort_order'])).map(toFigure));
}

/** Cells named in one request's batch (at most this many per statement: 4 parameters each, under every driver's limit). */
const CELLS_PER_QUERY = 5_000;

/**
 * Exactly the cells named, in one query per CELLS_PER_QUERY (not a cross product of their
 * coordinates, which a batch of scattered keys would blow up to most of the table). The keys are a
 * VALUES table joined through the unique indexes; the year is cast so PostgreSQL compares integers.
 */
export async function figuresByCells(db: Db, keys: readonly CellKey[]): Promise<FigureRow[]> {
  const out: FigureRow[] = [];
  for (let at = 0; at < keys.length; at += CELLS_PER_QUERY) {
    const part = keys.slice(at, at + CELLS_PER_QUERY);
    const values = valuesList(db, ['text', 'text', 'integer', 'text'], part.map((k) => [k.unionCode, k.indicatorCode, k.year, k.scenario]));
    const rows = await figureQuery(db)
      .with('wanted', ['union_code', 'indicator_code', 'year', 'scenario'], db.raw(values.sql, values.bindings as Knex.RawBinding[]))
      .join('wanted as k', (j) => j.on('k.union_code', 'u.code').andOn('k.indicator_code', 'i.code').andOn('k.year', 'f.year').andOn('k.scenario', 'f.scenario'));
    out.push(...rows.map(toFigure));
  }
  return out;
}

export function cellId(k: CellKey): string {
  return `${k.unionCode}|${k.indicatorCode}|${k.year}|${k.scenario}`;
}


/**
 * Why a value cannot go into a cell of this indicator, or null when it can. The one value check of
 * every write path (setFigures, proposals, imports): finite, not negative, whole for counts, and at
 * most the catalogue's maximum for the indicator's unit (so no sum of stored values overflows).
 */
export function checkValue(indicatorCode: string, value: number): string | null {
  return valueProblem(indicatorCode, value)?.text ?? null;
}

/** What is wrong with a value for an indicator, as English text and as a message key with its params. */
export function valueProblem(indicatorCode: string, value: number): (Said & { text: string }) | null {
  const def = catalogueIndicator(indicatorCode);
  if (!def) return { text: `Unknown indicator "${indicatorCode}"`, ...said('cell.unknownIndicator', { indicator: indicatorCode }) };
  if (def.aggregation.type === 'ratio') return { text: `"${def.code}" is computed from other figures and cannot be typed`, ...said('cell.computed', { indicator: def.code }) };
  if (typeof value !== 'number' || !Number.isFinite(value)) return { text: 'The value is not a finite number', ...said('cell.notFinite') };
  if (value < 0) return { text: `A negative value (${value}) is not allowed`, ...said('cell.negative', { value }) };
  const unit = UNITS[def.unit];
  if (value > unit.max) return { text: `"${def.code}" is in ${unit.labelEn}: ${value} is over the maximum (at most ${unit.max.toLocaleString('en-US')})`, ...said('cell.overMax', { indicator: def.code, value, max: unit.max }) };
  if (UNITS[def.unit].integer && !Number.isInteger(value)) return { text: `"${def.code}" counts ${UNITS[def.unit].labelEn}: ${value} is not a whole number`, ...said('cell.notWhole', { indicator: def.code, value }) };
  return null;
}


export interface RevisionRow {
  id: number;
  change: string;
  beforeValue: number | null;
  afterValue: number | null;
  beforeStatus: string | null;
  afterStatus: string | null;
  version: number;
  actor: string;
  at: string;
  reason: string | null;
}

export async function revisionsOf(db: Db, figureId: number): Promise<RevisionRow[]> {
  const rows = await db('figure_revision')
    .select('id', 'change', 'before_value as beforeValue', 'after_value as afterValue', 'before_status as beforeStatus',
      'after_status as afterStatus', 'version', 'actor', 'at', 'reason')
    .where('figure_id', figureId)
    .orderBy('id');
  return rows.map((r: RevisionRow) => ({ ...r, at: isoTime(r.at) }));
}

