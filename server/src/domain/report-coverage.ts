/**
 * The report's years and the stored cells behind its indicators, and how far a sentence may speak:
 * each sentence built from approved figures states how many of its units are covered, or is withheld.
 */
import {
  fillSentence, indicator as catalogueIndicator, REPORT_LABELS as L, REPORT_PERIOD, REPORT_PLAN, REPORT_SENTENCES, SENTENCE_COVERAGE, SENTENCE_FIGURES, SENTENCE_SUBJECTS,
  type IndicatorDef, type Scenario, type SentenceYears,
} from '@unionhub/schema';
import { existsIn } from './db.js';
import type { UnionRow } from './unions.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
export const YEARS = range(REPORT_PERIOD.from, REPORT_PERIOD.to);
export const PLAN_YEARS = range(REPORT_PLAN.from, REPORT_PLAN.to);
export const FIRST = REPORT_PERIOD.from;
export const LAST = REPORT_PERIOD.to;

export const def = (code: string): IndicatorDef => catalogueIndicator(code) ?? (() => { throw new Error(`report spec names unknown indicator ${code}`); })();
/** The stored indicators behind a code: itself, or a ratio's parts. */
export const storedParts = (code: string): string[] => {
  const a = def(code).aggregation;
  return a.type === 'ratio' ? [a.numerator, a.denominator] : [code];
};
const SENTENCE_YEARS: Record<SentenceYears, number[]> = { first: [FIRST], last: [LAST], period: YEARS, planLast: [REPORT_PLAN.to], plan: PLAN_YEARS };

/**
 * How many of the units a sentence speaks for (children in any of its figures' years) have every
 * cell behind it approved. A sentence summing the approved figures of some units only would read
 * as a national fact; this is what it must say of itself.
 */
export function sentenceCoverage(
  units: readonly UnionRow[],
  figures: (typeof SENTENCE_FIGURES)[keyof typeof SENTENCE_FIGURES],
  isApproved: (u: UnionRow, code: string, year: number, scenario: Scenario) => boolean,
): { covered: number; total: number } {
  const cells = figures.flatMap((f) => storedParts(f.indicator).map((code) => ({ code, scenario: f.scenario as Scenario, years: SENTENCE_YEARS[f.years] })));
  let covered = 0;
  let total = 0;
  for (const u of units) {
    const own = cells.flatMap((c) => c.years.filter((y) => existsIn(u, y)).map((y) => [c.code, y, c.scenario] as const));
    if (own.length === 0) continue;
    total++;
    if (own.every(([code, y, scenario]) => isApproved(u, code, y, scenario))) covered++;
  }
  return { covered, total };
}

/** The sentence as printed: as it stands with every unit covered, with its coverage above the threshold, else withheld. */
export function coveredSentence(key: keyof typeof REPORT_SENTENCES, text: string | null, c: { covered: number; total: number }): string {
  const fill = (template: string) => fillSentence(template, { covered: String(c.covered), total: String(c.total) })!;
  if (text === null || c.covered === 0) return `${SENTENCE_SUBJECTS[key]}: ${L.noData}.`;
  if (c.covered === c.total) return text;
  if (c.covered / c.total < SENTENCE_COVERAGE.minShare) return `${SENTENCE_SUBJECTS[key]}: ${fill(SENTENCE_COVERAGE.withheld)}.`;
  return `${text.replace(/\.$/, '')} ${fill(SENTENCE_COVERAGE.partial)}.`;
}
