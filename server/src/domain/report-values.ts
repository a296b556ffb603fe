/**
 * The report's arithmetic over approved cells: a group's (or everyone's) sum in a year over that
 * year's tree, spans (flows add up, stocks are the last year's), ratios recomputed from their parts,
 * growth and % achieved. Never an average of percentages.
 */
import type { Scenario } from '@unionhub/schema';
import { existsIn } from './db.js';
import { def, FIRST, LAST, YEARS } from './report-coverage.js';
import type { UnionRow } from './unions.js';

export const round2 = (x: number) => Math.round(x * 100) / 100;
export const pct = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : round2((a / b) * 100));
const add = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);
export const sum = (xs: (number | null)[]): number | null => xs.reduce<number | null>(add, null);

/** `approved`: value by "unionId|indicator|year|scenario". */
export function reportValues(approved: Map<string, number>) {
  const stored = (members: UnionRow[], code: string, year: number, scenario: Scenario): number | null => {
    let total: number | null = null;
    for (const u of members) {
      if (!existsIn(u, year)) continue;
      const v = approved.get(`${u.id}|${code}|${year}|${scenario}`);
      if (v !== undefined) total = (total ?? 0) + v;
    }
    return total;
  };
  const value = (members: UnionRow[], code: string, year: number, scenario: Scenario): number | null => {
    const a = def(code).aggregation;
    if (a.type === 'ratio') {
      const n = stored(members, a.numerator, year, scenario);
      const d = stored(members, a.denominator, year, scenario);
      return n === null || !d ? null : round2((n / d) * a.scale);
    }
    return stored(members, code, year, scenario);
  };
  /** Over a span: flows add up, stocks are the last year's, ratios are recomputed from those. */
  const over = (members: UnionRow[], code: string, years: number[], scenario: Scenario): number | null => {
    const d = def(code);
    if (d.aggregation.type === 'ratio') {
      const n = over(members, d.aggregation.numerator, years, scenario);
      const den = over(members, d.aggregation.denominator, years, scenario);
      return n === null || !den ? null : round2((n / den) * d.aggregation.scale);
    }
    if (d.kind === 'flow') return sum(years.map((y) => value(members, code, y, scenario)));
    return value(members, code, years[years.length - 1]!, scenario);
  };
  const growth = (members: UnionRow[], code: string) => {
    const a = value(members, code, FIRST, 'actual');
    const b = value(members, code, LAST, 'actual');
    return a === null || b === null || a === 0 ? null : round2(((b - a) / a) * 100);
  };
  /** % of target achieved over the period: a flow's sums, a stock's last year. */
  const achievedOver = (members: UnionRow[], code: string) =>
    def(code).kind === 'flow'
      ? pct(over(members, code, YEARS, 'actual'), over(members, code, YEARS, 'target'))
      : pct(value(members, code, LAST, 'actual'), value(members, code, LAST, 'target'));
  return { value, over, growth, achievedOver };
}

export type ReportValues = ReturnType<typeof reportValues>;
