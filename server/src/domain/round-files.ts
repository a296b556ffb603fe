/**
 * The chase list as a file: XLSX (exceljs) or CSV with a UTF-8 byte-order mark (Excel then reads the
 * Vietnamese right). One row per reporter (a union without one still gets its row), dates as the
 * department writes them, in Asia/Ho_Chi_Minh.
 */
import ExcelJS from 'exceljs';
import { CHASE_FILE, roundDate, submissionStatusLabel, viDate } from '@unionhub/schema';
import type { ChaseEntry, RoundRow } from './rounds.js';
import { viDateTime } from './report-xlsx.js';

export type ChaseFileKind = 'xlsx' | 'csv';
export const CHASE_TYPES: Record<ChaseFileKind, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** The table's rows: one per reporter, the union's columns repeated. */
function chaseRows(entries: readonly ChaseEntry[]): (string | number)[][] {
  return entries.flatMap((e) => {
    const s = e.state;
    const base = [s.union.code, s.union.name, s.union.level, submissionStatusLabel(s.status), viDate(s.deadline), s.daysLate ?? '', s.lastSubmittedAt ? viDateTime(s.lastSubmittedAt.toISOString()) : ''];
    const people = e.reporters.length ? e.reporters : [{ name: '', email: null }];
    return people.map((p) => [...base, p.name, p.email ?? '']);
  });
}

const csvField = (v: string | number) => {
  const t = String(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

export async function chaseFile(kind: ChaseFileKind, round: RoundRow, root: string, entries: readonly ChaseEntry[], at: Date): Promise<{ bytes: Buffer; filename: string; asciiFilename: string }> {
  const rows = chaseRows(entries);
  const stamp = roundDate(at);
  const filename = `${CHASE_FILE.title} ${root} ${stamp}.${kind}`;
  const asciiFilename = `${CHASE_FILE.filename.replace(/ /g, '-')}-${root}-${stamp}.${kind}`;
  if (kind === 'csv') {
    const lines = [CHASE_FILE.columns, ...rows].map((r) => r.map(csvField).join(','));
    return { bytes: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'), filename, asciiFilename };
  }
  const wb = new ExcelJS.Workbook();
  wb.created = at;
  const ws = wb.addWorksheet(CHASE_FILE.title.slice(0, 31));
  ws.addRow([CHASE_FILE.title]).font = { bold: true, size: 14 };
  ws.addRow([CHASE_FILE.round, round.name]);
  ws.addRow([CHASE_FILE.scope, root]);
  ws.addRow([CHASE_FILE.at, viDateTime(at.toISOString())]);
  ws.addRow([]);
  ws.addRow([...CHASE_FILE.columns]).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c, i) => { c.width = [12, 44, 6, 14, 12, 12, 18, 32, 32][i] ?? 12; });
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), filename, asciiFilename };
}
