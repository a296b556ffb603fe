/**
 * A root's approved commendation list as a workbook (exceljs): a title, the scope and time, then one
 * row per approved proposal — rank and % achieved as numbers, the decision's date in Asia/Ho_Chi_Minh.
 */
import ExcelJS from 'exceljs';
import { COMMENDATION_ANNEX as A, commendationKindLabel, roundDate, viDate } from '@unionhub/schema';
import type { Access } from './access.js';
import type { Db } from './db.js';
import { listProposals } from './commendations.js';
import { unionByCode } from './unions.js';
import { viDateTime } from './report-xlsx.js';

export const COMMENDATION_XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Whoever reads the root reads its approved list (approved data, as the report). */
export async function commendationXlsx(db: Db, access: Access, rootCode: string, at: Date): Promise<{ bytes: Buffer; filename: string; asciiFilename: string }> {
  const root = await unionByCode(db, rootCode);
  access.require('read', root.path, `Your roles do not allow reading ${root.name}`, { why: { key: 'report.forbiddenRead', params: { unionName: root.name } } });
  const list = await listProposals(db, access, root.code, { status: 'APPROVED' });
  const wb = new ExcelJS.Workbook();
  wb.created = at;
  const ws = wb.addWorksheet(A.sheet);
  ws.addRow([A.fileTitle]).font = { bold: true, size: 14 };
  ws.addRow([A.scope, `${root.name} (${root.code})`]);
  ws.addRow([A.at, viDateTime(at.toISOString())]);
  ws.addRow([]);
  ws.addRow([...A.columns]).font = { bold: true };
  list.forEach((p, i) => {
    const row = ws.addRow([
      i + 1, commendationKindLabel(p.kind), p.union.name, p.personName ?? '', p.position ?? '', p.achievement, p.rank ?? null, p.percentAchieved ?? null,
      p.proposedBy, p.decidedBy ?? '', p.decidedAt ? viDate(new Date(p.decidedAt)) : '',
    ]);
    row.getCell(8).numFmt = '#,##0.0';
  });
  ws.views = [{ state: 'frozen', ySplit: 5 }];
  ws.columns.forEach((c, i) => { c.width = [6, 12, 40, 26, 26, 60, 10, 12, 18, 18, 12][i] ?? 12; });
  const stamp = roundDate(at);
  return {
    bytes: Buffer.from(await wb.xlsx.writeBuffer()),
    filename: `${A.fileTitle} ${root.code} ${stamp}.xlsx`,
    asciiFilename: `${A.filename.replace(/ /g, '-')}-${root.code}-${stamp}.xlsx`,
  };
}
