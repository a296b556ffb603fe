/**
 * Import of a unit's workbook in the export's layout (so a unit can fill in the file it was
 * sent). Parse and check every row, classify it against the current cells (unchanged, new,
 * change to a draft/submitted cell, change to an approved cell → a proposal), then apply it
 * in one transaction through the same writes as the grid (`writeFigures`, `propose`).
 *
 * The preview carries a token: a digest of the file and of the plan with every cell's version.
 * Apply recomputes the plan inside its transaction and refuses (CONFLICT) when the token no
 * longer matches, so a change made by someone else between preview and apply is caught.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import {
  FIRST_YEAR, LAST_YEAR, SCENARIOS, acceptsScenario, indicator as catalogueIndicator, isStored, parseViNumber, type Scenario,
} from '@unionhub/schema';
import type { Access } from './access.js';
import { existsIn, type Db } from './db.js';
import { CellBatchError, DomainError, said, type Said } from './errors.js';
import { cellId, valueProblem, figuresByKeys, type CellKey, type FigureRow } from './figures.js';
import { writeFigures, type CellWrite, type WriteResult } from './figure-writes.js';
import { propose } from './approval.js';
import { discrepanciesChanged, figuresChanged, type WithEvents } from './events.js';
import { unionsByCodes, type UnionRow } from './unions.js';
import { DATA_SHEET, EXPORT_COLUMNS } from './exports.js';
import { LIMITS } from '../config.js';
import { checkZip, type ZipBounds } from './zip-guard.js';

/** Refused before parsing: larger uploads get HTTP 413. The one upload limit, MAX_UPLOAD_BYTES (server/src/config.ts). */
export const IMPORT_MAX_BYTES = LIMITS.MAX_UPLOAD_BYTES;
/** What the zip inside may unpack to, checked before exceljs sees it (zip-guard.ts). */
const ZIP_BOUNDS: ZipBounds = {
  maxEntries: LIMITS.MAX_UPLOAD_ENTRIES,
  maxInflatedBytes: LIMITS.MAX_UPLOAD_INFLATED_BYTES,
  maxSharedStrings: LIMITS.MAX_UPLOAD_SHARED_STRINGS,
};

/**
 * Only a caller who may edit somewhere may upload at all: checked before the file is read (HTTP) or
 * decoded (GraphQL), so a viewer's upload costs nothing. Each row is still checked against its unit.
 */
export function mayImport(access: Access): void {
  if (!access.authenticated) throw new DomainError('UNAUTHENTICATED', 'Sign in first', { http: { status: 401 }, ...said('auth.signInFirst') });
  if (!access.canAnywhere('edit')) throw new DomainError('FORBIDDEN', 'Your roles do not allow importing figures anywhere', { http: { status: 403 }, ...said('import.forbidden') });
}

export type PlanKind = 'new' | 'change' | 'proposal' | 'unchanged' | 'blank';

export interface PlanItem extends CellKey {
  kind: PlanKind;
  sheet: string;
  row: number;
  /** The value in the file (null for a blank value cell, which changes nothing). */
  value: number | null;
  /** The value in force now: the approved one for an approved cell. */
  currentValue: number | null;
  currentStatus: string | null;
  /** The version read; apply writes with it as expectedVersion. */
  version: number;
}

export interface ImportReject {
  sheet: string;
  row: number;
  /** Column letter as Excel shows it ("I"). */
  column: string;
  /** The column's key in the export layout ("value"). */
  field: string;
  reason: string;
  /** The reason as a message key and its params (schema/src/messages.ts). */
  key: Said['key'];
  params: Said['params'];
}

export interface ImportPlan {
  sheet: string;
  /** Data rows read (blank rows skipped). */
  rows: number;
  counts: Record<PlanKind | 'rejected', number>;
  /** The rows that would write something (new, change, proposal), in file order. */
  changes: PlanItem[];
  rejects: ImportReject[];
  /** Send it back to apply: the plan it was computed from. */
  token: string;
}

export interface ImportResult extends WithEvents {
  written: number;
  proposed: number;
  unchanged: number;
  /** The written and proposed cells as they are now. */
  figures: FigureRow[];
  reconciliation: WriteResult['reconciliation'];
}

interface ParsedRow {
  sheet: string;
  row: number;
  cells: Partial<Record<string, { value: unknown; column: string }>>;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function badFile(message: string, says: Said): DomainError {
  return new DomainError('BAD_FILE', message, { http: { status: 415 }, ...says });
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
/** A header cell names a column by its key ("value") or its Vietnamese label ("Giá trị"). */
const HEADER_NAMES = new Map<string, string>(EXPORT_COLUMNS.flatMap((c) => [[norm(c.key), c.key], [norm(c.labelVi), c.key]]));
const REQUIRED = ['unit_code', 'indicator_code', 'year', 'scenario', 'value'];

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: string; result?: unknown };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (typeof o.text === 'string') return o.text;
    if ('result' in o) return text(o.result);
    return '';
  }
  return String(v);
}

/** The cell's value as exceljs gives it, with a formula replaced by its cached result. */
function plain(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as { result?: unknown; richText?: unknown; text?: unknown; error?: unknown };
    if ('formula' in o || 'sharedFormula' in o) return o.result ?? null;
    if (o.richText || typeof o.text === 'string') return text(v);
    if (o.error) return v;
  }
  return v;
}

/** Read the data sheet of an XLSX in the export layout. A broken, foreign or non-XLSX file is refused whole. */
export async function parseWorkbook(file: Uint8Array): Promise<{ sheet: string; rows: ParsedRow[]; columns: Map<string, string> }> {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length === 0) throw badFile('The file is empty', said('import.emptyFile'));
  if (buf.length > IMPORT_MAX_BYTES) throw new DomainError('TOO_LARGE', `The file is larger than ${IMPORT_MAX_BYTES} bytes`, { http: { status: 413 }, limit: 'MAX_UPLOAD_BYTES', key: 'import.tooLarge', params: { limit: IMPORT_MAX_BYTES } });
  if (!buf.subarray(0, 4).equals(ZIP_MAGIC)) throw badFile('This is not an Excel workbook (.xlsx): upload the file exported from UnionHub', said('import.notXlsx'));
  await checkZip(buf, ZIP_BOUNDS);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as never);
  } catch (e) {
    throw badFile(`The workbook cannot be read (${(e as Error).message.slice(0, 120)}): it is damaged or not an .xlsx file`, said('import.badFile', { detail: (e as Error).message.slice(0, 120) }));
  }
  if (wb.worksheets.length === 0) throw badFile('The file has no worksheets: it is not an .xlsx workbook exported from UnionHub', said('import.noSheets'));
  // The data sheet by name, else the first sheet whose first row is the export's header.
  const candidates = [...wb.worksheets].sort((a, b) => Number(b.name === DATA_SHEET) - Number(a.name === DATA_SHEET));
  for (const ws of candidates) {
    const columns = new Map<string, string>(); // key → column letter
    ws.getRow(1).eachCell((cell) => {
      const key = HEADER_NAMES.get(norm(text(cell.value)));
      if (key && !columns.has(key)) columns.set(key, cell.address.replace(/\d+$/, ''));
    });
    if (!REQUIRED.every((k) => columns.has(k))) continue;
    const rows: ParsedRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      if (n === 1) return;
      const cells: ParsedRow['cells'] = {};
      let any = false;
      for (const [key, letter] of columns) {
        const value = plain(row.getCell(letter).value);
        if (value !== null && value !== undefined && text(value).trim() !== '') any = true;
        cells[key] = { value, column: letter };
      }
      if (any) rows.push({ sheet: ws.name, row: n, cells });
    });
    return { sheet: ws.name, rows, columns };
  }
  throw badFile(`No sheet has the export's header in row 1 (at least ${REQUIRED.join(', ')}): this file is not in the UnionHub export layout`, said('import.noHeader', { columns: REQUIRED.join(', ') }));
}

interface CheckedRow extends CellKey {
  sheet: string;
  row: number;
  value: number | null;
  union: UnionRow;
}

/** Check each row against the catalogue, the hierarchy and the caller's grants; collect rejects. */
async function checkRows(db: Db, parsed: ParsedRow[], access: Access): Promise<{ ok: CheckedRow[]; rejects: ImportReject[] }> {
  const rejects: ImportReject[] = [];
  const codes = [...new Set(parsed.map((r) => text(r.cells.unit_code?.value).trim()).filter(Boolean))];
  const unions = new Map<string, UnionRow>();
  for (let i = 0; i < codes.length; i += 500) for (const u of await unionsByCodes(db, codes.slice(i, i + 500))) unions.set(u.code, u);
  const ok: CheckedRow[] = [];
  const seen = new Map<string, number>();
  for (const r of parsed) {
    const reject = (field: string, reason: string, says: Said) => {
      rejects.push({ sheet: r.sheet, row: r.row, column: r.cells[field]!.column, field, reason, ...says });
    };
    const before = rejects.length;
    const unitCode = text(r.cells.unit_code!.value).trim();
    const union = unions.get(unitCode);
    if (!unitCode) reject('unit_code', 'The unit code is empty', said('import.emptyUnit'));
    else if (!union) reject('unit_code', `Unknown unit "${unitCode}"`, said('import.unknownUnit', { union: unitCode }));
    else if (!access.can('edit', union.path)) reject('unit_code', `Your roles do not allow editing ${union.name} (${unitCode})`, said('import.forbiddenUnit', { unionName: union.name, union: unitCode }));

    const indicatorCode = text(r.cells.indicator_code!.value).trim();
    const def = catalogueIndicator(indicatorCode);
    if (!def) reject('indicator_code', indicatorCode ? `Unknown indicator "${indicatorCode}"` : 'The indicator code is empty', indicatorCode ? said('cell.unknownIndicator', { indicator: indicatorCode }) : said('import.emptyIndicator'));
    else if (!isStored(def)) reject('indicator_code', `"${indicatorCode}" is computed from other figures and cannot be imported`, said('import.computed', { indicator: indicatorCode }));

    const yearRaw = plain(r.cells.year!.value);
    const year = typeof yearRaw === 'number' ? yearRaw : /^\s*\d{4}\s*$/.test(text(yearRaw)) ? Number(text(yearRaw)) : NaN;
    if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) reject('year', `"${text(yearRaw)}" is not a year of the catalogue (${FIRST_YEAR}–${LAST_YEAR})`, said('import.badYear', { input: text(yearRaw), first: FIRST_YEAR, last: LAST_YEAR }));
    else if (union && !existsIn(union, year)) {
      reject('year', `${union.name} does not exist in ${year} (valid ${union.validFrom}–${union.validTo ?? ''})`, said('cell.unionNotInYear', { unionName: union.name, year, from: union.validFrom, to: union.validTo ?? '' }));
    }

    const scenario = text(r.cells.scenario!.value).trim().toLowerCase() as Scenario;
    if ((scenario as string) === 'forecast') reject('scenario', 'Forecasts are read-only: FORECAST cannot be imported', said('forecast.readOnly', { field: 'scenario' }));
    else if (!SCENARIOS.includes(scenario)) reject('scenario', `"${text(r.cells.scenario!.value)}" is not a scenario (actual or target)`, said('import.badScenario', { input: text(r.cells.scenario!.value) }));
    else if (def && isStored(def) && !acceptsScenario(def, scenario)) reject('scenario', `"${indicatorCode}" has no targets`, said('cell.noTargets', { indicator: indicatorCode }));

    const rawValue = r.cells.value!.value;
    let value: number | null = null;
    if (typeof rawValue === 'number') value = rawValue;
    else if (typeof rawValue === 'string') {
      // Text typed into a cell: the same vi-VN reading as the grid's paste.
      const p = parseViNumber(rawValue);
      if (p.ok) value = p.value;
      else reject('value', p.error, said('import.notANumber', { input: rawValue }));
    } else if (rawValue !== null && rawValue !== undefined) reject('value', `"${text(rawValue) || String(rawValue)}" is not a number`, said('import.notANumber', { input: text(rawValue) || String(rawValue) }));
    if (value !== null && def && isStored(def)) {
      const problem = valueProblem(def.code, value);
      if (problem) reject('value', problem.text, said(problem.key, problem.params));
    }
    if (rejects.length > before) continue;
    const key: CellKey = { unionCode: unitCode, indicatorCode, year, scenario };
    const id = cellId(key);
    if (seen.has(id)) {
      reject('unit_code', `The same cell (${unitCode}, ${indicatorCode}, ${year}, ${scenario}) is also on row ${seen.get(id)}`, said('import.duplicate', { union: unitCode, indicator: indicatorCode, year, scenario, other: seen.get(id)! }));
      continue;
    }
    seen.set(id, r.row);
    ok.push({ ...key, sheet: r.sheet, row: r.row, value, union: union! });
  }
  return { ok, rejects };
}

/** Current cells for the checked rows, fetched a few hundred units at a time. */
async function currentCells(db: Db, rows: CheckedRow[]): Promise<Map<string, FigureRow>> {
  const byUnion = new Map<string, CheckedRow[]>();
  for (const r of rows) (byUnion.get(r.unionCode) ?? byUnion.set(r.unionCode, []).get(r.unionCode)!).push(r);
  const out = new Map<string, FigureRow>();
  const groups = [...byUnion.values()];
  for (let i = 0; i < groups.length; i += 200) {
    for (const f of await figuresByKeys(db, groups.slice(i, i + 200).flat())) out.set(cellId(f), f);
  }
  return out;
}

function classify(r: CheckedRow, f: FigureRow | undefined): PlanItem {
  const base = { unionCode: r.unionCode, indicatorCode: r.indicatorCode, year: r.year, scenario: r.scenario, sheet: r.sheet, row: r.row, value: r.value };
  const current = { currentValue: f?.value ?? null, currentStatus: f?.status ?? null, version: f?.version ?? 0 };
  let kind: PlanKind;
  if (r.value === null) kind = 'blank';
  else if (!f) kind = 'new';
  else if (f.status === 'approved') kind = f.value === r.value || f.proposedValue === r.value ? 'unchanged' : 'proposal';
  else kind = f.value === r.value ? 'unchanged' : f.value === null ? 'new' : 'change';
  return { ...base, ...current, kind };
}

async function plan(db: Db, file: Uint8Array, access: Access): Promise<{ plan: ImportPlan; items: PlanItem[] }> {
  mayImport(access);
  const parsed = await parseWorkbook(file);
  const { ok, rejects } = await checkRows(db, parsed.rows, access);
  const current = await currentCells(db, ok);
  const items = ok.map((r) => classify(r, current.get(cellId(r))));
  const counts: ImportPlan['counts'] = { new: 0, change: 0, proposal: 0, unchanged: 0, blank: 0, rejected: rejects.length };
  for (const it of items) counts[it.kind]++;
  const digest = createHash('sha256').update(file);
  for (const it of items) digest.update(`${cellId(it)}|${it.kind}|${it.version}|${it.value}\n`);
  for (const r of rejects) digest.update(`${r.row}|${r.column}|${r.reason}\n`);
  return {
    items,
    plan: {
      sheet: parsed.sheet,
      rows: parsed.rows.length,
      counts,
      changes: items.filter((it) => it.kind === 'new' || it.kind === 'change' || it.kind === 'proposal'),
      rejects,
      token: digest.digest('hex').slice(0, 32),
    },
  };
}

/** What the file would change, without writing anything. */
export async function previewImport(db: Db, file: Uint8Array, access: Access): Promise<ImportPlan> {
  return (await plan(db, file, access)).plan;
}

/** Rejects become one error per bad cell (sheet, row, column, reason), as a refused batch. */
function rejectsError(rejects: ImportReject[]): CellBatchError {
  return new CellBatchError(
    rejects.map((r, index) =>
      Object.assign(new DomainError('VALIDATION', `Sheet "${r.sheet}", row ${r.row}, column ${r.column} (${r.field}): ${r.reason}`, { index, ...r }), {}),
    ) as never,
  );
}

/**
 * Apply a previewed file in one transaction: values into new and unapproved cells (writeFigures),
 * proposals beside approved ones (propose). Any reject, or a plan that changed since `token`, writes nothing.
 */
export async function applyImport(db: Db, file: Uint8Array, token: string, opts: { access: Access; reason?: string | null }): Promise<ImportResult> {
  const reason = opts.reason?.trim() || 'Nhập từ tệp Excel';
  return db.transaction(async (trx) => {
    const { plan: p, items } = await plan(trx, file, opts.access);
    if (p.rejects.length) throw rejectsError(p.rejects);
    if (p.token !== token) {
      throw new DomainError('CONFLICT', 'The figures or the file changed since the preview: preview the file again before applying it', { http: { status: 409 }, ...said('import.conflict') });
    }
    const writes: CellWrite[] = items
      .filter((it) => it.kind === 'new' || it.kind === 'change')
      .map((it) => ({ unionCode: it.unionCode, indicatorCode: it.indicatorCode, year: it.year, scenario: it.scenario, value: it.value, expectedVersion: it.version }));
    const written = await writeFigures(trx, writes, { access: opts.access, reason });
    const proposed: FigureRow[] = [];
    for (const it of items.filter((i) => i.kind === 'proposal')) {
      proposed.push((await propose(trx, { ...it, value: it.value!, expectedVersion: it.version }, { access: opts.access, reason })).figure);
    }
    const figures = [...written.figures, ...proposed];
    return {
      written: writes.length,
      proposed: proposed.length,
      unchanged: p.counts.unchanged + p.counts.blank,
      figures,
      reconciliation: written.reconciliation,
      // One change for the whole file, published by the caller once this transaction has committed.
      events: [...figuresChanged(opts.access.caller?.username ?? 'anonymous', figures), ...discrepanciesChanged(written.reconciliation)],
    };
  });
}
