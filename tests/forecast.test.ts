/**
 * The forecast foundation of issue 16 (server/src/domain/forecast*.ts): each method on series built
 * to suit it, the backtest's MAPE against a hand computation from its definition, short series,
 * zeros and gaps, the explanation in both languages, determinism — then every level-1 union's seeded
 * actuals forecast from a real seeded database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEnNumber, formatViNumber } from '../schema/src/numbers.js';
import { FORECAST_HORIZON, forecastMethod } from '../schema/src/forecast.js';
import { chosenForecast, forecastSeries, type SeriesForecast } from '../server/src/domain/forecast.js';
import { fitHolt } from '../server/src/domain/forecast-methods.js';
import { freshDatabase } from './harness.js';
import { knexOf, openDatabase, type Orm } from '../server/src/db/orm.js';
import { rawRows } from '../server/src/domain/db.js';

const YEARS = [2013, 2014, 2015, 2016, 2017];
const series = (values: (number | null)[]) => values.map((value, i) => ({ year: YEARS[i]!, value }));
const method = (r: SeriesForecast, code: string) => r.methods.find((m) => m.method === code)!;
const horizon = Array.from({ length: FORECAST_HORIZON.to - FORECAST_HORIZON.from + 1 }, (_, i) => FORECAST_HORIZON.from + i);

/** Least squares from its definition: slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)². */
function leastSquares(xs: number[], ys: number[]): (x: number) => number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return (x) => my + slope * (x - mx);
}

function expectWholeForecasts(r: SeriesForecast): void {
  for (const m of r.methods) for (const p of m.forecast) {
    expect(Number.isInteger(p.value) && p.value >= 0, `${m.method} ${p.year} = ${p.value}`).toBe(true);
  }
}

describe('methods and the choice between them', () => {
  it('forecasts an exact linear series exactly with the linear method, and chooses it', () => {
    const r = forecastSeries(series([1000, 1250, 1500, 1750, 2000]));
    expect(r.chosen).toBe('linear');
    expect(method(r, 'linear').mape).toBeCloseTo(0, 9);
    expect(chosenForecast(r)).toEqual(horizon.map((year) => ({ year, value: 1000 + 250 * (year - 2013) })));
  });

  it('chooses compound growth for a constant-growth series, with its rate', () => {
    const r = forecastSeries(series(YEARS.map((y) => 10_000 * 1.08 ** (y - 2013))));
    expect(r.chosen).toBe('cagr');
    expect(method(r, 'cagr').parameters!.rate).toBeCloseTo(0.08, 12);
    expect(chosenForecast(r).at(-1)!.value).toBe(Math.round(10_000 * 1.08 ** (2023 - 2013)));
  });

  it('breaks a tie in error by the simpler method: a flat series is every method\'s exact fit', () => {
    const r = forecastSeries(series([500, 500, 500, 500, 500]));
    expect(r.methods.map((m) => m.mape)).toEqual([0, 0, 0]);
    expect(r.chosen).toBe('linear');
    expect(chosenForecast(r).every((p) => p.value === 500)).toBe(true);
  });

  it('prefers damped Holt on a series whose growth fades', () => {
    // Increments 2000, 1200, 720, 432: each year keeps 60 % of the previous year's growth.
    const r = forecastSeries(series([10_000, 12_000, 13_200, 13_920, 14_352]));
    expect(r.chosen).toBe('holt');
    const holt = method(r, 'holt');
    for (const other of ['linear', 'cagr']) expect(holt.mape!).toBeLessThan(method(r, other).mape!);
    expect(holt.parameters!.phi).toBeLessThan(1);
    // The horizon by hand from the chosen parameters: level + (phi + … + phi^h) · trend.
    const { alpha, beta, phi } = holt.parameters as { alpha: number; beta: number; phi: number };
    const ys = [10_000, 12_000, 13_200, 13_920, 14_352];
    let level = ys[0]!;
    let trend = ys[1]! - ys[0]!;
    for (const y of ys.slice(1)) {
      const next = alpha * y + (1 - alpha) * (level + phi * trend);
      trend = beta * (next - level) + (1 - beta) * phi * trend;
      level = next;
    }
    const expected = horizon.map((year) => {
      let damp = 0;
      for (let h = 1; h <= year - 2017; h++) damp += phi ** h;
      return { year, value: Math.round(level + damp * trend) };
    });
    expect(holt.forecast).toEqual(expected);
  });

  it('scores the backtest by MAPE exactly as the definition computes it by hand', () => {
    const values = [100, 110, 125, 130, 150];
    const r = forecastSeries(series(values));
    const ape = (actual: number, predicted: number) => (Math.abs(actual - predicted) / actual) * 100;
    const lin2017 = leastSquares([2013, 2014, 2015, 2016], values.slice(0, 4))(2017);
    const lin2016 = leastSquares([2013, 2014, 2015], values.slice(0, 3))(2016);
    expect(method(r, 'linear').mape).toBeCloseTo((ape(150, lin2017) + ape(130, lin2016)) / 2, 9);
    const cagr2017 = 130 * (130 / 100) ** (1 / 3);
    const cagr2016 = 125 * (125 / 100) ** (1 / 2);
    expect(method(r, 'cagr').mape).toBeCloseTo((ape(150, cagr2017) + ape(130, cagr2016)) / 2, 9);
    expect(method(r, 'linear').backtest.map((b) => b.year)).toEqual([2016, 2017]);
    // The chosen method has the lowest error of all.
    const best = Math.min(...r.methods.map((m) => m.mape!));
    expect(method(r, r.chosen!).mape).toBe(best);
  });

  it('skips, never crashes, on a union founded in 2016; forecasts from three years without a backtest', () => {
    const young = forecastSeries(series([null, null, null, 40, 55]));
    expect(young.chosen).toBeNull();
    expect(young.skipped).toBe('tooShort');
    expect(young.methods.every((m) => m.skipped === 'tooShort' && m.forecast.length === 0)).toBe(true);
    expect(young.explanation.en).toContain('too few actual years');
    expect(young.explanation.vi).toContain('không đủ số năm thực hiện');

    const three = forecastSeries(series([null, null, 30, 40, 55]));
    expect(three.chosen).toBe('linear');
    expect(three.methods.every((m) => m.mape === null)).toBe(true);
    expect(chosenForecast(three)).toHaveLength(horizon.length);
  });

  it('handles zeros (CAGR skipped, no negative forecast) and gaps (years present only)', () => {
    const fromZero = forecastSeries(series([0, 0, 5, 10, 20]));
    expect(method(fromZero, 'cagr').skipped).toBe('nonPositive');
    expectWholeForecasts(fromZero);

    const falling = forecastSeries(series([80, 60, 40, 20, 10]));
    expectWholeForecasts(falling);
    expect(method(falling, 'linear').forecast.at(-1)!.value).toBe(0);

    const gap = forecastSeries(series([100, null, 120, 130, 140]));
    expect(gap.chosen).toBe('linear');
    expect(chosenForecast(gap)[0]).toEqual({ year: 2018, value: 150 });
    // Holt steps year by year: the missing 2014 is interpolated, as if it had been reported as 110.
    expect(method(gap, 'holt').forecast).toEqual(method(forecastSeries(series([100, 110, 120, 130, 140])), 'holt').forecast);
  });

  it('explains the choice in Vietnamese and English from its numbers', () => {
    const r = forecastSeries(series([100, 110, 125, 130, 150]));
    const chosen = method(r, r.chosen!);
    const def = forecastMethod(r.chosen!);
    expect(r.explanation.en.startsWith(`${def.labelEn}: ${formatEnNumber(chosen.mape!, 1)} % error on 2016–2017`)).toBe(true);
    expect(r.explanation.vi.startsWith(`${def.labelVi}: sai số ${formatViNumber(chosen.mape!, 1)} % trên 2016–2017`)).toBe(true);
    for (const m of r.methods.filter((x) => x !== chosen)) {
      expect(r.explanation.en).toContain(`${forecastMethod(m.method).labelEn} ${formatEnNumber(m.mape!, 1)} %`);
      expect(r.explanation.vi).toContain(`${forecastMethod(m.method).labelVi} ${formatViNumber(m.mape!, 1)} %`);
    }
    expect(r.explanation.vi).toMatch(/\d,\d %/);
  });

  it('damped Holt picks, over the schema\'s grid, the parameters of least in-sample error (first wins ties), as a plain search does', () => {
    // The search as the definition reads, with a state object per try (fitHolt allocates nothing).
    const reference = (values: number[]) => {
      const grid = (code: string) => forecastMethod('holt').parameters.find((p) => p.code === code)!.grid!;
      let best: { alpha: number; beta: number; phi: number; sse: number; level: number; trend: number } | undefined;
      for (const alpha of grid('alpha')) for (const beta of grid('beta')) for (const phi of grid('phi')) {
        let [level, trend, sse] = [values[0]!, values[1]! - values[0]!, 0];
        for (let t = 1; t < values.length; t++) {
          const oneStep = level + phi * trend;
          if (t >= 2) sse += (values[t]! - oneStep) ** 2;
          const next = alpha * values[t]! + (1 - alpha) * oneStep;
          trend = beta * (next - level) + (1 - beta) * phi * trend;
          level = next;
        }
        if (!best || sse < best.sse) best = { alpha, beta, phi, sse, level, trend };
      }
      return best!;
    };
    let seed = 17;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // The third: every try's error overflows to Infinity, a tie that the first try wins.
    const series = [[100, 100, 100, 100, 100], [100, 120, 130, 135, 137], [1e200, 3e200, 1e200, 5e200, 2e200], ...Array.from({ length: 200 }, () => Array.from({ length: 3 + Math.floor(random() * 3) }, () => Math.round(random() * 10_000)))];
    for (const values of series) {
      const fit = fitHolt(values.map((value, i) => ({ year: 2013 + i, value })));
      const want = reference(values);
      if (!fit.ok) throw new Error('Holt did not fit');
      expect(fit.parameters).toEqual({ alpha: want.alpha, beta: want.beta, phi: want.phi });
      const last = 2013 + values.length - 1;
      expect(fit.predict(last + 2)).toBe(want.level + (want.phi + want.phi ** 2) * want.trend);
    }
  });

  it('is deterministic, whatever the input order', () => {
    const input = series([5200, 5350, 5610, 5590, 5800]);
    const a = forecastSeries(input);
    const b = forecastSeries([...input].reverse());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('the seeded national actuals', () => {
  // Only read: a copy of the seeded database, no server.
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let orm: Orm;
  beforeAll(async () => {
    db = await freshDatabase({ seeded: true });
    orm = await openDatabase(db.target);
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  it("forecasts every level-1 union's members: finite, whole, ≥ 0, chosen by the lowest backtest error", async () => {
    const rows = await rawRows<{ code: string; year: number; value: number | null }>(knexOf(orm),
      `select u.code as code, f.year as year, f.value as value from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
       where u.level = 1 and i.code = 'members' and f.scenario = 'actual' and f.year between ? and ? order by u.code, f.year`,
      [FORECAST_HORIZON.actualFrom, FORECAST_HORIZON.actualTo],
    );
    const byUnion = new Map<string, { year: number; value: number | null }[]>();
    for (const r of rows) byUnion.set(r.code, [...(byUnion.get(r.code) ?? []), { year: Number(r.year), value: r.value === null ? null : Number(r.value) }]);
    expect(byUnion.size).toBeGreaterThan(30);
    let forecast = 0;
    for (const [code, points] of byUnion) {
      const r = forecastSeries(points);
      expectWholeForecasts(r);
      for (const m of r.methods) for (const p of m.forecast) expect(Number.isFinite(p.value), code).toBe(true);
      if (!r.chosen) continue;
      forecast++;
      const errors = r.methods.filter((m) => m.mape !== null).map((m) => m.mape!);
      if (errors.length) expect(method(r, r.chosen).mape, code).toBe(Math.min(...errors));
    }
    expect(forecast).toBeGreaterThan(30);
  });
});
