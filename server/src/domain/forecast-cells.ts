/**
 * The FORECAST scenario (issue 16): the stored forecasts (plan-forecasts.ts) read as cells beside
 * the actual and target figures, by `figure`, `figures` and the grid. A forecast cell is not a
 * figure row: it has no status, version, proposal or history, and nothing writes it; its value is
 * the stored forecast's for the year with the reviewers' overrides in force, and it carries the
 * stored forecast (method, explanation, whether it is stale). Every other use of FORECAST is refused
 * at the edge with `storedScenario`/`storedCells`, before anything is written, so the write paths
 * keep the stored Scenario ('actual' | 'target').
 */
import { FORECAST_HORIZON, type ReadScenario, type Scenario } from '@unionhub/schema';
import type { Access } from './access.js';
import type { Db } from './db.js';
import { CellBatchError, DomainError, said } from './errors.js';
import { FORECAST_INDICATORS, forecastsOf, type StoredForecast } from './plan-forecasts.js';
import { unionByCode, type UnionRow } from './unions.js';

/** A forecast read as a cell: the coordinates and fields of a figure, read-only (status null, version 0). */
export interface ForecastFigure {
  unionId: number;
  unionPath: string;
  unionCode: string;
  indicatorCode: string;
  year: number;
  scenario: 'forecast';
  /** The forecast for the year, a reviewer's override in force in its place. */
  value: number;
  status: null;
  version: 0;
  /** Who computed it, or who made the override in force for the year, and when. */
  updatedBy: string;
  updatedAt: string;
  proposedValue: null;
  proposedBy: null;
  proposedAt: null;
  approvedBy: null;
  approvedAt: null;
  /** The stored forecast the value comes from: method, parameters, overrides, `stale`. */
  forecast: StoredForecast;
}

/** The refusal of FORECAST where only stored figures can be (`field`: the argument that named it; `index`: its place in a list of cells). */
export const forecastReadOnly = (field: string, index?: number) =>
  new DomainError('VALIDATION', `${field}: forecasts are read-only; FORECAST cannot be used here (runForecasts computes them, overrideForecast changes them)`, {
    fields: [field], ...(index === undefined ? {} : { index }), ...said('forecast.readOnly', { field }),
  });

/** The stored scenario an argument names; FORECAST refused (VALIDATION). */
export function storedScenario<S extends ReadScenario | null | undefined>(scenario: S, field: string): Exclude<S, 'forecast'> {
  if (scenario === 'forecast') throw forecastReadOnly(field);
  return scenario as Exclude<S, 'forecast'>;
}

/** A list of cells with stored scenarios only; else refused whole, one error per FORECAST cell with its index (as a write's batch is). */
export function storedCells<C extends { scenario: ReadScenario }>(cells: readonly C[], field: string): (C & { scenario: Scenario })[] {
  const errors = cells.flatMap((c, index) => (c.scenario === 'forecast' ? [forecastReadOnly(`${field}.${index}.scenario`, index) as DomainError & { details: { index: number } }] : []));
  if (errors.length > 0) throw new CellBatchError(errors);
  return cells as (C & { scenario: Scenario })[];
}

const inHorizon = (year: number) => year >= FORECAST_HORIZON.from && year <= FORECAST_HORIZON.to;

/**
 * The forecast cells of `unions` that the caller reads (the others are left out: a grid's rows on
 * the way down), for the forecast indicators among `indicators` and the plan years among `years`.
 */
export async function forecastCells(db: Db, access: Access, unions: readonly UnionRow[], indicators: readonly string[], years: readonly number[]): Promise<ForecastFigure[]> {
  const readable = unions.filter((u) => access.reads(u.path));
  const forecast = FORECAST_INDICATORS.filter((i) => indicators.includes(i));
  const wanted = new Set(years.filter(inHorizon));
  if (readable.length === 0 || forecast.length === 0 || wanted.size === 0) return [];
  return (await forecastsOf(db, readable, forecast)).flatMap((f) =>
    f.values.filter((v) => wanted.has(v.year)).map((v): ForecastFigure => {
      const override = f.overrides.findLast((o) => o.year === v.year && o.state === 'inForce');
      return {
        unionId: f.union.id, unionPath: f.union.path, unionCode: f.union.code, indicatorCode: f.indicator, year: v.year, scenario: 'forecast',
        value: v.value, status: null, version: 0, updatedBy: override?.by ?? f.computedBy, updatedAt: override?.at ?? f.computedAt,
        proposedValue: null, proposedBy: null, proposedAt: null, approvedBy: null, approvedAt: null, forecast: f,
      };
    }));
}

/**
 * One union's forecast cells (of one indicator and year when given), refused (FORBIDDEN) where the
 * caller may not read the union's figures, as `forecasts` is.
 */
export async function forecastFiguresOf(db: Db, access: Access, unionCode: string, only: { indicator?: string | null; year?: number | null }): Promise<ForecastFigure[]> {
  const union = await unionByCode(db, unionCode);
  if (!access.reads(union.path)) throw new DomainError('FORBIDDEN', 'Your roles do not allow reading figures here', said('plan.readForbidden', { unionName: union.name }));
  const indicators = only.indicator != null ? [only.indicator] : FORECAST_INDICATORS;
  const years = only.year != null ? [only.year] : Array.from({ length: FORECAST_HORIZON.to - FORECAST_HORIZON.from + 1 }, (_, k) => FORECAST_HORIZON.from + k);
  return forecastCells(db, access, [union], indicators, years);
}
