/** Each rule kind on small hand-made trees: pass, fail, tolerance edge, missing values. */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '@unionhub/schema';
import { evaluate, type CellSource, type Check, type Tree, type UnitInfo } from '../server/src/domain/rules.js';

function world(units: UnitInfo[], values: Record<string, number>, successions: { pred: number; succ: number; year: number }[] = []) {
  const src: CellSource = { value: (u, code, y, s: Scenario) => values[`${u}|${code}|${y}|${s}`] };
  const tree: Tree = {
    unit: (id) => units.find((u) => u.id === id),
    children: (id, y) => units.filter((u) => u.parentId === id && u.validFrom <= y && (u.validTo === null || u.validTo >= y)),
    predecessors: (id, y) => successions.filter((s) => s.succ === id && s.year === y).map((s) => s.pred),
    successors: (id, y) => successions.filter((s) => s.pred === id && s.year === y).map((s) => s.succ),
  };
  return (check: Check) => evaluate(check, src, tree).map((f) => [f.ruleId, f.unionId, f.indicatorCode, f.year, f.difference]);
}

const unit = (id: number, parentId: number | null, validFrom = 2013, validTo: number | null = null): UnitInfo => ({ id, code: `U${id}`, parentId, validFrom, validTo });
const A = 'actual';

describe('hierarchy: a parent equals the sum of its children in that year’s tree', () => {
  const units = [unit(1, null), unit(2, 1), unit(3, 1), unit(4, 1, 2016)];
  it('passes when equal, fails with the difference, ignores children that report nothing', () => {
    const run = world(units, { '1|members|2015|actual': 30, '2|members|2015|actual': 10, '3|members|2015|actual': 20, '1|members|2016|actual': 31, '2|members|2016|actual': 10, '3|members|2016|actual': 20 });
    expect(run({ kind: 'hierarchy', unionId: 1, code: 'members', year: 2015, scenario: A })).toEqual([]);
    // 2016: child 4 is in the tree but reports nothing, so it is no evidence; 31 ≠ 30.
    expect(run({ kind: 'hierarchy', unionId: 1, code: 'members', year: 2016, scenario: A })).toEqual([['hierarchy.sum', 1, 'members', 2016, 1]]);
  });
  it('is silent when the parent has no value or no child reports', () => {
    const run = world(units, { '2|members|2015|actual': 10, '1|funding|2015|actual': 5 });
    expect(run({ kind: 'hierarchy', unionId: 1, code: 'members', year: 2015, scenario: A })).toEqual([]);
    expect(run({ kind: 'hierarchy', unionId: 1, code: 'funding', year: 2015, scenario: A })).toEqual([]);
  });
  it('has no tolerance: one unit off is a discrepancy, a fraction of binary noise is not', () => {
    const run = world(units, { '1|funding|2015|actual': 0.3, '2|funding|2015|actual': 0.1, '3|funding|2015|actual': 0.2 });
    expect(run({ kind: 'hierarchy', unionId: 1, code: 'funding', year: 2015, scenario: A })).toEqual([]);
  });
});

describe('balance over years', () => {
  const units = [unit(1, null), unit(5, null, 2013, 2015), unit(6, null, 2016), unit(7, null, 2016)];
  const base = { '1|members|2014|actual': 100, '1|members.admitted|2015|actual': 12, '1|members.left|2015|actual': 2 };
  it('members(y) = members(y−1) + admitted − left', () => {
    expect(world(units, { ...base, '1|members|2015|actual': 110 })({ kind: 'balance', unionId: 1, year: 2015 })).toEqual([]);
    expect(world(units, { ...base, '1|members|2015|actual': 111 })({ kind: 'balance', unionId: 1, year: 2015 })).toEqual([['balance.members', 1, 'members', 2015, 1]]);
  });
  it('gives no verdict when a stock or a flow is not reported', () => {
    expect(world(units, { '1|members|2014|actual': 100, '1|members|2015|actual': 130, '1|members.admitted|2015|actual': 12 })({ kind: 'balance', unionId: 1, year: 2015 })).toEqual([]);
    expect(world(units, { '1|members|2015|actual': 100 })({ kind: 'balance', unionId: 1, year: 2015 })).toEqual([]);
  });
  it('balances a split as a group, checked once at the first successor', () => {
    const split = [{ pred: 5, succ: 6, year: 2016 }, { pred: 5, succ: 7, year: 2016 }];
    const flows = { '6|members.admitted|2016|actual': 5, '6|members.left|2016|actual': 0, '7|members.admitted|2016|actual': 0, '7|members.left|2016|actual': 0 };
    const v = { '5|members|2015|actual': 100, '6|members|2016|actual': 65, '7|members|2016|actual': 40, ...flows };
    const run = world(units, v, split);
    expect(run({ kind: 'balance', unionId: 6, year: 2016 })).toEqual([]);
    expect(run({ kind: 'balance', unionId: 7, year: 2016 })).toEqual([]);
    const broken = world(units, { ...v, '7|members|2016|actual': 41 }, split);
    expect(broken({ kind: 'balance', unionId: 6, year: 2016 })).toEqual([['balance.members', 6, 'members', 2016, 1]]);
    expect(broken({ kind: 'balance', unionId: 7, year: 2016 })).toEqual([]);
  });
});

describe('within a cell group', () => {
  const units = [unit(1, null)];
  const g = (values: Record<string, number>, scenario: Scenario = 'actual') => world(units, values)({ kind: 'group', unionId: 1, year: 2015, scenario });
  const sectors = (total: number, parts: number[]) => ({
    '1|workers|2015|actual': total,
    ...Object.fromEntries(['public', 'state', 'private', 'fdi', 'other'].map((s, i) => [`1|workers.sector.${s}|2015|actual`, parts[i]!])),
  });
  it('sectors add up to the total; a missing part means no verdict', () => {
    expect(g(sectors(15, [1, 2, 3, 4, 5]))).toEqual([]);
    expect(g(sectors(16, [1, 2, 3, 4, 5]))).toEqual([['group.sectors', 1, 'workers', 2015, 1]]);
    const missing = sectors(16, [1, 2, 3, 4, 5]);
    delete (missing as Record<string, number>)['1|workers.sector.fdi|2015|actual'];
    expect(g(missing)).toEqual([]);
  });
  it('women ≤ total, equality allowed', () => {
    expect(g({ '1|members|2015|actual': 10, '1|members.women|2015|actual': 10 })).toEqual([]);
    expect(g({ '1|members|2015|actual': 10, '1|members.women|2015|actual': 11 })).toEqual([['group.women', 1, 'members', 2015, 1]]);
  });
  it('grades + ungraded = grassroots', () => {
    const grades = { '1|grade.strong|2015|actual': 7, '1|grade.fair|2015|actual': 2, '1|grade.average|2015|actual': 1, '1|grade.weak|2015|actual': 0, '1|grade.ungraded|2015|actual': 1 };
    expect(g({ ...grades, '1|grassroots|2015|actual': 11 })).toEqual([]);
    expect(g({ ...grades, '1|grassroots|2015|actual': 12 })).toEqual([['group.grades', 1, 'grassroots', 2015, -1]]);
  });
  it('unionised ≤ eligible, in targets too', () => {
    expect(g({ '1|enterprises.unionised|2015|target': 5, '1|enterprises.eligible|2015|target': 4 }, 'target')).toEqual([['group.unionised', 1, 'enterprises.eligible', 2015, 1]]);
  });
});

describe('plausibility', () => {
  const units = [unit(1, null)];
  it('flags a change from last year beyond 25 % and at least 50, not one within', () => {
    const run = world(units, { '1|members|2014|actual': 1000, '1|members|2015|actual': 1250, '1|workers|2014|actual': 1000, '1|workers|2015|actual': 1251, '1|grassroots|2014|actual': 10, '1|grassroots|2015|actual': 20 });
    expect(run({ kind: 'year_over_year', unionId: 1, code: 'members', year: 2015 })).toEqual([]); // exactly 25 %
    expect(run({ kind: 'year_over_year', unionId: 1, code: 'workers', year: 2015 })).toEqual([['plausibility.change', 1, 'workers', 2015, 251]]);
    expect(run({ kind: 'year_over_year', unionId: 1, code: 'grassroots', year: 2015 })).toEqual([]); // +100 % but only +10
  });
  it('flags a value far outside the unit’s own history by robust z-score, with enough years', () => {
    const series = (vals: number[]) => Object.fromEntries(vals.map((v, i) => [`1|officials.trained|${2013 + i}|actual`, v]));
    expect(world(units, series([100, 104, 98, 600, 101]))({ kind: 'history', unionId: 1, code: 'officials.trained' })).toEqual([['plausibility.history', 1, 'officials.trained', 2016, 499]]);
    expect(world(units, series([100, 104, 98, 120, 101]))({ kind: 'history', unionId: 1, code: 'officials.trained' })).toEqual([]);
    expect(world(units, series([100, 600, 98]))({ kind: 'history', unionId: 1, code: 'officials.trained' })).toEqual([]); // 3 years < 4
  });
});
