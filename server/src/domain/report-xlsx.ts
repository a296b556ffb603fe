/**
 * The report as an XLSX workbook: a cover sheet (edition, date, hash, what is not approved yet,
 * what changed), then one sheet per table. Numbers are stored as numbers; the formats carry the
 * Vietnamese locale ([$-42A]) so Excel and LibreOffice show 1.234.567 and 98,2.
 */
import ExcelJS from 'exceljs';
import { cellFormat, REPORT_LABELS as L, ROUND_COVER, type ReportFormat } from '@unionhub/schema';
import type { Report } from './report.js';
import type { EditionMeta } from './editions.js';

export const XLSX_FORMATS: Record<ReportFormat, string> = {
  integer: '[$-42A]#,##0',
  decimal: '[$-42A]#,##0.00',
  percent: '[$-42A]#,##0.0',
  rank: '0',
};

const bold = { bold: true } as const;
const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const thin: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

/** "24/11/2026 20:30" in Vietnam's time, as the department writes dates. */
export function viDateTime(iso: string): string {
  return new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

export async function renderXlsx(report: Report, meta: EditionMeta): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.actor;
  wb.created = new Date(meta.createdAt);
  wb.title = `${L.title} — ${report.rootName}`;

  // ---------- cover ----------
  const cover = wb.addWorksheet(L.coverSheet);
  cover.columns = [{ width: 44 }, { width: 18 }, { width: 12 }, { width: 16 }, { width: 12 }, { width: 12 }];
  cover.addRow([L.title]).font = { bold: true, size: 16 };
  cover.addRow([L.subtitle]).font = { bold: true, size: 12 };
  cover.addRow([L.basis]);
  cover.addRow([]);
  const info: [string, string | number][] = [
    [L.scope, report.rootName],
    [L.edition, meta.number],
    [L.generatedAt, viDateTime(meta.createdAt)],
    [L.generatedBy, meta.actor],
    [L.contentHash, report.contentHash],
  ];
  for (const [k, v] of info) {
    const r = cover.addRow([k, v]);
    r.getCell(1).font = bold;
  }
  cover.addRow([]);
  cover.addRow([L.approvedOnly]);
  cover.addRow([`${L.withProposal}: ${report.withProposal}`]);
  cover.addRow([]);
  if (report.pending.length === 0) cover.addRow([L.nothingPending]).font = bold;
  else {
    cover.addRow([`${L.pendingTotal}: ${report.pendingTotal}`]).font = bold;
    cover.addRow([L.pendingIntro]);
    const h = cover.addRow([L.indicator, L.scenario, L.year, L.notApproved, L.of, L.cells]);
    h.eachCell((c) => Object.assign(c, { font: bold, fill: headerFill, border: thin }));
    for (const p of report.pending) {
      const r = cover.addRow([p.label, p.scenario === 'actual' ? L.actual : L.target, p.year, p.count, p.expected, L.cells]);
      r.getCell(3).numFmt = '0';
      r.getCell(4).numFmt = XLSX_FORMATS.integer;
      r.getCell(5).numFmt = XLSX_FORMATS.integer;
    }
  }
  if (report.round) {
    // The reporting round at the moment of issue (issue 14).
    cover.addRow([]);
    cover.addRow([ROUND_COVER.heading]).font = bold;
    cover.addRow([report.round.sentence]);
    if (report.round.missing.length) {
      cover.addRow([ROUND_COVER.missingHeading]).font = bold;
      for (const m of report.round.missing) cover.addRow([m.status === 'RETURNED' ? `${m.name} (${ROUND_COVER.returnedNote})` : m.name, m.code]);
    }
  }
  cover.addRow([]);
  cover.addRow([L.changesIntro]).font = bold;
  if (meta.previousNumber === null) cover.addRow([L.noPrevious]);
  else if (meta.changes.length === 0) cover.addRow([L.noChanges]);
  else {
    const h = cover.addRow([L.unit, L.indicator, L.year, L.scenario, L.oldValue, L.newValue]);
    h.eachCell((c) => Object.assign(c, { font: bold, fill: headerFill, border: thin }));
    for (const c of meta.changes) {
      const r = cover.addRow([c.unionName, c.indicatorLabel, c.year, c.scenario === 'actual' ? L.actual : L.target, c.oldValue, c.newValue]);
      r.getCell(3).numFmt = '0';
      r.getCell(5).numFmt = XLSX_FORMATS.integer;
      r.getCell(6).numFmt = XLSX_FORMATS.integer;
    }
  }

  // ---------- one sheet per table ----------
  for (const t of report.tables) {
    const ws = wb.addWorksheet(t.sheet);
    ws.columns = [{ width: 48 }, ...t.columns.map(() => ({ width: 15 }))];
    ws.addRow([t.title]).font = { bold: true, size: 12 };
    const head = ws.addRow([t.rowHeading, ...t.columns.map((c) => c.label)]);
    head.height = 45;
    head.eachCell((c) => {
      c.font = bold;
      c.fill = headerFill;
      c.border = thin;
      c.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    });
    for (const row of t.rows) {
      const r = ws.addRow([row.label, ...row.values.map((v) => (v === null ? null : v))]);
      r.getCell(1).border = thin;
      if (row.kind !== 'row') r.font = bold;
      if (row.note) r.getCell(1).note = row.note;
      t.columns.forEach((col, i) => {
        const cell = r.getCell(i + 2);
        cell.numFmt = XLSX_FORMATS[cellFormat(col, row)];
        cell.border = thin;
      });
    }
    for (const note of t.notes) ws.addRow([note]).font = { italic: true };
    // Header rows and the label column stay in view while scrolling.
    ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 2, topLeftCell: 'B3', activeCell: 'B3' }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
