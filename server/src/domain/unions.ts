/** Reading the hierarchy: a union, its subtree, ancestors, successors, and search. */
import { foldDiacritics } from '@unionhub/schema';
import { cacheKey, pathRange, validIn, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import type { Access } from './access.js';

export interface UnionRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  level: number;
  parentId: number | null;
  path: string;
  validFrom: number;
  validTo: number | null;
  region: string | null;
  gsoCode: string | null;
  sortOrder: number;
}

const COLUMNS = [
  'u.id', 'u.code', 'u.name', 'u.kind', 'u.level', 'u.parent_id as parentId', 'u.path',
  'u.valid_from as validFrom', 'u.valid_to as validTo', 'u.region', 'u.gso_code as gsoCode', 'u.sort_order as sortOrder',
];

export function unionQuery(db: Db) {
  return db('trade_union as u').select(COLUMNS);
}

export async function unionsByCodes(db: Db, codes: readonly string[]): Promise<UnionRow[]> {
  if (codes.length === 0) return [];
  return unionQuery(db).whereIn('u.code', [...new Set(codes)]);
}

const keptUnions = new WeakMap<object, Map<string, UnionRow>>();

/**
 * `unionsByCodes`, kept per database once read, for the write path (a statement fewer in each
 * write group). Nothing changes a union while the server runs — the re-check's tree is kept the
 * same way (rule-sources.ts); a code not found is asked again the next time.
 */
export async function keptUnionsByCodes(db: Db, codes: readonly string[]): Promise<UnionRow[]> {
  const key = cacheKey(db);
  const kept = keptUnions.get(key) ?? keptUnions.set(key, new Map()).get(key)!;
  const wanted = [...new Set(codes)];
  const missing = wanted.filter((c) => !kept.has(c));
  if (missing.length) for (const u of await unionsByCodes(db, missing)) kept.set(u.code, u);
  return wanted.flatMap((c) => kept.get(c) ?? []);
}

/** One union by its code; an unknown code is refused (NOT_FOUND), as every root a caller names. */
export async function unionByCode(db: Db, code: string): Promise<UnionRow> {
  const union: UnionRow | undefined = await unionQuery(db).where('u.code', code).first();
  if (!union) throw new DomainError('NOT_FOUND', `Unknown union "${code}"`, said('union.unknown', { union: code }));
  return union;
}

export async function unionsByIds(db: Db, ids: readonly number[]): Promise<UnionRow[]> {
  if (ids.length === 0) return [];
  return unionQuery(db).whereIn('u.id', [...new Set(ids)]);
}

export type YearSpan = { from: number; to: number };

export function yearSpan(year?: number | null): YearSpan | null {
  return year === undefined || year === null ? null : { from: year, to: year };
}

export async function childrenOf(db: Db, parentIds: readonly number[], years: YearSpan | null): Promise<UnionRow[]> {
  const q = unionQuery(db).whereIn('u.parent_id', parentIds).orderBy(['u.sort_order', 'u.code']);
  return years ? validIn(q, years) : q;
}

/** The union and its descendants down to `depth` levels below it, in tree order. */
export async function subtree(db: Db, root: UnionRow, depth: number, years: YearSpan | null): Promise<UnionRow[]> {
  const [lo, hi] = pathRange(root.path);
  let q = unionQuery(db).where('u.path', '>=', lo).andWhere('u.path', '<', hi).andWhere('u.level', '<=', root.level + depth);
  if (years) q = validIn(q, years);
  return treeOrder(await q, root.id);
}

/** Depth-first order, siblings by their sort order then code. */
export function treeOrder<T extends { id: number; parentId: number | null; sortOrder: number; code: string }>(rows: T[], rootId: number): T[] {
  const kids = new Map<number | null, T[]>();
  for (const r of rows) (kids.get(r.parentId) ?? kids.set(r.parentId, []).get(r.parentId)!).push(r);
  for (const list of kids.values()) list.sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
  const out: T[] = [];
  const root = rows.find((r) => r.id === rootId);
  if (!root) return out;
  const visit = (r: T) => {
    out.push(r);
    for (const c of kids.get(r.id) ?? []) visit(c);
  };
  visit(root);
  return out;
}

export function ancestorCodes(path: string): string[] {
  return path.split('/').filter(Boolean).slice(0, -1);
}

export interface UnionSearch {
  level?: number | null;
  kind?: string | null;
  search?: string | null;
  parentCode?: string | null;
  year?: number | null;
  limit: number;
  offset: number;
}

/** Search by level, kind, parent and name; the name matches with or without Vietnamese diacritics. */
export async function searchUnions(db: Db, s: UnionSearch): Promise<UnionRow[]> {
  let q = unionQuery(db);
  if (s.level !== undefined && s.level !== null) q = q.where('u.level', s.level);
  if (s.kind) q = q.where('u.kind', s.kind);
  if (s.parentCode) q = q.whereIn('u.parent_id', db('trade_union').select('id').where('code', s.parentCode));
  if (s.search) {
    const folded = foldDiacritics(s.search).replace(/[\\%_]/g, (c) => `\\${c}`);
    q = q.whereRaw(`u.search_name like ? escape '\\'`, [`%${folded}%`]);
  }
  const years = yearSpan(s.year);
  if (years) q = validIn(q, years);
  return q.orderBy(['u.level', 'u.parent_id', 'u.sort_order', 'u.code']).limit(s.limit).offset(s.offset);
}

export interface SuccessionRow {
  predecessorId: number;
  successorId: number;
  year: number;
  kind: string;
}

export async function successions(db: Db, side: 'predecessor' | 'successor', unionIds: readonly number[]): Promise<SuccessionRow[]> {
  return db('union_succession')
    .select('predecessor_id as predecessorId', 'successor_id as successorId', 'year', 'kind')
    .whereIn(`${side}_id`, unionIds);
}

/** The hierarchy's extremes: how many items a list over unions can return at most (the cost estimate's bounds). */
export interface TreeShape {
  unions: number;
  /** Most children of one union, over all years. */
  fanOut: number;
  /** Most ancestors of one union. */
  ancestors: number;
  /** The largest subtree (its root included) down to `d` levels, for d = 0 … the tree's height. */
  subtree: number[];
  /** Most successions on one side of one union (predecessors or successors). */
  successions: number;
  /** Each union's whole subtree (itself included), by code: bounds a read whose root is named. */
  below: Map<string, number>;
}

/** Read in two queries (ids and parents, successions) and measured in memory: O(unions × height). */
export async function treeShape(db: Db): Promise<TreeShape> {
  const rows: { id: number; parentId: number | null; code: string }[] = await db('trade_union').select('id', 'parent_id as parentId', 'code');
  const links: { p: number; s: number }[] = await db('union_succession').select('predecessor_id as p', 'successor_id as s');
  const kids = new Map<number, number[]>();
  for (const r of rows) if (r.parentId !== null) (kids.get(r.parentId) ?? kids.set(r.parentId, []).get(r.parentId)!).push(r.id);
  const parentOf = new Map(rows.map((r) => [r.id, r.parentId]));
  const depthOf = new Map<number, number>();
  const depth = (id: number): number => {
    let d = depthOf.get(id);
    if (d !== undefined) return d;
    const parent = parentOf.get(id);
    // A parent missing from the table (or a cycle, guarded by the provisional 0) ends the chain.
    depthOf.set(id, 0);
    d = parent === null || parent === undefined || !parentOf.has(parent) ? 0 : depth(parent) + 1;
    depthOf.set(id, d);
    return d;
  };
  let ancestors = 0;
  for (const r of rows) ancestors = Math.max(ancestors, depth(r.id));
  // size[d] of a union = 1 + the size[d-1] of its children; the largest per d bounds `subtree(depth: d)`.
  let size = new Map(rows.map((r) => [r.id, 1]));
  const subtree = [rows.length ? 1 : 0];
  for (let d = 1; d <= ancestors; d++) {
    const next = new Map<number, number>();
    let largest = 0;
    for (const r of rows) {
      const n = 1 + (kids.get(r.id) ?? []).reduce((sum, c) => sum + size.get(c)!, 0);
      next.set(r.id, n);
      largest = Math.max(largest, n);
    }
    size = next;
    subtree.push(largest);
  }
  // Loops, not Math.max(...spread): a national tree can hold more unions than a call has arguments.
  const most = (values: Iterable<number>) => {
    const counts = new Map<number, number>();
    let top = 0;
    for (const v of values) top = Math.max(top, counts.set(v, (counts.get(v) ?? 0) + 1).get(v)!);
    return top;
  };
  let fanOut = 0;
  for (const k of kids.values()) fanOut = Math.max(fanOut, k.length);
  return {
    unions: rows.length,
    fanOut,
    ancestors,
    subtree,
    successions: Math.max(most(links.map((l) => l.p)), most(links.map((l) => l.s))),
    below: new Map(rows.map((r) => [r.code, size.get(r.id)!])),
  };
}

/** The most unions one `findUnions` answer holds: a picker shows a handful, never a listing. */
export const FIND_UNIONS_MAX = 50;

/**
 * The unions a caller may read whose name (folded: no diacritics, đ → d, lower case) or code holds
 * `text`, best first: the exact code or name, then names and codes starting with it, then a word
 * starting with it, then anywhere; within a rank higher levels (TLĐ, provinces) first. Matched on
 * the stored folded name (`search_name`, written with the union), so the database does the work:
 * one indexed-range LIKE over ~1,500 rows, no rows carried to Node to be folded.
 */
export async function findUnions(db: Db, access: Access, text: string, opts: { limit: number; year?: number | null }): Promise<UnionRow[]> {
  if (opts.limit < 1 || opts.limit > FIND_UNIONS_MAX) throw new DomainError('VALIDATION', `limit must be between 1 and ${FIND_UNIONS_MAX}`, { fields: ['limit'] });
  const folded = foldDiacritics(text);
  const paths = readablePaths(access);
  if (folded === '' || paths.length === 0) return [];
  const like = folded.replace(/[\\%_]/g, (c) => `\\${c}`);
  let q = unionQuery(db)
    .where((w) => {
      for (const p of paths) {
        const [lo, hi] = pathRange(p);
        w.orWhere((r) => r.where('u.path', '>=', lo).andWhere('u.path', '<', hi));
      }
    })
    .andWhere((w) => w.whereRaw(`u.search_name like ? escape '\\'`, [`%${like}%`]).orWhereRaw(`lower(u.code) like ? escape '\\'`, [`%${like}%`]));
  const years = yearSpan(opts.year);
  if (years) q = validIn(q, years);
  const rank = `case when lower(u.code) = ? or u.search_name = ? then 0
    when u.search_name like ? escape '\\' or lower(u.code) like ? escape '\\' then 1
    when u.search_name like ? escape '\\' then 2 else 3 end`;
  return q
    .orderByRaw(`${rank}, u.level, u.sort_order, u.code`, [folded, folded, `${like}%`, `${like}%`, `% ${like}%`])
    .limit(opts.limit);
}

/** The subtrees a caller reads (its grants with `read`), outermost only. */
function readablePaths(access: Access): string[] {
  const paths = (access.caller?.grants ?? []).filter((g) => access.can('read', g.path)).map((g) => g.path).sort();
  return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
}
