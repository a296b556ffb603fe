/**
 * The plan's allocation (issue 16): the pure allocation against hand-computed small trees for each
 * key, then 10,000,000 members over the seeded national tree summing exactly at every node and year
 * (checked by a recursion over the result, not by SQL); then preview and apply over GraphQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocate, largestRemainder, type AllocatedUnit, type AllocationUnit } from '../server/src/domain/allocation.js';
import { FORECAST_INDICATORS } from '../server/src/domain/plan-forecasts.js';
import { chosenForecast, forecastSeries } from '../server/src/domain/forecast.js';
import { startTestServer, type TestServer } from './harness.js';

const unit = (code: string, parentCode: string | null, base: number | null, keyValue: number | null = base): AllocationUnit => ({ code, parentCode, base, keyValue });
const byCode = (r: AllocatedUnit[]) => new Map(r.map((u) => [u.code, u]));
const valueIn = (u: AllocatedUnit, year: number) => u.years.find((y) => y.year === year)!.value;

/** Every parent's allocation and every year's value equal the sum of its children's; all whole and ≥ 0. Returns the nodes checked. */
function checkSums(result: AllocatedUnit[]): number {
  const kids = new Map<string, AllocatedUnit[]>();
  for (const u of result) if (u.parentCode !== null) (kids.get(u.parentCode) ?? kids.set(u.parentCode, []).get(u.parentCode)!).push(u);
  let parents = 0;
  const visit = (u: AllocatedUnit): void => {
    expect(Number.isInteger(u.allocated) && u.allocated >= 0, `${u.code} allocated ${u.allocated}`).toBe(true);
    for (const y of u.years) expect(Number.isInteger(y.value) && y.value >= 0, `${u.code} ${y.year} = ${y.value}`).toBe(true);
    expect(u.years.at(-1)!.value).toBe(u.allocated);
    const children = kids.get(u.code) ?? [];
    if (children.length === 0) return;
    parents++;
    expect(children.reduce((s, c) => s + c.allocated, 0), `children of ${u.code}`).toBe(u.allocated);
    for (const y of u.years) expect(children.reduce((s, c) => s + valueIn(c, y.year), 0), `children of ${u.code} in ${y.year}`).toBe(y.value);
    children.forEach(visit);
  };
  visit(result[0]!);
  return parents;
}

describe('largest remainder', () => {
  it('gives the leftover units to the largest remainders, ties to the lower code', () => {
    expect(Object.fromEntries(largestRemainder(1001, [{ code: 'A', quota: 500 }, { code: 'B', quota: 300 }, { code: 'C', quota: 200 }]))).toEqual({ A: 501, B: 300, C: 200 });
    expect(Object.fromEntries(largestRemainder(10, [{ code: 'C', quota: 1 }, { code: 'A', quota: 1 }, { code: 'B', quota: 1 }]))).toEqual({ A: 4, B: 3, C: 3 });
    expect(Object.fromEntries(largestRemainder(5, [{ code: 'A', quota: 0 }, { code: 'B', quota: 0 }]))).toEqual({ A: 3, B: 2 });
  });

  it('sums exactly on awkward random quotas', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let n = 0; n < 200; n++) {
      const total = Math.floor(rnd() * 1e8);
      const quotas = Array.from({ length: 1 + Math.floor(rnd() * 40) }, (_, i) => ({ code: `U${i}`, quota: rnd() < 0.1 ? 0 : rnd() * 1e6 / 3 }));
      const shares = [...largestRemainder(total, quotas).values()];
      expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
      expect(shares.every((s) => Number.isInteger(s) && s >= 0)).toBe(true);
    }
  });
});

describe('allocation over small trees, by hand', () => {
  const tree = [unit('R', null, 1000), unit('A', 'R', 500), unit('B', 'R', 300), unit('C', 'R', 200), unit('A1', 'A', 300, 1), unit('A2', 'A', 200, null)];

  it('share of members: proportional, largest remainder, a union without data gets its siblings’ average with a note', () => {
    const r = byCode(allocate({ units: tree, root: 'R', goal: 1001, key: 'members' }));
    expect([r.get('A')!.allocated, r.get('B')!.allocated, r.get('C')!.allocated]).toEqual([501, 300, 200]);
    // A1 has 1, A2 none: A2 weighs the average (1), 250.5 each, the tie to the lower code.
    expect([r.get('A1')!.allocated, r.get('A2')!.allocated]).toEqual([251, 250]);
    expect(r.get('A2')!.notes).toEqual(['noKeyData']);
    expect(r.get('A1')!.notes).toEqual([]);
  });

  it('share of forecast workers: no sibling with data → equal shares, each noted', () => {
    const units = [unit('R', null, 10, null), unit('A', 'R', 1, null), unit('B', 'R', 1, null), unit('C', 'R', 1, null)];
    const r = byCode(allocate({ units, root: 'R', goal: 10, key: 'forecastWorkers' }));
    expect([r.get('A')!.allocated, r.get('B')!.allocated, r.get('C')!.allocated]).toEqual([4, 3, 3]);
    expect(r.get('B')!.notes).toEqual(['noKeyDataAll']);
  });

  it('equal growth: the same change for each, and a decline that would go below zero stops at zero', () => {
    const up = byCode(allocate({ units: tree, root: 'R', goal: 1300, key: 'equalGrowth' }));
    expect([up.get('A')!.allocated, up.get('B')!.allocated, up.get('C')!.allocated]).toEqual([600, 400, 300]);
    // 300 from 1000: −233.3 each takes C below zero; C stays at 0, A and B share −500: −250 each.
    const down = byCode(allocate({ units: tree, root: 'R', goal: 300, key: 'equalGrowth' }));
    expect([down.get('A')!.allocated, down.get('B')!.allocated, down.get('C')!.allocated]).toEqual([250, 50, 0]);
    expect(down.get('C')!.notes).toEqual(['belowZero']);
  });

  it('interpolates the years between along the path, each year shared by the same largest remainder', () => {
    const r = byCode(allocate({ units: tree, root: 'R', goal: 1300, key: 'equalGrowth' }));
    expect(r.get('R')!.years.map((y) => y.value)).toEqual([1050, 1100, 1150, 1200, 1250, 1300]);
    // 2018: A 516.67, B 316.67, C 216.67 → floors 1048, the two left go to A and B (equal remainders, lower codes).
    expect(['A', 'B', 'C'].map((c) => valueIn(r.get(c)!, 2018))).toEqual([517, 317, 216]);
    expect(r.get('A')!.growthPerYear).toBeCloseTo(100 / 6, 9);
    expect(r.get('A')!.growthRate).toBeCloseTo(((600 / 500) ** (1 / 6) - 1) * 100, 9);
    const compound = byCode(allocate({ units: tree, root: 'R', goal: 1300, key: 'equalGrowth', path: 'compound' }));
    expect(compound.get('R')!.years[0]!.value).toBe(Math.round(1000 * 1.3 ** (1 / 6)));
    checkSums([...compound.values()]);
    checkSums([...r.values()]);
  });
});

let s: TestServer;
const members2017 = `(select id from indicator where code = 'members')`;
beforeAll(async () => {
  s = await startTestServer();
  // The seed's actuals arrive submitted; the plan reads approved ones only: approve members 2013–2017, but not P06-H01's 2017.
  await s.sql(`update figure set status = 'approved' where scenario = 'actual' and indicator_id = ${members2017}
    and not (year = 2017 and union_id = (select id from trade_union where code = 'P06-H01'))`);
}, 120_000);
afterAll(async () => s?.close());

describe('on the seeded national tree', () => {
  it('allocates 10,000,000 members summing exactly at every node and every year', async () => {
    const units = await s.sql<{ code: string; parentCode: string | null; base: number | null }>(
      `select u.code, p.code as "parentCode", f.value as base from trade_union u left join trade_union p on p.id = u.parent_id
       left join figure f on f.union_id = u.id and f.year = 2017 and f.scenario = 'actual' and f.indicator_id = (select id from indicator where code = 'members')
       where u.valid_to is null`,
    );
    const result = allocate({ units: units.map((u) => unit(u.code, u.parentCode, u.base === null ? null : Number(u.base))), root: 'TLD', goal: 10_000_000, key: 'members' });
    expect(result).toHaveLength(units.length);
    expect(result[0]!.allocated).toBe(10_000_000);
    expect(checkSums(result)).toBeGreaterThan(80);
  });
});

const PREVIEW = `mutation($goal: AllocationGoalInput!, $key: AllocationKey!, $root: String!) {
  previewAllocation(goal: $goal, key: $key, root: $root) {
    token root goal baseYear goalYear
    rows { union { code } parentCode depth today forecast allocated years { year value } growthPerYear growthRate notes { code textVi textEn } }
  }
}`;
const APPLY = `mutation($t: String!) { applyAllocation(previewToken: $t) { proposed written unchanged } }`;

interface Row { union: { code: string }; parentCode: string | null; depth: number; today: number | null; forecast: number | null; allocated: number; years: { year: number; value: number }[]; notes: { code: string; textEn: string }[] }
const asAllocated = (rows: Row[]): AllocatedUnit[] =>
  rows.map((r) => ({ code: r.union.code, parentCode: r.parentCode, depth: r.depth, base: r.today, allocated: r.allocated, years: r.years, growthPerYear: null, growthRate: null, notes: r.notes.map((n) => n.code as never) }));

describe('preview and apply', () => {
  const preview = (goal: Record<string, unknown>, key = 'MEMBERS', root = 'TLD', as: 'admin' | 'reviewer' | 'reporter' | 'viewer' = 'admin') =>
    s.gql(PREVIEW, { goal, key, root }, { as });

  it('refuses goals below zero, beyond the unit’s bounds, fractional or of an indicator that is not allocated (VALIDATION)', async () => {
    for (const goal of [{ indicator: 'members', value: -1 }, { indicator: 'members', value: 300_000_000 }, { indicator: 'members', value: 10.5 }, { indicator: 'workers', value: 10 }]) {
      const r = await preview(goal);
      expect(r.errors?.[0]?.extensions.code, JSON.stringify(goal)).toBe('VALIDATION');
    }
    expect((await s.sql(`select count(*) as n from allocation_preview`))[0]!.n).toBe(0);
  });

  it('lets only the department allocate (FORBIDDEN for a provincial reviewer, a reporter, a viewer at TLĐ)', async () => {
    for (const as of ['reviewer', 'reporter', 'viewer'] as const) {
      const r = await preview({ indicator: 'members', value: 1000 }, 'MEMBERS', 'P06', as);
      expect(r.errors?.[0]?.extensions.code, as).toBe('FORBIDDEN');
    }
    // An unapplied preview from long ago is cleared by the next preview.
    await s.sql(`insert into allocation_preview (token, root_code, indicator_code, allocation_key, path, goal, cells, created_by, created_at) values ('old', 'P06', 'members', 'members', 'linear', 1, '[]', 'admin', ?)`, [new Date(0)]);
    const token = (await preview({ indicator: 'members', value: 1000 }, 'MEMBERS', 'P06')).data!.previewAllocation.token;
    expect(await s.sql(`select token from allocation_preview where token = 'old'`)).toHaveLength(0);
    expect((await s.gql(APPLY, { t: token }, { as: 'reporter' })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('previews 10,000,000 members nationally: sums exact everywhere, today from approved actuals, no-data unions noted', async () => {
    const r = await preview({ indicator: 'members', value: 10_000_000 });
    expect(r.errors).toBeUndefined();
    const rows: Row[] = r.data!.previewAllocation.rows;
    const unions = await s.sql<{ n: number }>(`select count(*) as n from trade_union where valid_to is null and valid_from <= 2018`);
    expect(rows).toHaveLength(Number(unions[0]!.n));
    expect(checkSums(asAllocated(rows))).toBeGreaterThan(80);
    const approved = await s.sql<{ code: string; value: number }>(`select u.code, f.value from figure f join trade_union u on u.id = f.union_id
      where f.indicator_id = ${members2017} and f.scenario = 'actual' and f.year = 2017 and f.status = 'approved' and u.code in ('P06', 'P01')`);
    for (const a of approved) expect(rows.find((x) => x.union.code === a.code)!.today).toBe(Number(a.value));
    const h01 = rows.find((x) => x.union.code === 'P06-H01')!;
    expect(h01.today).toBeNull();
    // No forecast was run yet: the members forecast shown is computed then, and said (plan-allocation.test.ts reads stored ones).
    expect(h01.notes.map((n) => n.code)).toEqual(['noKeyData', 'noBase', 'forecastNotRun']);
    expect(h01.notes[0]!.textEn).toContain('average share of its siblings');
    expect(rows.find((x) => x.union.code === 'P06')!.forecast).toBeGreaterThan(0);
  });

  it('applies a preview as proposed targets in one go; a target changed since the preview → CONFLICT, nothing written', async () => {
    const proposals = async () => Number((await s.sql(`select count(*) as n from figure where proposed_value is not null`))[0]!.n);
    const before = await proposals();
    const p = (await preview({ indicator: 'members', value: 123_456 }, 'EQUAL_GROWTH', 'P06')).data!.previewAllocation;
    // A reporter of P06 changes one of its targets meanwhile (a proposal beside the approved value).
    const [cell] = await s.sql<{ version: number }>(`select f.version from figure f join trade_union u on u.id = f.union_id
      where u.code = 'P06-H02' and f.indicator_id = ${members2017} and f.scenario = 'target' and f.year = 2020`);
    const changed = await s.gql(`mutation($v: Int!) { proposeFigure(cell: { unionCode: "P06-H02", indicatorCode: "members", year: 2020, scenario: TARGET }, value: 1, expectedVersion: $v) { version } }`, { v: Number(cell!.version) }, { as: 'reporter' });
    expect(changed.errors).toBeUndefined();
    const refused = await s.gql(APPLY, { t: p.token });
    expect(refused.errors?.[0]?.extensions.code).toBe('CONFLICT');
    expect(await proposals()).toBe(before + 1);

    const again = (await preview({ indicator: 'members', value: 123_456 }, 'EQUAL_GROWTH', 'P06')).data!.previewAllocation;
    const applied = await s.gql(APPLY, { t: again.token });
    expect(applied.errors).toBeUndefined();
    const { proposed, written, unchanged } = applied.data!.applyAllocation;
    expect(proposed + written + unchanged).toBe(again.rows.length * 6);
    const p06 = await s.sql<{ year: number; proposed: number | null; value: number; status: string }>(`select f.year, f.proposed_value as proposed, f.value, f.status from figure f
      join trade_union u on u.id = f.union_id where u.code = 'P06' and f.indicator_id = ${members2017} and f.scenario = 'target' and f.year >= 2018 order by f.year`);
    const row = (again.rows as Row[]).find((x) => x.union.code === 'P06')!;
    expect(p06.map((c) => Number(c.proposed ?? c.value))).toEqual(row.years.map((y) => y.value));
    expect(p06.at(-1)!.proposed === null ? p06.at(-1)!.value : Number(p06.at(-1)!.proposed)).toBe(123_456);
    expect((await s.gql(APPLY, { t: again.token })).errors?.[0]?.extensions.code).toBe('CONFLICT');
  });
});

describe('stored forecasts', () => {
  const FORECASTS = `query($root: String!, $indicator: String!) { forecasts(root: $root, indicator: $indicator) {
    union { code } method skipped parameters { code value } methods { method mape skipped backtest { year ape } } values { year value } explanationEn stale } }`;
  const RUN = `mutation($root: String!) { runForecasts(root: $root) { forecasts skipped } }`;
  const list = async (indicator: string) => {
    const r = await s.gql(FORECASTS, { root: 'P06', indicator });
    expect(r.errors).toBeUndefined();
    return new Map((r.data!.forecasts as { union: { code: string }; method: string | null; skipped: string | null; values: { year: number; value: number }[]; methods: { mape: number | null }[]; explanationEn: string; stale: boolean }[]).map((f) => [f.union.code, f]));
  };

  it('forecasts from approved actuals only, stores method and backtests, marks stale when an approved actual changes, recomputes on a run', async () => {
    expect((await s.gql(RUN, { root: 'P06' }, { as: 'reporter' })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const run = await s.gql(RUN, { root: 'P06' });
    expect(run.errors).toBeUndefined();
    const unions = Number((await s.sql(`select count(*) as n from trade_union where path like '/TLD/P06/%'`))[0]!.n);
    expect(run.data!.runForecasts.forecasts).toBe(unions * FORECAST_INDICATORS.length);

    const members = await list('members');
    const p06 = members.get('P06')!;
    // The same approved actuals through the pure forecast: the stored values are its chosen forecast.
    const approved = await s.sql<{ year: number; value: number }>(`select f.year, f.value from figure f join trade_union u on u.id = f.union_id
      where u.code = 'P06' and f.indicator_id = ${members2017} and f.scenario = 'actual' and f.status = 'approved' order by f.year`);
    const expected = forecastSeries(approved.map((a) => ({ year: Number(a.year), value: Number(a.value) })));
    expect(p06.method).toBe(expected.chosen!.toUpperCase());
    expect(p06.values).toEqual(chosenForecast(expected));
    expect(p06.methods.every((m) => m.mape !== null)).toBe(true);
    expect(p06.explanationEn).toBe(expected.explanation.en);
    expect([...members.values()].every((f) => !f.stale)).toBe(true);
    // Workers were never approved: no forecast, the reason stored.
    const workers = await list('workers');
    expect([...workers.values()].every((f) => f.method === null && f.skipped === 'tooShort' && f.values.length === 0)).toBe(true);

    const reopened = await s.gql(`mutation { reopenFigures(selection: { cells: [{ unionCode: "P06", indicatorCode: "members", year: 2016, scenario: ACTUAL }] }, reason: "correction") { movedCount } }`);
    expect(reopened.data?.reopenFigures.movedCount).toBe(1);
    const after = await list('members');
    expect(after.get('P06')!.stale).toBe(true);
    expect([...after.values()].filter((f) => f.stale).map((f) => f.union.code)).toEqual(['P06']);
    await s.gql(RUN, { root: 'P06' });
    const rerun = (await list('members')).get('P06')!;
    expect(rerun.stale).toBe(false);
    expect(rerun.values).toEqual(chosenForecast(forecastSeries(approved.filter((a) => Number(a.year) !== 2016).map((a) => ({ year: Number(a.year), value: Number(a.value) })))));
  });
});

describe('forecast overrides', () => {
  const OVERRIDE = `mutation($u: String!, $y: Int!, $v: Float!, $r: String!) { overrideForecast(unionCode: $u, indicator: "members", year: $y, value: $v, reason: $r) {
    year value computedValue reason by at state } }`;
  const FORECASTS = `{ forecasts(root: "P06", indicator: "members") { union { code } stale values { year value } computedValues { year value }
    overrides { year value computedValue reason by at state stateEn } } }`;
  const RUN = `mutation { runForecasts(root: "P06") { forecasts overridesKept overridesLapsed } }`;
  type F = { union: { code: string }; stale: boolean; values: { year: number; value: number }[]; computedValues: { year: number; value: number }[];
    overrides: { year: number; value: number; computedValue: number | null; reason: string; by: string; state: string; stateEn: string }[] };
  const list = async () => new Map(((await s.gql(FORECASTS)).data!.forecasts as F[]).map((f) => [f.union.code, f]));
  const at = (v: { year: number; value: number }[], y: number) => v.find((x) => x.year === y)?.value;
  const override = (u: string, y: number, v: number, r: string, as: 'admin' | 'reviewer' | 'reporter' | 'viewer' = 'reviewer') => s.gql(OVERRIDE, { u, y, v, r }, { as });

  it('is for a reviewer of the union or above only, with a value within bounds and a reason', async () => {
    for (const [u, as] of [['P06-H02', 'reporter'], ['P06-H02', 'viewer'], ['P01', 'reviewer']] as const) {
      expect((await override(u, 2023, 1000, 'Khảo sát', as)).errors?.[0]?.extensions.code, `${as} on ${u}`).toBe('FORBIDDEN');
    }
    for (const [y, v, r] of [[2023, -1, 'Khảo sát'], [2023, 300_000_000, 'Khảo sát'], [2023, 10.5, 'Khảo sát'], [2023, 1000, '   '], [2017, 1000, 'Khảo sát']] as const) {
      expect((await override('P06-H02', y, v, r)).errors?.[0]?.extensions.code, `${y} ${v} "${r}"`).toBe('VALIDATION');
    }
    expect((await s.sql(`select count(*) as n from forecast_override`))[0]!.n).toBe(0);
  });

  it('shows beside the computed value, survives a run, lapses (said) when its approved actuals change; every override kept', async () => {
    const before = await list();
    const computed = at(before.get('P06-H02')!.computedValues, 2023)!;
    expect(computed).toBeGreaterThan(0);
    const o = await override('P06-H02', 2023, 4321, 'Khu công nghiệp mới 2020');
    expect(o.errors).toBeUndefined();
    expect(o.data!.overrideForecast).toMatchObject({ year: 2023, value: 4321, computedValue: computed, reason: 'Khu công nghiệp mới 2020', by: 'reviewer.backan', state: 'IN_FORCE' });
    expect((await override('P06-H02', 2023, 4400, 'Số liệu khảo sát quý 4')).errors).toBeUndefined();
    expect((await override('P06-H03', 2022, 777, 'Giải thể 2 doanh nghiệp', 'admin')).errors).toBeUndefined();
    let f = await list();
    const h02 = f.get('P06-H02')!;
    expect(at(h02.values, 2023)).toBe(4400);
    expect(at(h02.computedValues, 2023)).toBe(computed);
    expect(at(h02.values, 2022)).toBe(at(h02.computedValues, 2022));
    expect(h02.overrides.map((x) => [x.value, x.state, x.by])).toEqual([[4321, 'SUPERSEDED', 'reviewer.backan'], [4400, 'IN_FORCE', 'reviewer.backan']]);
    // The gap view reads the forecast in force.
    const gap = (await s.gql(`{ planGap(root: "P06", year: 2022) { union { code } forecast } }`)).data!.planGap as { union: { code: string }; forecast: number }[];
    expect(gap.find((g) => g.union.code === 'P06-H03')!.forecast).toBe(777);

    const kept = await s.gql(RUN);
    expect(kept.data!.runForecasts).toMatchObject({ overridesKept: 2, overridesLapsed: 0 });
    expect(at((await list()).get('P06-H02')!.values, 2023)).toBe(4400);

    // An approved actual of P06-H02 re-opened: its forecast is stale and its override lapses; P06-H03's holds.
    const reopened = await s.gql(`mutation { reopenFigures(selection: { cells: [{ unionCode: "P06-H02", indicatorCode: "members", year: 2015, scenario: ACTUAL }] }, reason: "sửa") { movedCount } }`);
    expect(reopened.data?.reopenFigures.movedCount).toBe(1);
    f = await list();
    expect(f.get('P06-H02')!.stale).toBe(true);
    expect(f.get('P06-H02')!.overrides.at(-1)).toMatchObject({ state: 'LAPSED', stateEn: expect.stringContaining('approved actuals changed') });
    expect(at(f.get('P06-H02')!.values, 2023)).toBe(at(f.get('P06-H02')!.computedValues, 2023));
    expect(f.get('P06-H03')!.overrides.at(-1)!.state).toBe('IN_FORCE');
    const rerun = await s.gql(RUN);
    expect(rerun.data!.runForecasts).toMatchObject({ overridesKept: 1, overridesLapsed: 1 });
    f = await list();
    expect(f.get('P06-H02')!.stale).toBe(false);
    expect(f.get('P06-H02')!.overrides.at(-1)!.state).toBe('LAPSED');
    expect(at(f.get('P06-H03')!.values, 2022)).toBe(777);
    expect((await s.sql(`select count(*) as n from forecast_override`))[0]!.n).toBe(3);
  });
});

describe('the gap view', () => {
  const GAP = `query($root: String!, $year: Int!) { planGap(root: $root, year: $year) {
    union { code } today forecast allocated proposed approved neededRate historicalRate flags { code textEn } } }`;
  type Gap = { union: { code: string }; today: number | null; forecast: number | null; allocated: number | null; proposed: number | null; approved: number | null; neededRate: number | null; historicalRate: number | null; flags: { code: string }[] };

  it('shows forecast, allocated, proposed and approved per union with the growth needed, and flags by their rules', async () => {
    expect((await s.gql(GAP, { root: 'P06', year: 2017 })).errors?.[0]?.extensions.code).toBe('VALIDATION');
    // After the tests above: P06 allocated 123,456 (equal growth) and applied as proposals; its forecasts stored.
    const r = await s.gql(GAP, { root: 'P06', year: 2023 });
    expect(r.errors).toBeUndefined();
    const rows: Gap[] = r.data!.planGap;
    const children = Number((await s.sql(`select count(*) as n from trade_union where parent_id = (select id from trade_union where code = 'P06')`))[0]!.n);
    expect(rows.map((x) => x.union.code)[0]).toBe('P06');
    expect(rows).toHaveLength(1 + children);
    const p06 = rows[0]!;
    expect(p06.allocated).toBe(123_456);
    const [target] = await s.sql<{ value: number; proposed: number | null }>(`select f.value, f.proposed_value as proposed from figure f join trade_union u on u.id = f.union_id
      where u.code = 'P06' and f.indicator_id = ${members2017} and f.scenario = 'target' and f.year = 2023`);
    expect(p06.approved).toBe(Number(target!.value));
    expect(p06.proposed).toBe(target!.proposed === null ? null : Number(target!.proposed));
    const stored = (await s.gql(`{ forecasts(root: "P06", indicator: "members") { union { code } values { year value } } }`)).data!.forecasts;
    expect(p06.forecast).toBe(stored[0].values.find((v: { year: number }) => v.year === 2023).value);
    expect(p06.neededRate).toBeCloseTo(((Number(target!.value) / p06.today!) ** (1 / 6) - 1) * 100, 9);
    for (const g of rows) {
      const goal = g.approved ?? g.proposed ?? g.allocated;
      const over = g.neededRate !== null && g.historicalRate !== null && g.neededRate > 0 && g.neededRate > 2 * Math.max(g.historicalRate, 0);
      const below = goal !== null && g.forecast !== null && goal < g.forecast;
      expect(g.flags.map((f) => f.code).sort(), g.union.code).toEqual([...(below ? ['belowForecast'] : []), ...(over ? ['overTwiceHistorical'] : [])]);
    }
    expect(rows.some((g) => g.flags.length > 0)).toBe(true);
    // Who reads approved figures only sees no proposals.
    const viewer = await s.gql(GAP, { root: 'P06', year: 2023 }, { as: 'viewer' });
    expect((viewer.data!.planGap as Gap[]).every((g) => g.proposed === null)).toBe(true);
  });
});
