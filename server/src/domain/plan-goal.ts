/**
 * An allocation's goal (issue 16), checked against the catalogue: an indicator that adds up along
 * the tree is allocated as it is; a ratio (aggregation `ratio` in schema/src/indicators.ts, e.g.
 * coverage = enterprises.unionised ÷ enterprises.eligible × 100) is allocated as its numerator,
 * whose goal at the root is the ratio of the root's forecast denominator — read from the catalogue's
 * aggregation, so any ratio of a targeted sum over a forecast series is handled alike. The ratio's
 * own target is never written: it is computed from its parts like every ratio cell.
 */
import {
  acceptsScenario, ALLOCATION_KEYS, ALLOCATION_PATHS, ALLOCATION_YEARS, UNITS,
  indicator as catalogueIndicator, type AllocationPathCode,
} from '@unionhub/schema';
import { DomainError, said } from './errors.js';
import { valueProblem } from './figures.js';
import type { ForecastInForce } from './plan-forecast-read.js';
import { FORECAST_INDICATORS } from './plan-forecasts.js';
import type { UnionRow } from './unions.js';

export interface AllocationGoal {
  indicator: string;
  /** For the root, in the plan's last year (ALLOCATION_YEARS.to); for a ratio, in its unit (e.g. %). */
  value: number;
  path?: AllocationPathCode | null;
}

export interface RatioGoal {
  numerator: string;
  denominator: string;
  scale: number;
  /** The ratio's unit maximum (100 %): an implied ratio above it is noted. */
  max: number;
}

export interface CheckedGoal {
  /** The indicator whose targets are allocated and written: the goal's own, or its ratio's numerator. */
  writes: string;
  ratio: RatioGoal | null;
}

const notAllocated = (code: string) =>
  new DomainError('VALIDATION', `"${code}" is not allocated: only targeted indicators that add up along the tree are`, said('plan.notAllocated', { indicator: code }));

/** The goal as the catalogue allows it, or a coded refusal (VALIDATION, NOT_FOUND). */
export function checkGoal(goal: AllocationGoal, key: string): CheckedGoal {
  const def = catalogueIndicator(goal.indicator);
  if (!def) throw new DomainError('NOT_FOUND', `Unknown indicator "${goal.indicator}"`, said('cell.unknownIndicator', { indicator: goal.indicator }));
  if (!acceptsScenario(def, 'target')) throw notAllocated(def.code);
  if (!ALLOCATION_KEYS.some((k) => k.code === key)) throw new DomainError('VALIDATION', `Unknown allocation key "${key}"`, said('plan.unknownKey', { key }));
  if (goal.path && !ALLOCATION_PATHS.some((p) => p.code === goal.path)) throw new DomainError('VALIDATION', `Unknown path "${goal.path}"`, said('plan.unknownPath', { path: goal.path }));
  const a = def.aggregation;
  if (a.type === 'sum') {
    const problem = valueProblem(def.code, goal.value);
    if (problem) throw new DomainError('VALIDATION', `Goal: ${problem.text}`, { indicator: def.code, value: goal.value, ...said(problem.key, problem.params) });
    return { writes: def.code, ratio: null };
  }
  const numerator = catalogueIndicator(a.numerator);
  if (!numerator || numerator.aggregation.type !== 'sum' || !acceptsScenario(numerator, 'target')) throw notAllocated(def.code);
  if (!FORECAST_INDICATORS.includes(a.denominator)) {
    throw new DomainError('VALIDATION', `"${def.code}" is a ratio of "${a.denominator}", which is not forecast: it cannot be allocated`, said('plan.ratioNotForecast', { indicator: def.code, denominator: a.denominator }));
  }
  const unit = UNITS[def.unit];
  if (typeof goal.value !== 'number' || !Number.isFinite(goal.value) || goal.value < 0 || goal.value > unit.max) {
    throw new DomainError('VALIDATION', `A goal of "${def.code}" is a ratio from 0 to ${unit.max} ${unit.labelEn}: ${goal.value} is outside`, {
      indicator: def.code, value: goal.value, ...said('plan.ratioGoalRange', { indicator: def.code, max: unit.max, unit: unit.labelEn, value: goal.value }),
    });
  }
  return { writes: numerator.code, ratio: { numerator: numerator.code, denominator: a.denominator, scale: a.scale, max: unit.max } };
}

/** A ratio goal as its numerator's whole-number goal at the root: round(goal ÷ scale × the root's forecast denominator). */
export function numeratorGoal(goal: AllocationGoal, ratio: RatioGoal, root: UnionRow, denominator: ForecastInForce | undefined): number {
  const value = denominator?.value ?? null;
  if (value === null) {
    const reason = denominator?.skipped ?? 'tooShort';
    throw new DomainError('VALIDATION', `${root.name} has no forecast of "${ratio.denominator}" for ${ALLOCATION_YEARS.to} (${reason}): the ratio goal cannot be turned into a number`, {
      reason, ...said('plan.noDenominatorForecast', { unionName: root.name, indicator: ratio.denominator, year: ALLOCATION_YEARS.to, reason }),
    });
  }
  const whole = Math.round((goal.value / ratio.scale) * value);
  const problem = valueProblem(ratio.numerator, whole);
  if (problem) throw new DomainError('VALIDATION', `Goal: ${problem.text}`, { indicator: ratio.numerator, value: whole, ...said(problem.key, problem.params) });
  return whole;
}
