/**
 * The report's plan section shows the forecast beside the target (issue 16): per plan year and
 * indicator, the root's stored forecast exactly as `forecasts` gives it (a reviewer's override in
 * force in its place) and the approved targets summed as SQL sums them; a note where the forecasts
 * were never run, could not be made or are stale, or a target year is not wholly approved; the
 * forecast covered by the content hash; the Word file carrying the charts as PNG images and the
 * table, the workbook the table.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_FORECAST_LABELS, PLAN_FORECAST_NOTES, PLAN_FORECAST_ROWS, planChartGeometry, REPORT_TABLES } from '@unionhub/schema';
import { chartFaces, textRuns } from '../server/src/domain/chart-font.js';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
let dir: string;
const YEARS = [2018, 2019, 2020, 2021, 2022, 2023];
const FORECAST = ['members', 'grassroots'];

interface Note { code: string; year: number | null; vi: string; en: string }
interface Row { indicator: string; year: number; forecast: number | null; target: number | null; state: string; notes: Note[] }
interface Report { contentHash: string; planForecast: Row[]; tables: { key: string; title: string; rows: { key: string; values: (number | null)[] }[]; notes: string[] }[] }

const report = async (): Promise<Report> => {
  const r = await s.gql(`{ report(root: "TLD") { contentHash planForecast { indicator year forecast target state notes { code year vi en } } tables { key title notes rows { key values } } } }`);
  expect(r.errors).toBeUndefined();
  return r.data!.report;
};
const rowOf = (rep: Report, indicator: string, year: number) => rep.planForecast.find((r) => r.indicator === indicator && r.year === year)!;
/** TLĐ's stored forecast as `forecasts` gives it (overrides in force). */
const stored = async (indicator: string) => {
  const r = await s.gql(`query ($i: String!) { forecasts(root: "TLD", indicator: $i) { union { code } stale method values { year value } } }`, { i: indicator });
  expect(r.errors).toBeUndefined();
  return (r.data!.forecasts as { union: { code: string }; stale: boolean; method: string | null; values: { year: number; value: number }[] }[]).find((f) => f.union.code === 'TLD')!;
};
/** The approved targets of TLĐ's children valid in each year, summed in SQL. */
const approvedTargets = async (indicator: string) => {
  const rows = await s.sql<{ year: number; total: number }>(
    `select f.year as year, sum(f.value) as total from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.parent_id = (select id from trade_union where code = 'TLD') and i.code = ? and f.scenario = 'target' and f.status = 'approved'
       and f.year between 2018 and 2023 and u.valid_from <= f.year and (u.valid_to is null or u.valid_to >= f.year) group by f.year`, [indicator]);
  return new Map(rows.map((r) => [Number(r.year), Number(r.total)]));
};

beforeAll(async () => {
  s = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'unionhub-report-plan-'));
  // Approved actuals of the forecast series everywhere, except TLĐ's enterprises (no forecast can be made of them).
  await s.sql(`update figure set status = 'approved' where scenario = 'actual' and indicator_id in (select id from indicator where code in ('members', 'grassroots', 'enterprises.eligible'))`);
  await s.sql(`update figure set status = 'draft' where scenario = 'actual' and union_id = (select id from trade_union where code = 'TLD') and indicator_id = (select id from indicator where code = 'enterprises.eligible')`);
  // The level-1 targets of the plan, submitted, then approved by the department — all but P06's grassroots in 2020.
  await s.sql(`update figure set status = 'submitted' where scenario = 'target' and year between 2018 and 2023 and union_id in (select id from trade_union where level = 1)`);
  const cells = (await s.sql<{ unionCode: string; indicatorCode: string; year: number }>(
    `select u.code as "unionCode", i.code as "indicatorCode", f.year as year from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.level = 1 and f.scenario = 'target' and f.year between 2018 and 2023 and i.code in ('members', 'grassroots')`,
  )).filter((c) => !(c.unionCode === 'P06' && c.indicatorCode === 'grassroots' && Number(c.year) === 2020));
  const approved = await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: cells.map((c) => ({ ...c, year: Number(c.year), scenario: 'TARGET' })) });
  expect(approved.errors).toBeUndefined();
  expect(approved.data!.approveFigures.movedCount).toBe(cells.length);
}, 240_000);
afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the plan section: forecast beside the approved target', () => {
  it('before any forecast run: no forecast, a visible note, the approved targets summed', async () => {
    const rep = await report();
    expect(new Set(rep.planForecast.map((r) => r.indicator))).toEqual(new Set(PLAN_FORECAST_ROWS));
    for (const indicator of FORECAST) {
      const targets = await approvedTargets(indicator);
      for (const year of YEARS) {
        const row = rowOf(rep, indicator, year);
        expect(row.forecast).toBeNull();
        expect(row.state).toBe('notRun');
        expect(row.notes.map((n) => n.code)).toContain('notRun');
        expect(row.target, `${indicator} ${year}`).toBe(targets.get(year));
      }
    }
    // The target year with a cell not approved says so, on that year only.
    expect(rowOf(rep, 'grassroots', 2020).notes.find((n) => n.code === 'targetIncomplete')?.vi).toMatch(/2020.*chưa duyệt/);
    expect(rowOf(rep, 'grassroots', 2021).notes.map((n) => n.code)).not.toContain('targetIncomplete');
    const table = rep.tables.find((t) => t.key === 'planForecast')!;
    expect(table.title).toBe(REPORT_TABLES.planForecast.title);
    expect(table.notes.join(' ')).toMatch(/chưa chạy dự báo/);
  });

  it('after the run: the stored forecast per year, an override in its place, a skipped series explained; the hash covers them', async () => {
    const before = await report();
    const run = await s.gql('mutation { runForecasts(root: "TLD") { forecasts } }');
    expect(run.errors).toBeUndefined();
    const after = await report();
    for (const indicator of FORECAST) {
      const f = await stored(indicator);
      expect(f.method).not.toBeNull();
      for (const year of YEARS) {
        const row = rowOf(after, indicator, year);
        expect(row.forecast, `${indicator} ${year}`).toBe(f.values.find((v) => v.year === year)!.value);
        expect(row.state).toBe('ok');
        expect(row.notes.map((n) => n.code)).toContain('method');
      }
      const t = after.tables.find((x) => x.key === 'planForecast')!;
      expect(t.rows.find((r) => r.key === `${indicator}:forecast`)!.values).toEqual(YEARS.map((y) => f.values.find((v) => v.year === y)!.value));
      expect(t.rows.find((r) => r.key === `${indicator}:target`)!.values).toEqual(YEARS.map((y) => rowOf(after, indicator, y).target));
    }
    // TLĐ's enterprises have no approved actuals: no forecast, and the reason shown.
    const ent = rowOf(after, 'enterprises.eligible', 2023);
    expect(ent).toMatchObject({ forecast: null, state: 'skipped' });
    expect(ent.notes.find((n) => n.code === 'skipped')?.en).toMatch(/no forecast could be made \(too few actual years\)/);
    // Printed, so hashed: the same approved figures with a forecast now give another hash.
    expect(after.contentHash).not.toBe(before.contentHash);

    const o = await s.gql('mutation { overrideForecast(unionCode: "TLD", indicator: "members", year: 2023, value: 11000000, reason: "Mục tiêu Đại hội XII") { state } }');
    expect(o.errors).toBeUndefined();
    const overridden = await report();
    expect((await stored('members')).values.find((v) => v.year === 2023)!.value).toBe(11_000_000);
    expect(rowOf(overridden, 'members', 2023).forecast).toBe(11_000_000);
    expect(rowOf(overridden, 'members', 2023).notes.find((n) => n.code === 'overridden')?.vi).toMatch(/Mục tiêu Đại hội XII/);
    expect(rowOf(overridden, 'members', 2022).notes.map((n) => n.code)).not.toContain('overridden');
    expect(overridden.contentHash).not.toBe(after.contentHash);
    // Nothing changed: the same report, the same hash.
    expect((await report()).contentHash).toBe(overridden.contentHash);
  });

  it('an approved actual changes: the forecast is marked stale (the lapsed override no longer applies)', async () => {
    await s.sql(`update figure set value = value + 5000, version = version + 1 where scenario = 'actual' and year = 2016
      and union_id = (select id from trade_union where code = 'TLD') and indicator_id = (select id from indicator where code = 'members')`);
    const f = await stored('members');
    expect(f.stale).toBe(true);
    const rep = await report();
    for (const year of YEARS) {
      const row = rowOf(rep, 'members', year);
      expect(row.state).toBe('stale');
      expect(row.forecast).toBe(f.values.find((v) => v.year === year)!.value);
      expect(row.notes.find((n) => n.code === 'stale')?.vi).toMatch(/dự báo đã cũ.*chạy lại dự báo/);
    }
    expect(rowOf(rep, 'members', 2023).forecast).not.toBe(11_000_000);
    expect(rowOf(rep, 'grassroots', 2023).state).toBe('ok');
  });

  it('the chart font has every character the chart prints in Vietnamese: each run in a face that has it', () => {
    const g = planChartGeometry({ indicator: 'enterprises.eligible', years: YEARS, forecast: YEARS.map((y) => y * 1000), target: YEARS.map(() => null), lang: 'vi' });
    const words = [g.title, ...g.legend.map((l) => l.label), ...g.yTicks.map((t) => t.label), PLAN_FORECAST_LABELS.noData.vi, PLAN_FORECAST_NOTES.stale.vi, 'Đoàn viên, số đoàn, dự báo, Ưu, ổn định'];
    const faces = new Map(chartFaces().map((f) => [f.family, f]));
    expect(faces.size).toBe(2);
    for (const w of words) {
      for (const run of textRuns(w, 12)) {
        for (const ch of run.text) expect(faces.get(run.family)!.advance.has(ch.codePointAt(0)!), `${ch} of "${w}" in ${run.family}`).toBe(true);
      }
    }
    // The Vietnamese letters come from the Vietnamese subset, the rest from the Latin one; widths are positive.
    expect(textRuns('số đoàn', 12).map((r) => r.text)).toEqual(['s', 'ố', ' ', 'đ', 'oàn']);
    expect(textRuns('số đoàn', 12).every((r) => r.width > 0)).toBe(true);
  });

  it('the issued DOCX carries the charts as PNG images and the table; the XLSX the table', async () => {
    const g = await s.gql('mutation { generateReport(root: "TLD") { docxUrl xlsxUrl } }');
    expect(g.errors).toBeUndefined();
    const fetchFile = async (url: string, name: string) => {
      const res = await fetch(`${s.url}${url}`, { headers: s.auth('admin') });
      expect(res.status).toBe(200);
      const file = join(dir, name);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      return file;
    };
    const docx = await fetchFile(g.data!.generateReport.docxUrl, 'report.docx');
    const out = join(dir, 'docx');
    execFileSync('unzip', ['-q', '-o', docx, '-d', out]);
    const media = readdirSync(join(out, 'word', 'media')).filter((f) => f.endsWith('.png'));
    expect(media).toHaveLength(PLAN_FORECAST_ROWS.length);
    for (const f of media) {
      const png = readFileSync(join(out, 'word', 'media', f));
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), f).toBe(true);
      expect(png.toString('latin1', 12, 16)).toBe('IHDR');
      // Rendered at twice the chart's 480 × 260, with its lines and words (not a blank frame).
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 520]);
      expect(png.length).toBeGreaterThan(8_000);
    }
    const xml = readFileSync(join(out, 'word', 'document.xml'), 'utf8');
    expect(xml).toContain(REPORT_TABLES.planForecast.title);
    expect(xml).toContain('Tổng số đoàn viên — dự báo');
    expect(xml.match(/<pic:pic\b/g)).toHaveLength(PLAN_FORECAST_ROWS.length);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await fetchFile(g.data!.generateReport.xlsxUrl, 'report.xlsx'));
    const ws = wb.getWorksheet(REPORT_TABLES.planForecast.sheet)!;
    expect(ws).toBeDefined();
    const labels = ws.getColumn(1).values.map(String);
    expect(labels).toContain('Tổng số đoàn viên — dự báo');
    expect(labels).toContain('Tổng số đoàn viên — chỉ tiêu giao');
  });
});
