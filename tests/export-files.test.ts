/**
 * The exported workbook opens in LibreOffice (Debian's package, headless) without error, and
 * what LibreOffice reads back are numbers equal to the JSON export of the same selection.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

const run = promisify(execFile);
let s: TestServer;
let dir: string;
beforeAll(async () => {
  s = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'unionhub-lo-'));
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** soffice with a throw-away profile, so parallel runs and the user's own profile never interfere. */
async function soffice(args: string[]) {
  return run('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', ...args], { timeout: 120_000 });
}

describe('exported files in LibreOffice', () => {
  it('the XLSX opens and its values read back as numbers, equal to the JSON export', async () => {
    const query = '?root=P06&years=2016-2018';
    const headers = s.auth('viewer');
    const xlsx = Buffer.from(await (await fetch(`${s.url}/exports/figures.xlsx${query}`, { headers })).arrayBuffer());
    const json = (await (await fetch(`${s.url}/exports/figures.json${query}`, { headers })).json()) as { figures: Record<string, any>[] };
    const expected = json.figures.map((r) => ({ unit: r.unit_code as string, indicator: r.indicator_code as string, year: r.year as number, value: r.value as number }));
    expect(expected.length).toBeGreaterThan(300);
    const file = join(dir, 'figures.xlsx');
    writeFileSync(file, xlsx);

    // Re-saved by LibreOffice as .xlsx: LibreOffice parsed it, and writes numbers as numbers.
    const out = join(dir, 'lo');
    const converted = await soffice(['--convert-to', 'xlsx', '--outdir', out, file]);
    expect(converted.stdout).toMatch(/convert .*figures\.xlsx -> .*figures\.xlsx/);
    expect(converted.stderr).not.toMatch(/error/i);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'figures.xlsx'));
    const ws = wb.getWorksheet('Số liệu')!;
    expect(ws.getRow(1).getCell(9).value).toBe('value');
    const read: typeof expected = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const value = row.getCell(9);
      expect(value.type).toBe(ExcelJS.ValueType.Number);
      expect(typeof row.getCell(7).value).toBe('number');
      read.push({ unit: String(row.getCell(1).value), indicator: String(row.getCell(5).value), year: row.getCell(7).value as number, value: value.value as number });
    });
    expect(read).toEqual(expected);
    // The grouping format survives (Excel and LibreOffice show 1.234.567 in a vi-VN locale).
    expect(ws.getRow(2).getCell(9).numFmt).toMatch(/#,##0/);
    // The header row is frozen in the file we send (LibreOffice headless drops view settings when re-saving).
    const ours = new ExcelJS.Workbook();
    await ours.xlsx.load(xlsx as never);
    expect(ours.getWorksheet('Số liệu')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    // And as CSV of raw values (not "as shown"), the same numbers.
    await soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false', '--outdir', out, file]);
    const loCsv = readFileSync(join(out, 'figures.csv'), 'utf8').split(/\r?\n/).filter(Boolean);
    expect(loCsv.length - 1).toBe(expected.length);
    expect(loCsv[1]!.split(',').at(-3)).toBe(String(expected[0]!.value));
  });
});
