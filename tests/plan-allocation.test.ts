/**
 * The allocation preview against the stored forecasts (issue 16), over GraphQL on the seeded tree:
 * a reviewer's override in force moves the forecast-workers allocation; a union whose forecast was
 * never stored, or is stale, is forecast then and says so; a coverage goal is allocated as its
 * numerator, summing exactly at every node to round(goal × the root's forecast denominator), and a
 * goal outside 0–100 % or without a denominator forecast is refused with its code; the gap view
 * flags allocated, proposed and approved each on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largestRemainder } from '../server/src/domain/allocation.js';
import { chosenForecast, forecastSeries } from '../server/src/domain/forecast.js';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
const idOf = (code: string) => `(select id from indicator where code = '${code}')`;
const unionId = (code: string) => `(select id from trade_union where code = '${code}')`;
beforeAll(async () => {
  s = await startTestServer();
  // The plan reads approved actuals (the seed's arrive submitted): members, workers and eligible enterprises.
  await s.sql(`update figure set status = 'approved' where scenario = 'actual'
    and indicator_id in (${idOf('members')}, ${idOf('workers')}, ${idOf('enterprises.eligible')})`);
  expect((await s.gql('mutation { runForecasts(root: "TLD") { forecasts } }')).errors).toBeUndefined();
}, 180_000);
afterAll(async () => s?.close());

const PREVIEW = `mutation($goal: AllocationGoalInput!, $key: AllocationKey!, $root: String!) {
  previewAllocation(goal: $goal, key: $key, root: $root) {
    token indicator writes goal allocatedGoal ratio { numerator denominator scale }
    rows { union { code } parentCode allocated years { year value } forecast denominatorForecast impliedRatio notes { code indicator textEn } }
  }
}`;
interface Row {
  union: { code: string }; parentCode: string | null; allocated: number; years: { year: number; value: number }[];
  forecast: number | null; denominatorForecast: number | null; impliedRatio: number | null; notes: { code: string; indicator: string | null; textEn: string }[];
}
const preview = async (goal: Record<string, unknown>, key: string, root: string) => {
  const r = await s.gql(PREVIEW, { goal, key, root });
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!.previewAllocation as { token: string; indicator: string; writes: string; goal: number; allocatedGoal: number; ratio: unknown; rows: Row[] };
};
const byCode = (rows: Row[]) => new Map(rows.map((r) => [r.union.code, r]));
const forecastsOf = async (root: string, indicator: string) => new Map(
  ((await s.gql(`query($r: String!, $i: String!) { forecasts(root: $r, indicator: $i) { union { code } values { year value } } }`, { r: root, i: indicator })).data!.forecasts as { union: { code: string }; values: { year: number; value: number }[] }[])
    .map((f) => [f.union.code, f.values.find((v) => v.year === 2023)?.value ?? null]),
);

/** Every parent's allocation and every year's value equal the sum of its children's, all whole. Returns the parents checked. */
function checkSums(rows: Row[]): number {
  const kids = new Map<string, Row[]>();
  for (const r of rows) if (r.parentCode !== null) (kids.get(r.parentCode) ?? kids.set(r.parentCode, []).get(r.parentCode)!).push(r);
  let parents = 0;
  for (const r of rows) {
    expect(Number.isInteger(r.allocated) && r.allocated >= 0, r.union.code).toBe(true);
    const children = kids.get(r.union.code);
    if (!children) continue;
    parents++;
    expect(children.reduce((t, c) => t + c.allocated, 0), `children of ${r.union.code}`).toBe(r.allocated);
    for (const y of r.years) expect(children.reduce((t, c) => t + c.years.find((x) => x.year === y.year)!.value, 0), `${r.union.code} ${y.year}`).toBe(y.value);
  }
  return parents;
}

describe('the preview reads the stored forecasts', () => {
  it('a reviewer’s override in force changes the forecast-workers allocation exactly as the key says', async () => {
    const goal = { indicator: 'members', value: 100_000 };
    const before = byCode((await preview(goal, 'FORECAST_WORKERS', 'P06')).rows);
    const children = [...before.values()].filter((r) => r.parentCode === 'P06');
    expect(children.length).toBeGreaterThan(3);
    expect(children.every((r) => r.notes.length === 0), 'every child has a stored workers forecast').toBe(true);
    const workers = await forecastsOf('P06', 'workers');
    const computed = workers.get('P06-H02')!;
    expect(computed).toBeGreaterThan(0);
    const o = await s.gql(`mutation($v: Float!) { overrideForecast(unionCode: "P06-H02", indicator: "workers", year: 2023, value: $v, reason: "Khu công nghiệp mới") { state } }`, { v: computed * 3 }, { as: 'reviewer' });
    expect(o.errors).toBeUndefined();
    const after = byCode((await preview(goal, 'FORECAST_WORKERS', 'P06')).rows);
    expect(after.get('P06-H02')!.allocated).toBeGreaterThan(before.get('P06-H02')!.allocated);
    // Exactly the largest remainder of the goal over the forecasts in force (the override in H02's place).
    const inForce = await forecastsOf('P06', 'workers');
    expect(inForce.get('P06-H02')).toBe(computed * 3);
    const expected = largestRemainder(100_000, children.map((c) => ({ code: c.union.code, quota: inForce.get(c.union.code)! })));
    for (const c of children) expect(after.get(c.union.code)!.allocated, c.union.code).toBe(expected.get(c.union.code));
  });

  it('a union without a stored forecast, or with a stale one, is forecast then and says so', async () => {
    await s.sql(`delete from forecast where union_id = ${unionId('P06-H03')}`);
    const reopened = await s.gql(`mutation { reopenFigures(selection: { cells: [{ unionCode: "P06-H04", indicatorCode: "workers", year: 2015, scenario: ACTUAL }] }, reason: "sửa") { movedCount } }`);
    expect(reopened.data?.reopenFigures.movedCount).toBe(1);
    const rows = byCode((await preview({ indicator: 'members', value: 100_000 }, 'FORECAST_WORKERS', 'P06')).rows);
    const h03 = rows.get('P06-H03')!;
    expect(h03.notes.map((n) => [n.code, n.indicator])).toEqual([['forecastNotRun', 'members'], ['forecastNotRun', 'workers']]);
    expect(h03.notes[0]!.textEn).toContain('no stored forecast');
    // Computed then from its approved actuals, as a run would: the same value, not a zero.
    const members = await s.sql<{ year: number; value: number }>(`select year, value from figure where union_id = ${unionId('P06-H03')}
      and indicator_id = ${idOf('members')} and scenario = 'actual' and status = 'approved' order by year`);
    const expected = chosenForecast(forecastSeries(members.map((m) => ({ year: Number(m.year), value: Number(m.value) })))).find((p) => p.year === 2023)!.value;
    expect(h03.forecast).toBe(expected);
    expect(rows.get('P06-H04')!.notes.map((n) => [n.code, n.indicator])).toEqual([['forecastStale', 'workers']]);
    expect(rows.get('P06-H04')!.notes[0]!.textEn).toContain('stale');
    expect(rows.get('P06-H05')!.notes).toEqual([]);
  });
});

describe('a coverage goal', () => {
  it('is allocated as enterprises.unionised: round(80 % × the root’s forecast eligible, override in force), exact at every node, with each union’s implied %', async () => {
    const eligible = (await forecastsOf('TLD', 'enterprises.eligible')).get('TLD')!;
    expect(eligible).toBeGreaterThan(0);
    const overridden = eligible + 1234;
    const o = await s.gql(`mutation($v: Float!) { overrideForecast(unionCode: "TLD", indicator: "enterprises.eligible", year: 2023, value: $v, reason: "Tổng điều tra doanh nghiệp") { state } }`, { v: overridden });
    expect(o.errors).toBeUndefined();
    const p = await preview({ indicator: 'coverage', value: 80 }, 'MEMBERS', 'TLD');
    expect(p).toMatchObject({ indicator: 'coverage', writes: 'enterprises.unionised', goal: 80, allocatedGoal: Math.round(0.8 * overridden), ratio: { numerator: 'enterprises.unionised', denominator: 'enterprises.eligible', scale: 100 } });
    expect(p.rows[0]!.allocated).toBe(Math.round(0.8 * overridden));
    expect(p.rows[0]!.impliedRatio).toBeCloseTo((Math.round(0.8 * overridden) / overridden) * 100, 9);
    expect(checkSums(p.rows)).toBeGreaterThan(80);
    const p06 = byCode(p.rows).get('P06')!;
    const p06Eligible = (await forecastsOf('P06', 'enterprises.eligible')).get('P06')!;
    expect(p06.denominatorForecast).toBe(p06Eligible);
    expect(p06.impliedRatio).toBeCloseTo((p06.allocated / p06Eligible) * 100, 9);
    // Shared by members, not by eligible enterprises: a union given more than its forecast denominator says so.
    for (const r of p.rows) expect(r.notes.some((n) => n.code === 'ratioOverMax'), r.union.code).toBe(r.impliedRatio !== null && r.impliedRatio > 100);
    expect(p.rows.some((r) => r.notes.some((n) => n.code === 'ratioOverMax'))).toBe(true);

    // Applying writes the numerator's targets; no coverage cell is written (it is computed from its parts).
    const applied = await s.gql(`mutation($t: String!) { applyAllocation(previewToken: $t) { proposed written unchanged } }`, { t: p.token });
    expect(applied.errors).toBeUndefined();
    const cell = await s.sql<{ value: number; proposed: number | null }>(`select value, proposed_value as proposed from figure where union_id = ${unionId('P06')}
      and indicator_id = ${idOf('enterprises.unionised')} and scenario = 'target' and year = 2023`);
    expect(Number(cell[0]!.proposed ?? cell[0]!.value)).toBe(p06.allocated);
    expect((await s.sql(`select count(*) as n from figure where indicator_id = ${idOf('coverage')}`))[0]!.n).toBe(0);
  });

  it('refuses a goal outside 0–100 % and a root without a forecast denominator, each with its code', async () => {
    for (const value of [120, -1]) {
      const r = await s.gql(PREVIEW, { goal: { indicator: 'coverage', value }, key: 'MEMBERS', root: 'TLD' });
      expect(r.errors?.[0]?.extensions, String(value)).toMatchObject({ code: 'VALIDATION', key: 'plan.ratioGoalRange' });
    }
    // P01's eligible enterprises no longer approved and its forecasts gone: none can be made.
    await s.sql(`update figure set status = 'submitted' where union_id = ${unionId('P01')} and indicator_id = ${idOf('enterprises.eligible')} and scenario = 'actual'`);
    await s.sql(`delete from forecast where union_id = ${unionId('P01')}`);
    const r = await s.gql(PREVIEW, { goal: { indicator: 'coverage', value: 80 }, key: 'MEMBERS', root: 'P01' });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', key: 'plan.noDenominatorForecast', reason: 'tooShort' });
    expect(r.errors?.[0]?.message).toContain('enterprises.eligible');
  });
});

describe('the gap view, per column', () => {
  const GAP = `{ planGap(root: "P06", year: 2023) { union { code } today forecast historicalRate columns { column value neededRate flags { code shortVi } } } }`;
  type Gap = { union: { code: string }; today: number | null; forecast: number | null; historicalRate: number | null; columns: { column: string; value: number | null; neededRate: number | null; flags: { code: string }[] }[] };

  it('flags allocated, proposed and approved each on its own: an allocation needing over twice the past rate beside a proposal below the forecast', async () => {
    const today = Number((await s.sql<{ value: number }>(`select value from figure where union_id = ${unionId('P06')} and indicator_id = ${idOf('members')} and scenario = 'actual' and year = 2017`))[0]!.value);
    const p = await preview({ indicator: 'members', value: today * 10 }, 'MEMBERS', 'P06');
    expect((await s.gql(`mutation($t: String!) { applyAllocation(previewToken: $t) { proposed } }`, { t: p.token })).errors).toBeUndefined();
    // P06-H02's reporter counter-proposes one below its forecast.
    const forecast = (await forecastsOf('P06', 'members')).get('P06-H02')!;
    const cell = await s.gql(`{ figure(unionCode: "P06-H02", indicatorCode: "members", year: 2023, scenario: TARGET) { version } }`);
    const proposed = await s.gql(`mutation($v: Float!, $e: Int!) { proposeFigure(cell: { unionCode: "P06-H02", indicatorCode: "members", year: 2023, scenario: TARGET }, value: $v, expectedVersion: $e, reason: "Theo khả năng") { version } }`,
      { v: forecast - 1, e: cell.data!.figure.version }, { as: 'reporter' });
    expect(proposed.errors).toBeUndefined();

    const rows = (await s.gql(GAP)).data!.planGap as Gap[];
    const h02 = rows.find((g) => g.union.code === 'P06-H02')!;
    const col = (g: Gap, c: string) => g.columns.find((x) => x.column === c)!;
    expect(h02.columns.map((c) => c.column)).toEqual(['ALLOCATED', 'PROPOSED', 'APPROVED']);
    expect(col(h02, 'ALLOCATED').value).toBe(byCode(p.rows).get('P06-H02')!.allocated);
    expect(col(h02, 'ALLOCATED').flags.map((f) => f.code)).toEqual(['overTwiceHistorical']);
    expect(col(h02, 'PROPOSED').value).toBe(forecast - 1);
    expect(col(h02, 'PROPOSED').flags.map((f) => f.code)).toContain('belowForecast');
    // Every column of every row by the rules, from its own value.
    for (const g of rows) {
      for (const c of g.columns) {
        const needed = g.today === null || c.value === null || g.today <= 0 ? null : ((c.value / g.today) ** (1 / 6) - 1) * 100;
        if (needed === null) expect(c.neededRate).toBeNull();
        else expect(c.neededRate).toBeCloseTo(needed, 9);
        const over = needed !== null && g.historicalRate !== null && needed > 0 && needed > 2 * Math.max(g.historicalRate, 0);
        const below = c.value !== null && g.forecast !== null && c.value < g.forecast;
        expect(c.flags.map((f) => f.code), `${g.union.code} ${c.column}`).toEqual([...(over ? ['overTwiceHistorical'] : []), ...(below ? ['belowForecast'] : [])]);
      }
    }
  });
});
