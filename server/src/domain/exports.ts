/**
 * Exports of approved figures for the departments: one filter (subtree, years, indicators,
 * scenario), one row shape with stable columns, and serializers for CSV, JSON and XLSX that
 * write to a stream as rows arrive. Figures are read in chunks of units, so the national set
 * is never held in memory at once.
 *
 * Only approved values leave through here: the `value` of a cell whose status is approved
 * (a pending proposal lives in `proposed_value` and is never exported). The caller's grants
 * narrow the units further: a unit outside every grant with `read` and `export` is skipped,
 * which is what `visibleTo` leaves of approved cells.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  FIRST_YEAR, INDICATORS, LAST_YEAR, SCENARIOS, UNITS, indicator as catalogueIndicator, indicatorLabel, isStored, type Scenario,
} from '@unionhub/schema';
import type { Access } from './access.js';
import { indicatorIds, isoTime, pathRange, type Db } from './db.js';
import { packedCellsByUnion } from './packed.js';
import { DomainError, said } from './errors.js';
import { unionByCode } from './unions.js';

export interface ExportFilter {
  /** The subtree's root union; default TLD. */
  rootCode: string;
  /** Default: every year of the catalogue. */
  years?: readonly number[] | null;
  /** Stored indicators only; default: all of them. */
  indicatorCodes?: readonly string[] | null;
  /** Default: both. */
  scenario?: Scenario | null;
}

export interface ExportRow {
  unitCode: string;
  unitName: string;
  level: number;
  parentCode: string | null;
  indicatorCode: string;
  indicatorName: string;
  year: number;
  scenario: Scenario;
  value: number;
  approvedAt: string | null;
  approvedBy: string | null;
}

/** The stable column order of every format (CSV header, JSON keys, XLSX header). */
export const EXPORT_COLUMNS = [
  { key: 'unit_code', field: 'unitCode', labelVi: 'Mã đơn vị', width: 14 },
  { key: 'unit_name', field: 'unitName', labelVi: 'Tên đơn vị', width: 40 },
  { key: 'level', field: 'level', labelVi: 'Cấp', width: 6 },
  { key: 'parent_code', field: 'parentCode', labelVi: 'Mã đơn vị cấp trên', width: 14 },
  { key: 'indicator_code', field: 'indicatorCode', labelVi: 'Mã chỉ tiêu', width: 30 },
  { key: 'indicator_name', field: 'indicatorName', labelVi: 'Tên chỉ tiêu', width: 50 },
  { key: 'year', field: 'year', labelVi: 'Năm', width: 8 },
  { key: 'scenario', field: 'scenario', labelVi: 'Loại số liệu', width: 10 },
  { key: 'value', field: 'value', labelVi: 'Giá trị', width: 14 },
  { key: 'approved_at', field: 'approvedAt', labelVi: 'Duyệt lúc', width: 26 },
  { key: 'approved_by', field: 'approvedBy', labelVi: 'Người duyệt', width: 18 },
] as const satisfies readonly { key: string; field: keyof ExportRow; labelVi: string; width: number }[];

export type ExportColumnKey = (typeof EXPORT_COLUMNS)[number]['key'];

/** The name of the data sheet in the workbook; the import looks for it (or a sheet with the same header). */
export const DATA_SHEET = 'Số liệu';
export const NOTES_SHEET = 'Ghi chú';

/** Units per figure query: at most 50 × 45 indicators × 11 years × 2 scenarios rows in memory at once. */
const UNITS_PER_CHUNK = 50;

interface ExportUnit {
  id: number;
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
  path: string;
}

export interface ExportSelection {
  filter: { rootCode: string; years: number[]; indicatorCodes: string[]; scenario: Scenario | null };
  /** Units of the subtree the caller may export from, in path order. */
  units: ExportUnit[];
  years: number[];
  indicatorCodes: string[];
  scenarios: Scenario[];
}

/** Check a filter and resolve it to the units the caller may export from. */
export async function selectExport(db: Db, filter: ExportFilter, access: Access): Promise<ExportSelection> {
  if (!access.authenticated) throw new DomainError('UNAUTHENTICATED', 'Sign in first', said('auth.signInFirst'));
  const years = filter.years?.length ? [...new Set(filter.years)].sort((a, b) => a - b) : YEARS_ALL;
  for (const y of years) {
    if (!Number.isInteger(y) || y < FIRST_YEAR || y > LAST_YEAR) throw new DomainError('VALIDATION', `Year ${y} is outside the catalogue (${FIRST_YEAR}–${LAST_YEAR})`, said('cell.yearOutside', { year: y, first: FIRST_YEAR, last: LAST_YEAR }));
  }
  const indicatorCodes = filter.indicatorCodes?.length ? [...new Set(filter.indicatorCodes)] : STORED_CODES;
  for (const code of indicatorCodes) {
    const def = catalogueIndicator(code);
    if (!def) throw new DomainError('NOT_FOUND', `Unknown indicator "${code}"`, said('cell.unknownIndicator', { indicator: code }));
    if (!isStored(def)) throw new DomainError('VALIDATION', `"${code}" is computed from other figures and has no approved cells of its own`, said('export.computed', { indicator: code }));
  }
  const scenario = filter.scenario ?? null;
  if (scenario !== null && !SCENARIOS.includes(scenario)) throw new DomainError('VALIDATION', `Unknown scenario "${scenario}"`, said('cell.unknownScenario', { scenario }));
  const [lo, hi] = pathRange((await unionByCode(db, filter.rootCode)).path);
  const rows: ExportUnit[] = await db('trade_union as u')
    .leftJoin('trade_union as p', 'p.id', 'u.parent_id')
    .select('u.id', 'u.code', 'u.name', 'u.level', 'p.code as parentCode', 'u.path')
    .where('u.path', '>=', lo)
    .andWhere('u.path', '<', hi)
    .orderBy('u.path');
  // Approved cells are visible wherever the caller may read at all (see visibleTo); export is its own operation.
  const units = rows.filter((u) => access.visibility(u.path) !== 'none' && access.can('export', u.path));
  if (units.length === 0 && rows.length > 0) throw new DomainError('FORBIDDEN', `Your roles do not allow exporting figures of ${filter.rootCode}`, said('export.forbidden', { union: filter.rootCode }));
  return {
    filter: { rootCode: filter.rootCode, years, indicatorCodes, scenario },
    units,
    years,
    indicatorCodes,
    scenarios: scenario ? [scenario] : [...SCENARIOS],
  };
}

const YEARS_ALL = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
const STORED_CODES = INDICATORS.filter(isStored).map((d) => d.code);

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The figure filter shared by the rows and the counts (scenario named so SQLite seeks the cell index). */
function figureFilter(db: Db, ids: Map<string, number>, sel: ExportSelection, unitIds: number[]) {
  let q = db('figure as f').whereIn('f.union_id', unitIds).whereIn('f.scenario', sel.scenarios);
  if (sel.years.length !== YEARS_ALL.length) q = q.whereIn('f.year', sel.years);
  if (sel.indicatorCodes.length !== STORED_CODES.length) q = q.whereIn('f.indicator_id', sel.indicatorCodes.map((c) => ids.get(c)!));
  return q;
}

/**
 * The approved rows of a selection, in a stable order: units by path, then scenario, year and
 * the catalogue's indicator order. Yields one chunk of units' rows at a time.
 */
export async function* approvedRows(db: Db, sel: ExportSelection, counts?: ExportCounts): AsyncGenerator<ExportRow[]> {
  const ids = await indicatorIds(db);
  const codeOf = new Map([...ids].map(([code, id]) => [id, code]));
  const labels = new Map<string, string>();
  const label = (code: string, year: number) => {
    const k = `${code}|${year}`;
    let l = labels.get(k);
    if (l === undefined) labels.set(k, (l = indicatorLabel(catalogueIndicator(code)!, Number(year), 'vi')));
    return l;
  };
  // Cells approved in one batch share an instant: convert each distinct one once.
  const times = new Map<string, string>();
  const time = (raw: string) => {
    let t = times.get(raw);
    if (t === undefined) {
      if (times.size > 10_000) times.clear();
      times.set(raw, (t = isoTime(raw)));
    }
    return t;
  };
  // Packed one string per unit, the approved cells ordered by scenario, year and indicator id
  // (= catalogue order). The same pass counts the cells not approved yet (they are read anyway:
  // status is no index column).
  const read = (group: ExportUnit[]) =>
    packedCellsByUnion(db, figureFilter(db, ids, sel, group.map((u) => u.id)).whereNotNull('f.value'), {
      fields: ['indicatorId', 'year', 'scenario', 'value', 'approvedAt', 'approvedBy'],
      only: "f.status = 'approved'",
      orderBy: 'f.scenario, f.year, f.indicator_id',
      sums: { pending: "case when f.status = 'approved' then 0 else 1 end" },
    });
  const groups = chunks(sel.units, UNITS_PER_CHUNK);
  // The next chunk is read while this one is turned into rows (the driver works on its own thread).
  let next = groups.length ? read(groups[0]!) : null;
  // A read still under way when the consumer stops early must not become an unhandled rejection.
  const quiet = (p: Promise<unknown> | null) => void p?.catch(() => undefined);
  quiet(next);
  for (const [k, group] of groups.entries()) {
    const packed = await next!;
    next = k + 1 < groups.length ? read(groups[k + 1]!) : null;
    quiet(next);
    if (counts) for (const p of packed.values()) counts.notApproved += p.sums.pending;
    const rows: ExportRow[] = [];
    for (const u of group) {
      packed.get(u.id)?.each((c) => {
        const code = codeOf.get(c.indicatorId)!;
        rows.push({
          unitCode: u.code, unitName: u.name, level: u.level, parentCode: u.parentCode, indicatorCode: code, indicatorName: label(code, c.year),
          year: c.year, scenario: c.scenario, value: c.value!, approvedAt: c.approvedAt ? time(c.approvedAt) : null,
          approvedBy: c.approvedBy,
        });
      });
    }
    if (counts) counts.approved += rows.length;
    if (rows.length) yield rows;
  }
}

export interface ExportCounts {
  approved: number;
  /** Cells of the selection that exist but are not approved yet (draft or submitted). */
  notApproved: number;
}

/** How many cells of the selection are approved and how many are not yet. One grouped read per chunk of units. */
export async function countExport(db: Db, sel: ExportSelection): Promise<ExportCounts> {
  const counts = { approved: 0, notApproved: 0 };
  const ids = await indicatorIds(db);
  for (const group of chunks(sel.units, 500)) {
    const rows: { status: string; n: number }[] = await figureFilter(db, ids, sel, group.map((u) => u.id))
      .whereNotNull('f.value')
      .select('f.status')
      .count({ n: '*' })
      .groupBy('f.status');
    for (const r of rows) counts[r.status === 'approved' ? 'approved' : 'notApproved'] += Number(r.n);
  }
  return counts;
}

// ---------- serializers ----------

/** Write and wait for the stream to drain when its buffer is full (backpressure). */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await new Promise<void>((resolve, reject) => {
    const done = () => { out.off('error', fail); resolve(); };
    const fail = (e: Error) => { out.off('drain', done); reject(e); };
    out.once('drain', done);
    out.once('error', fail);
  });
}

/** A number as a plain decimal (never exponent notation). */
export function plainNumber(v: number): string {
  const s = String(v);
  return s.includes('e') ? v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}

function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return plainNumber(v);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV (RFC 4180, CRLF) with a UTF-8 BOM so Excel reads Vietnamese. Returns the number of rows. */
export async function writeCsv(db: Db, sel: ExportSelection, out: Writable, counts?: ExportCounts): Promise<number> {
  await write(out, `\uFEFF${EXPORT_COLUMNS.map((c) => c.key).join(',')}\r\n`);
  // The unit's and the indicator's columns repeat on many rows: quote each distinct one once.
  const unitPart = new Map<string, string>();
  const indicatorPart = new Map<string, string>();
  let n = 0;
  for await (const rows of approvedRows(db, sel, counts)) {
    let text = '';
    for (const r of rows) {
      let u = unitPart.get(r.unitCode);
      if (u === undefined) unitPart.set(r.unitCode, (u = `${csvField(r.unitCode)},${csvField(r.unitName)},${r.level},${csvField(r.parentCode)},`));
      const ik = `${r.indicatorCode}|${r.year}`;
      let i = indicatorPart.get(ik);
      if (i === undefined) indicatorPart.set(ik, (i = `${csvField(r.indicatorCode)},${csvField(r.indicatorName)},${r.year},`));
      text += `${u}${i}${r.scenario},${plainNumber(r.value)},${r.approvedAt ?? ''},${r.approvedBy === null ? '' : csvField(r.approvedBy)}\r\n`;
    }
    unitPart.clear(); // units do not come back in a later chunk
    n += rows.length;
    await write(out, text);
  }
  return n;
}

export function jsonRecord(r: ExportRow): Record<ExportColumnKey, string | number | null> {
  return {
    unit_code: r.unitCode, unit_name: r.unitName, level: r.level, parent_code: r.parentCode, indicator_code: r.indicatorCode,
    indicator_name: r.indicatorName, year: r.year, scenario: r.scenario, value: r.value, approved_at: r.approvedAt, approved_by: r.approvedBy,
  };
}

/**
 * JSON: `{"selection": …, "columns": […], "figures": [ …rows… ], "approved": n, "notApproved": n}` with the
 * rows streamed; the count of cells not approved yet comes last, counted in the same pass as the rows.
 */
export async function writeJson(db: Db, sel: ExportSelection, out: Writable): Promise<number> {
  const selection = { root: sel.filter.rootCode, years: sel.years, indicators: sel.indicatorCodes, scenario: sel.filter.scenario };
  await write(out, `{"selection":${JSON.stringify(selection)},"columns":${JSON.stringify(EXPORT_COLUMNS.map((c) => c.key))},"figures":[`);
  let n = 0;
  const c: ExportCounts = { approved: 0, notApproved: 0 };
  for await (const rows of approvedRows(db, sel, c)) {
    let text = '';
    for (const r of rows) text += `${n++ === 0 ? '\n' : ',\n'}${JSON.stringify(jsonRecord(r))}`;
    await write(out, text);
  }
  await write(out, `\n],"approved":${n},"notApproved":${c.notApproved}}\n`);
  return n;
}

/** Excel's vi-VN display of '#,##0' is 1.234.567: the format is locale-neutral, the reader's locale picks the marks. */
const INTEGER_FORMAT = '#,##0';
const DECIMAL_FORMAT = '#,##0.00';

/**
 * XLSX through exceljs's streaming writer: the data sheet (header frozen, values as numbers) and a
 * notes sheet saying what the selection was and how many cells are not approved yet.
 */
export async function writeXlsx(db: Db, sel: ExportSelection, out: Writable): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'UnionHub';
  const ws = wb.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = EXPORT_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  const header = ws.addRow(EXPORT_COLUMNS.map((c) => c.key));
  header.font = { bold: true };
  header.commit();
  let n = 0;
  const valueColumn = EXPORT_COLUMNS.findIndex((c) => c.key === 'value') + 1;
  const c: ExportCounts = { approved: 0, notApproved: 0 };
  for await (const rows of approvedRows(db, sel, c)) {
    for (const r of rows) {
      const row = ws.addRow([r.unitCode, r.unitName, r.level, r.parentCode, r.indicatorCode, r.indicatorName, r.year, r.scenario, r.value, r.approvedAt, r.approvedBy]);
      row.getCell(valueColumn).numFmt = UNITS[catalogueIndicator(r.indicatorCode)!.unit].integer ? INTEGER_FORMAT : DECIMAL_FORMAT;
      row.commit();
      n++;
    }
    // exceljs buffers into its zip stream; let the response drain between chunks.
    if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
  }
  ws.commit();
  const notes = wb.addWorksheet(NOTES_SHEET);
  notes.columns = [{ width: 36 }, { width: 60 }];
  for (const [k, v] of [
    ['Nguồn', 'UnionHub — số liệu đã duyệt (approved figures only)'],
    ['Đơn vị gốc (root)', sel.filter.rootCode],
    ['Năm (years)', sel.years.join(', ')],
    ['Loại số liệu (scenario)', sel.filter.scenario ?? 'actual, target'],
    ['Số ô đã duyệt (approved cells)', n],
    ['Số ô chưa duyệt, không có trong tệp (cells not approved yet)', c.notApproved],
    ['Xuất lúc (exported at)', new Date().toISOString()],
  ] as const) notes.addRow([k, v]).commit();
  notes.commit();
  await wb.commit();
  return n;
}

/** A selection's rows in memory, for GraphQL's smaller selections; refuses above `cap` approved cells. */
export async function approvedFigures(db: Db, filter: ExportFilter, access: Access, cap: number): Promise<{ rows: ExportRow[]; counts: ExportCounts }> {
  const sel = await selectExport(db, filter, access);
  const counts = await countExport(db, sel);
  if (counts.approved > cap) {
    throw new DomainError('VALIDATION', `The selection has ${counts.approved} approved cells, more than ${cap}: narrow it, or download it from /exports/figures.csv`, {
      approvedCells: counts.approved, cap, ...said('export.tooMany', { approved: counts.approved, cap }),
    });
  }
  const rows: ExportRow[] = [];
  for await (const chunk of approvedRows(db, sel)) rows.push(...chunk);
  return { rows, counts };
}
