/**
 * Reading a union's written-report sections with the same rules as its cells: who reads the union
 * reads its sections; who reads unapproved data (reporters, reviewers) reads drafts, versions,
 * comments and the trail; who reads only approved figures (viewers) reads the approved version and
 * nothing else. Lists are read set-based (one query per list, never per union).
 */
import { reportSection, sectionsOfLevel, type ReportSectionSpec, type SectionStatus, type UnionKind } from '@unionhub/schema';
import { forbidden, type Access } from './access.js';
import { isoTime, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import { childrenOf, unionByCode, type UnionRow } from './unions.js';
import { parseStored, type SectionNode } from './section-document.js';

export interface SectionRow {
  /** unit_section.id; null while EMPTY (never saved, commented or tagged). */
  id: number | null;
  union: UnionRow;
  spec: ReportSectionSpec;
  status: SectionStatus;
  version: number;
  document: SectionNode | null;
  html: string;
  plainText: string;
  updatedAt: string | null;
  updatedBy: string | null;
  /** The username behind updatedBy (four-eyes compares it). */
  updatedByUser: string | null;
  returnReason: string | null;
  approvedVersion: number | null;
  /** Only the approved version is shown (a caller that reads approved figures only): no drafts, trail or comments. */
  approvedOnly: boolean;
}

const invalid = (message: string, s: ReturnType<typeof said>) => new DomainError('VALIDATION', message, { http: { status: 400 }, fields: ['section'], ...s });

/** The section's spec; VALIDATION when unknown or when the union's level does not write it. */
export function specFor(union: UnionRow, code: string): ReportSectionSpec {
  const spec = reportSection(code);
  if (!spec) throw invalid(`No report section "${code}"`, said('section.unknown', { section: code.slice(0, 60) }));
  if (!spec.levels.includes(union.level)) throw invalid(`${union.name} does not write "${code}"`, said('section.notWritten', { unionName: union.name, section: code }));
  return spec;
}

/** The union, refused unless the caller reads it. */
export async function readableUnion(db: Db, access: Access, code: string): Promise<UnionRow> {
  const union = await unionByCode(db, code);
  access.require('read', union.path, `Your roles do not allow reading ${union.name}`, { why: said('section.forbiddenRead', { unionName: union.name }) });
  return union;
}

interface Stored {
  id: number;
  unionId: number;
  sectionCode: string;
  status: SectionStatus;
  version: number;
  document: string | null;
  plainText: string;
  html: string;
  approvedVersion: number | null;
  returnReason: string | null;
  updatedAt: unknown;
  updatedBy: string | null;
  updatedByName: string | null;
}

const STORED = [
  's.id', 's.union_id as unionId', 's.section_code as sectionCode', 's.status', 's.version', 's.document', 's.plain_text as plainText', 's.html',
  's.approved_version as approvedVersion', 's.return_reason as returnReason', 's.updated_at as updatedAt', 's.updated_by as updatedBy', 'a.display_name as updatedByName',
];

function emptyRow(union: UnionRow, spec: ReportSectionSpec, approvedOnly: boolean): SectionRow {
  return { id: null, union, spec, status: 'EMPTY', version: 0, document: null, html: '', plainText: '', updatedAt: null, updatedBy: null, updatedByUser: null, returnReason: null, approvedVersion: null, approvedOnly };
}

/**
 * The sections (union × spec) as the caller may see them: one query for the stored rows, one more
 * for the approved versions that approved-only callers see instead of a newer draft.
 */
export async function sectionRows(db: Db, access: Access, pairs: readonly { union: UnionRow; spec: ReportSectionSpec }[]): Promise<SectionRow[]> {
  if (pairs.length === 0) return [];
  const unionIds = [...new Set(pairs.map((p) => p.union.id))];
  const codes = [...new Set(pairs.map((p) => p.spec.code))];
  const stored = (await db('unit_section as s').leftJoin('app_user as a', 'a.username', 's.updated_by').select(STORED)
    .whereIn('s.union_id', unionIds).whereIn('s.section_code', codes)) as Stored[];
  const byKey = new Map(stored.map((r) => [`${Number(r.unionId)}|${r.sectionCode}`, r]));
  const rows = pairs.map(({ union, spec }) => {
    const approvedOnly = !access.readsUnapproved(union.path);
    const r = byKey.get(`${union.id}|${spec.code}`);
    if (!r) return emptyRow(union, spec, approvedOnly);
    const row: SectionRow = {
      id: Number(r.id), union, spec, status: r.status, version: Number(r.version), document: r.document ? parseStored(r.document) : null,
      html: r.html, plainText: r.plainText, updatedAt: r.updatedAt ? isoTime(r.updatedAt) : null, updatedBy: r.updatedByName ?? r.updatedBy, updatedByUser: r.updatedBy,
      returnReason: r.returnReason, approvedVersion: r.approvedVersion === null ? null : Number(r.approvedVersion), approvedOnly,
    };
    if (row.version === 0) return { ...emptyRow(union, spec, approvedOnly), id: row.id };
    return row;
  });
  return approvedView(db, rows);
}

/** Approved-only callers: the approved version in place of the current text, or EMPTY when none was approved. */
async function approvedView(db: Db, rows: SectionRow[]): Promise<SectionRow[]> {
  const needed = rows.filter((r) => r.approvedOnly && r.id !== null && r.approvedVersion !== null && r.approvedVersion !== r.version);
  const versions = needed.length === 0 ? [] : await db('section_version as v').leftJoin('app_user as a', 'a.username', 'v.actor')
    .select('v.unit_section_id as id', 'v.document', 'v.plain_text as plainText', 'v.html', 'v.saved_at as savedAt', 'v.actor', 'a.display_name as name')
    .where((q) => { for (const r of needed) q.orWhere((w) => w.where('v.unit_section_id', r.id!).andWhere('v.version', r.approvedVersion!)); }) as
    { id: number; document: string; plainText: string; html: string; savedAt: unknown; actor: string; name: string | null }[];
  const byId = new Map(versions.map((v) => [Number(v.id), v]));
  return rows.map((r) => {
    if (!r.approvedOnly) return r;
    if (r.approvedVersion === null) return { ...emptyRow(r.union, r.spec, true), id: r.id };
    const base = { ...r, status: 'APPROVED' as const, version: r.approvedVersion, returnReason: null };
    if (r.approvedVersion === r.version) return base;
    const v = byId.get(r.id!);
    if (!v) return { ...emptyRow(r.union, r.spec, true), id: r.id };
    return { ...base, document: parseStored(v.document), plainText: v.plainText, html: v.html, updatedAt: isoTime(v.savedAt), updatedBy: v.name ?? v.actor, updatedByUser: v.actor };
  });
}

/** Every section the union writes (by its level), in part II's order. */
export async function unitSections(db: Db, access: Access, unionCode: string): Promise<SectionRow[]> {
  const union = await readableUnion(db, access, unionCode);
  return sectionRows(db, access, sectionsOfLevel(union.level).map((spec) => ({ union, spec })));
}

export async function unitSection(db: Db, access: Access, unionCode: string, code: string): Promise<SectionRow> {
  const union = await readableUnion(db, access, unionCode);
  return (await sectionRows(db, access, [{ union, spec: specFor(union, code) }]))[0]!;
}

export interface CompileFilter {
  kinds?: readonly UnionKind[] | null;
  regions?: readonly string[] | null;
}

/**
 * Compiling: one section across the root's children (today's tree), in union name order, filtered by
 * kind and region; only the children the caller reads, and only those whose level writes it.
 */
export async function compileSection(db: Db, access: Access, code: string, rootCode: string, filter: CompileFilter): Promise<SectionRow[]> {
  const spec = reportSection(code);
  if (!spec) throw invalid(`No report section "${code}"`, said('section.unknown', { section: code.slice(0, 60) }));
  const root = await unionByCode(db, rootCode);
  if (!access.reads(root.path) && !access.readsBelow(root.path)) throw forbidden(`Your roles do not allow reading ${root.name}`, said('section.forbiddenRead', { unionName: root.name }));
  const children = (await childrenOf(db, [root.id], null)).filter((u) =>
    u.validTo === null && access.reads(u.path) && spec.levels.includes(u.level)
    && (!filter.kinds?.length || filter.kinds.includes(u.kind as UnionKind)) && (!filter.regions?.length || (u.region !== null && filter.regions.includes(u.region))));
  children.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  return sectionRows(db, access, children.map((union) => ({ union, spec })));
}
