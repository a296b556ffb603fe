/**
 * The report page's plan section in a real browser (issue 16): after the forecasts are run, each plan
 * indicator's chart draws the forecast and the approved target as two series, at the points the
 * report's numbers put them, with the legend in the page's language (Vietnamese, then English).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planChartGeometry } from '@unionhub/schema';
import { SCREENSHOTS, setUpBrowserSuite } from './browser.js';

const suite = setUpBrowserSuite();

describe('the report page: forecast beside the target', () => {
  it('draws forecast and target as two series per plan indicator, in the page\'s language', async () => {
    const s = suite.s;
    await s.sql(`update figure set status = 'approved' where scenario = 'actual' and indicator_id in (select id from indicator where code in ('members', 'grassroots', 'enterprises.eligible'))`);
    await s.sql(`update figure set status = 'approved' where scenario = 'target' and year between 2018 and 2023 and union_id in (select id from trade_union where level = 1)`);
    expect((await s.gql('mutation { runForecasts(root: "TLD") { forecasts } }')).errors).toBeUndefined();
    const rows = (await s.gql('{ report(root: "TLD") { planForecast { indicator year forecast target } } }')).data!.report.planForecast as { indicator: string; year: number; forecast: number; target: number }[];
    const members = rows.filter((r) => r.indicator === 'members');
    expect(members.every((r) => r.forecast !== null && r.target !== null)).toBe(true);

    const page = await suite.session('admin');
    await page.locator('button[data-view="report"]').click();
    const chart = page.getByTestId('plan-forecast-chart-members');
    await chart.waitFor();
    // Two series, each a line through one point per plan year, where the shared geometry puts them.
    const g = planChartGeometry({ indicator: 'members', years: members.map((r) => r.year), forecast: members.map((r) => r.forecast), target: members.map((r) => r.target), lang: 'vi' });
    for (const key of ['target', 'forecast'] as const) {
      const series = chart.locator(`svg g[data-series="${key}"]`);
      expect(await series.locator('polyline').count()).toBe(1);
      const cy = await series.locator('circle').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
      expect(cy).toHaveLength(6);
      expect(cy.map((y) => y.toFixed(1))).toEqual(g.lines.find((l) => l.key === key)!.points.map((p) => p.y.toFixed(1)));
    }
    const svgText = await chart.locator('svg').textContent();
    expect(svgText).toContain('Dự báo');
    expect(svgText).toContain('Chỉ tiêu giao');
    expect(svgText).toContain('Tổng số đoàn viên: dự báo và chỉ tiêu 2018–2023');
    expect(svgText).toMatch(/\d+(,\d+)? tr/); // vi-VN ticks in millions
    expect(await page.getByTestId('plan-forecast-charts').locator('figure').count()).toBe(3);
    expect(await page.getByTestId('plan-forecast-chart-members').locator('li[data-note="method"]').count()).toBe(1);
    await page.getByTestId('plan-forecast-charts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'report-plan-forecast-vi.png') });

    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => chart.locator('svg').textContent()).toContain('Forecast');
    const english = await chart.locator('svg').textContent();
    expect(english).toContain('Target');
    expect(english).toContain('Union members: forecast and target 2018–2023');
    expect(english).toMatch(/\d+(\.\d+)? M/);
    await page.getByTestId('plan-forecast-charts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'report-plan-forecast-en.png') });
  }, 180_000);
});
