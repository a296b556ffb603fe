/**
 * The report's files open in LibreOffice (Debian's, headless) and keep numbers as numbers: the
 * XLSX converted to CSV reads back raw numbers equal to the report's, and re-saved by LibreOffice
 * its cells are still numeric; the DOCX converts to text with the programme's headings.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_SECTIONS, REPORT_TABLES } from '@unionhub/schema';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
let dir: string;
const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

const run = promisify(execFile);

/**
 * Each run its own LibreOffice profile, so parallel runs never share (and lock) one. Asynchronous:
 * a blocked event loop would also stall the test's own server, whose idle keep-alive connections
 * then close under the next download.
 */
async function convert(file: string, to: string): Promise<string> {
  const out = join(dir, `out-${to.split(':')[0]}-${Math.random().toString(36).slice(2)}`);
  await run(soffice!, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', to, '--outdir', out, file], {
    env: { ...process.env, HOME: dir }, timeout: 120_000,
  });
  const files = readdirSync(out);
  expect(files.length, `LibreOffice wrote nothing converting ${file} to ${to}`).toBeGreaterThan(0);
  return join(out, files[0]!);
}

let edition: { id: number; xlsxUrl: string; docxUrl: string };
let national: { rows: { key: string; values: (number | null)[] }[] };

beforeAll(async () => {
  if (!soffice) throw new Error('No soffice: run the README test command (tests/setup-system.sh installs libreoffice-calc-nogui/writer-nogui)');
  dir = mkdtempSync(join(tmpdir(), 'unionhub-report-files-'));
  s = await startTestServer();
  // Approve the level-1 actual cells of 2014 (the year whose national figures are the public ones).
  const cells = await s.sql<{ unionCode: string; indicatorCode: string; year: number }>(
    `select u.code as "unionCode", i.code as "indicatorCode", f.year from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.level = 1 and f.scenario = 'actual' and f.year = 2014`,
  );
  const r = await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: cells.map((c) => ({ ...c, scenario: 'ACTUAL' })) });
  expect(r.errors).toBeUndefined();
  const g = await s.gql('mutation { generateReport(root: "TLD") { id xlsxUrl docxUrl report { tables { key rows { key values } } } } }');
  expect(g.errors).toBeUndefined();
  edition = g.data!.generateReport;
  national = g.data!.generateReport.report.tables.find((t: { key: string }) => t.key === 'national');
}, 180_000);
afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function download(url: string, name: string): Promise<string> {
  const res = await fetch(`${s.url}${url}`, { headers: s.auth('admin') });
  expect(res.status).toBe(200);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

describe('report files in LibreOffice', () => {
  it('the XLSX opens; the national sheet as CSV reads back raw numbers equal to the report', async () => {
    const xlsx = await download(edition.xlsxUrl, 'report.xlsx');
    // Sheet 2 (after the cover) is table 1; "false" at position 9 exports values, not their display.
    const csv = readFileSync(await convert(xlsx, 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2'), 'utf8');
    const lines = csv.trim().split('\n').map((l) => l.split(','));
    const members = lines.find((l) => l[0] === '"Tổng số đoàn viên"' || l[0] === 'Tổng số đoàn viên')!;
    expect(members, csv.slice(0, 400)).toBeDefined();
    expect(members[2]).toBe('8558063'); // 2014: the public figure, a plain number
    expect(Number(members[2])).toBe(national.rows.find((r) => r.key === 'members')!.values[1]);
    expect(members[1]).toBe(''); // 2013 is not approved: left empty, not 0
  });

  it('re-saved by LibreOffice, every table cell is still a number with a vi-VN format', async () => {
    const xlsx = await download(edition.xlsxUrl, 'report2.xlsx');
    const resaved = await convert(xlsx, 'xlsx:Calc MS Excel 2007 XML');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(resaved);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Bìa', ...Object.values(REPORT_TABLES).map((t) => t.sheet)]);
    const ws = wb.getWorksheet(REPORT_TABLES.national.sheet)!;
    const row = ws.getRows(1, ws.rowCount)!.find((r) => r.getCell(1).value === 'Đoàn viên kết nạp mới')!;
    expect(row.getCell(3).type).toBe(ExcelJS.ValueType.Number);
    expect(row.getCell(3).value).toBe(655300);
    expect(row.getCell(3).numFmt).toContain('#,##0');
    let numeric = 0;
    ws.eachRow((r, n) => {
      if (n < 3) return;
      r.eachCell((c, col) => {
        if (col > 1 && c.value !== null && c.value !== '') {
          expect(c.type, `${ws.name} ${c.address}`).toBe(ExcelJS.ValueType.Number);
          numeric++;
        }
      });
    });
    expect(numeric).toBeGreaterThan(20);
    // Frozen header rows are ours (LibreOffice's headless re-save drops view settings): read the file as issued.
    const issued = new ExcelJS.Workbook();
    await issued.xlsx.readFile(xlsx);
    for (const t of Object.values(REPORT_TABLES)) expect(issued.getWorksheet(t.sheet)!.views[0]).toMatchObject({ state: 'frozen', ySplit: 2, xSplit: 1 });
  });

  it('the DOCX opens and carries the headings of part II and vi-VN numbers', async () => {
    const docx = await download(edition.docxUrl, 'report.docx');
    const text = readFileSync(await convert(docx, 'txt:Text (encoded):UTF8'), 'utf8');
    for (const h of Object.values(REPORT_SECTIONS)) expect(text).toContain(h);
    expect(text).toContain('8.558.063');
    expect(text).toContain(REPORT_TABLES.admitted.title);
  });
});
