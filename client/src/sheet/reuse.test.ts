/** What a mode or year change can spare (reuse.ts): no request for fewer years, the list for held years dropped from the rows. */
import { describe, expect, it } from 'vitest';
import { narrowRows, reuseOf } from './reuse.ts';
import type { Row } from './types.ts';

const row = (unionCode: string, validYears: number[], childYears: number[]): Row => ({
  unionCode, name: unionCode, level: 1, parentCode: 'TLD', hasChildren: childYears.length > 0, validYears, childYears, readable: true, approvedOnly: false,
  values: [1, 2, 3], statuses: [null, null, null], versions: [1, 1, 1], proposals: [false, false, false], targets: null, open: false,
});

describe('reuseOf', () => {
  const held = { mode: 'achieved' as const, years: [2013, 2014, 2015], rowsFor: [2014, 2015] };
  it('fewer of the years the rows are for: no request; held years the rows dropped: the list; others: a load', () => {
    expect(reuseOf(held, 'achieved', [2015])).toBe('narrow');
    expect(reuseOf(held, 'actual', [2014, 2015])).toBe('narrow');
    expect(reuseOf(held, 'achieved', [2013, 2014, 2015])).toBe('list');
    expect(reuseOf(held, 'achieved', [2015, 2016])).toBeNull();
    expect(reuseOf(held, 'target', [2015])).toBeNull();
    expect(reuseOf({ ...held, mode: 'actual' }, 'achieved', [2015])).toBe('targets');
    expect(reuseOf({ ...held, mode: 'target' }, 'achieved', [2015])).toBe('actuals');
    expect(reuseOf(null, 'actual', [2015])).toBeNull();
  });
});

describe('narrowRows', () => {
  it('keeps the unions that exist in the years, closes the chevron of one with no child then, and keeps unchanged rows as they are', () => {
    const kept = row('P01', [2013, 2014, 2015], [2013, 2014, 2015]);
    const closed = row('P02', [2013, 2014, 2015], [2013]);
    const gone = row('P03', [2013], []);
    const rows = narrowRows(new Map([kept, closed, gone].map((r) => [r.unionCode, r])), [2014, 2015]);
    expect(rows.map((r) => [r.unionCode, r.hasChildren])).toEqual([['P01', true], ['P02', false]]);
    expect(rows[0]).toBe(kept);
    expect(rows[1]!.values).toBe(closed.values);
  });
});
