/**
 * Editions of the consolidated report. Generating one freezes it: the approved figures used, the
 * time, who, a SHA-256 of the content, the assembled tables and the XLSX/DOCX bytes exactly as
 * issued (an earlier edition downloads byte for byte as it was). Each edition lists the cells that
 * changed since the previous edition of the same root, old → new.
 */
import { indicator as catalogueIndicator, indicatorLabel, type Scenario } from '@unionhub/schema';
import type { Access } from './access.js';
import { isoTime, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import { assembleReport, rankingRows, type ProgressFn, type Report, type UsedFigure } from './report.js';
import { annexOf } from './commendations.js';
import type { EmitEvents } from './events.js';
import { renderXlsx } from './report-xlsx.js';
import { renderDocx } from './report-docx.js';
import { unionByCode, unionsByCodes } from './unions.js';
import { roundCover } from './round-cover.js';

export interface FigureChange {
  unionCode: string;
  unionName: string;
  indicatorCode: string;
  indicatorLabel: string;
  year: number;
  scenario: Scenario;
  /** null: the cell was not in the previous edition (not approved then). */
  oldValue: number | null;
  /** null: the cell is no longer approved. */
  newValue: number | null;
}

export interface EditionMeta {
  number: number;
  createdAt: string;
  actor: string;
  previousNumber: number | null;
  changes: FigureChange[];
}

export interface EditionRow {
  id: number;
  rootCode: string;
  number: number;
  createdAt: string;
  actor: string;
  contentHash: string;
  figureCount: number;
  pendingTotal: number;
  previousId: number | null;
  changeCount: number;
}

const COLUMNS = [
  'id', 'root_code as rootCode', 'number', 'created_at as createdAt', 'actor', 'content_hash as contentHash', 'figure_count as figureCount',
  'pending_total as pendingTotal', 'previous_id as previousId', 'change_count as changeCount',
];
const toRow = (r: Record<string, unknown>): EditionRow => ({ ...(r as unknown as EditionRow), createdAt: isoTime(r.createdAt) });

/** The cells whose approved value differs between two editions' figures, in a stable order. */
export function diffFigures(before: UsedFigure[], after: UsedFigure[]): Omit<FigureChange, 'unionName' | 'indicatorLabel'>[] {
  const key = (f: UsedFigure) => `${f[0]}|${f[1]}|${f[2]}|${f[3]}`;
  const old = new Map(before.map((f) => [key(f), f]));
  const out: Omit<FigureChange, 'unionName' | 'indicatorLabel'>[] = [];
  for (const f of after) {
    const o = old.get(key(f));
    old.delete(key(f));
    if (!o || o[4] !== f[4]) out.push({ unionCode: f[0], indicatorCode: f[1], year: f[2], scenario: f[3], oldValue: o ? o[4] : null, newValue: f[4] });
  }
  for (const o of old.values()) out.push({ unionCode: o[0], indicatorCode: o[1], year: o[2], scenario: o[3], oldValue: o[4], newValue: null });
  return out.sort((a, b) => a.unionCode.localeCompare(b.unionCode) || a.indicatorCode.localeCompare(b.indicatorCode) || a.year - b.year || a.scenario.localeCompare(b.scenario));
}

/** Who follows a generation: its stages go out as they happen (the last, "done", after the commit). */
export interface ProgressTarget {
  jobId: string;
  emit: EmitEvents;
}

/** Assemble from approved figures, render both files and freeze them as the root's next edition. */
export async function generateEdition(db: Db, rootCode: string, access: Access, progress?: ProgressTarget, now: () => Date = () => new Date()): Promise<EditionRow> {
  const onProgress: ProgressFn = (stage, fraction) => progress?.emit([{ kind: 'reportProgress', jobId: progress.jobId, stage, fraction }]);
  const root = await unionByCode(db, rootCode);
  if (!access.can('report', root.path)) throw new DomainError('FORBIDDEN', `Your roles do not allow issuing a report for ${root.name}`, said('report.forbidden', { unionName: root.name }));
  const report = await assembleReport(db, rootCode, access, (stage, f) => onProgress(stage, f * 0.6));
  // The round's completeness as it stands now, frozen with the edition and stated on its cover.
  report.round = await roundCover(db, rootCode, now());
  // The approved commendation proposals as of now, citing this edition's own ranking table (issue 15).
  report.commendations = await annexOf(db, access, root, rankingRows(report));
  const previous: { id: number; number: number; figuresJson: string } | undefined = await db('report_edition')
    .select('id', 'number', 'figures_json as figuresJson').where('root_code', rootCode).orderBy('number', 'desc').first();
  const raw = previous ? diffFigures(JSON.parse(previous.figuresJson) as UsedFigure[], report.figures) : [];
  const names = new Map((await unionsByCodes(db, raw.map((c) => c.unionCode))).map((u) => [u.code, u.name]));
  const changes: FigureChange[] = raw.map((c) => ({
    ...c, unionName: names.get(c.unionCode) ?? c.unionCode, indicatorLabel: indicatorLabel(catalogueIndicator(c.indicatorCode)!, c.year),
  }));
  const createdAt = new Date();
  const actor = access.caller?.username ?? 'anonymous';
  const meta: EditionMeta = { number: (previous?.number ?? 0) + 1, createdAt: createdAt.toISOString(), actor, previousNumber: previous?.number ?? null, changes };
  onProgress('xlsx', 0.65);
  const xlsx = await renderXlsx(report, meta);
  onProgress('docx', 0.8);
  const docx = await renderDocx(report, meta);
  onProgress('save', 0.95);
  const { figures, ...frozen } = report;
  const id = await db.transaction(async (trx) => {
    // The (root, number) unique index refuses a second edition racing for the same number.
    const latest = await trx('report_edition').max({ n: 'number' }).where('root_code', rootCode).first();
    if (Number(latest?.n ?? 0) !== meta.number - 1) throw new DomainError('CONFLICT', 'Another edition was issued meanwhile; generate again', said('report.conflict'));
    const [inserted] = await trx('report_edition').insert({
      root_code: rootCode, number: meta.number, created_at: createdAt, actor, content_hash: report.contentHash, figure_count: figures.length,
      pending_total: report.pendingTotal, previous_id: previous?.id ?? null, change_count: changes.length,
      report_json: JSON.stringify(frozen), figures_json: JSON.stringify(figures), changes_json: JSON.stringify(changes), xlsx, docx,
    }).returning('id');
    return typeof inserted === 'object' ? (inserted as { id: number }).id : (inserted as number);
  });
  onProgress('done', 1);
  return (await editionById(db, id, access))!;
}

export async function listEditions(db: Db, rootCode: string, access: Access): Promise<EditionRow[]> {
  const root = await unionByCode(db, rootCode);
  if (!access.can('read', root.path)) return [];
  return (await db('report_edition').select(COLUMNS).where('root_code', rootCode).orderBy('number', 'desc')).map(toRow);
}

/** An edition the caller may read (whoever reads the root's figures), or undefined. */
export async function editionById(db: Db, id: number, access: Access): Promise<EditionRow | undefined> {
  const r = await db('report_edition').select(COLUMNS).where('id', id).first();
  if (!r) return undefined;
  const root = await unionByCode(db, r.rootCode);
  return access.can('read', root.path) ? toRow(r) : undefined;
}

/** The tables as frozen; the count of proposals then pending only for a caller who reads unapproved data of the root. */
export async function editionReport(db: Db, edition: EditionRow, access: Access): Promise<Omit<Report, 'figures'>> {
  const r = await db('report_edition').select('report_json as j').where('id', edition.id).first();
  const report: Omit<Report, 'figures'> = JSON.parse(r.j);
  const root = await unionByCode(db, edition.rootCode);
  return access.readsUnapproved(root.path) ? report : { ...report, withProposal: 0 };
}

export async function editionChanges(db: Db, id: number): Promise<FigureChange[]> {
  const r = await db('report_edition').select('changes_json as j').where('id', id).first();
  return JSON.parse(r.j);
}

export type EditionFileKind = 'xlsx' | 'docx';
export const FILE_TYPES: Record<EditionFileKind, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The file exactly as issued, and its names (Vietnamese, and an ASCII fallback for old clients). */
export async function editionFile(db: Db, id: number, kind: EditionFileKind, access: Access): Promise<{ bytes: Buffer; filename: string; asciiFilename: string }> {
  const e = await editionById(db, id, access);
  if (!e) throw new DomainError('NOT_FOUND', `No report edition ${id} that you may read`, said('report.notFound', { id }));
  const r = await db('report_edition').select(kind).where('id', id).first();
  const bytes = Buffer.isBuffer(r[kind]) ? r[kind] : Buffer.from(r[kind]);
  const filename = `Báo cáo tổng kết ${e.rootCode} lần ${e.number}.${kind}`;
  const asciiFilename = `Bao-cao-tong-ket-${e.rootCode}-lan-${e.number}.${kind}`;
  return { bytes, filename, asciiFilename };
}
