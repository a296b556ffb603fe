/**
 * Full-text search over the sections' current texts, with or without Vietnamese diacritics, ranked,
 * with highlighted snippets, limited to what the caller may read under a root. SQLite: FTS5 MATCH,
 * bm25() and snippet(); PostgreSQL: a tsvector over unaccent (configuration section_search), ts_rank
 * and ts_headline. The user's text never reaches either query language as syntax: it is folded to
 * words of letters and digits, and each word (or "quoted phrase") is quoted or joined by us.
 */
import { foldDiacritics, roleOperations, type SectionStatus } from '@unionhub/schema';
import type { Access } from './access.js';
import { dialectOf, pathRange, rawRows, type Db } from './db.js';
import { escapeHtml } from './section-document.js';
import { unionByCode } from './unions.js';

/** What the index holds for a text: đ/Đ folded to d (unicode61 treats đ as a letter of its own), the same tokens otherwise. */
export const indexedText = (text: string) => text.replace(/đ/g, 'd').replace(/Đ/g, 'D');

/**
 * Keep the index current, in the save's transaction. `before`: the text indexed so far (null: none).
 * SQLite's external-content table needs the old indexed text to remove it.
 */
export async function indexSection(trx: Db, id: number, before: string | null, after: string): Promise<void> {
  if (dialectOf(trx) === 'postgresql') {
    await trx.raw("update unit_section set search_vector = to_tsvector('section_search', ?) where id = ?", [after, id]);
    return;
  }
  if (before !== null) await trx.raw("insert into section_fts (section_fts, rowid, plain_text) values ('delete', ?, ?)", [id, indexedText(before)]);
  await trx.raw('insert into section_fts (rowid, plain_text) values (?, ?)', [id, indexedText(after)]);
}

/** The search's terms: each a word, or the words of a "quoted phrase" in order; folded, letters and digits only. */
export function searchTerms(text: string): string[][] {
  const terms: string[][] = [];
  for (const m of text.slice(0, 500).matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    const words = foldDiacritics(m[1] ?? m[2] ?? '').match(/[\p{L}\p{N}]+/gu) ?? [];
    if (m[1] !== undefined) { if (words.length) terms.push(words); } else for (const w of words) terms.push([w]);
  }
  return terms.slice(0, 20);
}

/** FTS5: every term quoted (a phrase keeps its words together), all required. */
export const ftsQuery = (terms: string[][]) => terms.map((t) => `"${t.join(' ')}"`).join(' ');
/** PostgreSQL to_tsquery: terms joined by &, a phrase's words by <->. */
export const tsQuery = (terms: string[][]) => terms.map((t) => (t.length === 1 ? t[0]! : `(${t.join(' <-> ')})`)).join(' & ');

export interface SearchHit {
  unionId: number;
  sectionCode: string;
  status: SectionStatus;
  version: number;
  snippet: string;
  rank: number;
}

const OPEN = '\u0001';
const CLOSE = '\u0002';

/** The snippet as HTML: everything escaped, the matches (between our markers) in <mark>. */
export function snippetHtml(raw: string): string {
  let out = '';
  let open = false;
  // eslint-disable-next-line no-control-regex -- our two match markers are control characters
  for (const part of raw.split(/([\u0001\u0002])/)) {
    if (part === OPEN) { if (!open) out += '<mark>'; open = true; }
    else if (part === CLOSE) { if (open) out += '</mark>'; open = false; }
    else out += escapeHtml(part);
  }
  return open ? `${out}</mark>` : out;
}

/**
 * Where the caller reads under the root: one path range per grant that reads there, and whether that
 * grant shows only approved text (viewers). Empty: nothing to search.
 */
function readableRanges(access: Access, rootPath: string): { lo: string; hi: string; approvedOnly: boolean }[] {
  const out: { lo: string; hi: string; approvedOnly: boolean }[] = [];
  for (const g of access.caller?.grants ?? []) {
    const ops = roleOperations(g.role);
    if (!ops.includes('read')) continue;
    const top = g.path.startsWith(rootPath) ? g.path : rootPath.startsWith(g.path) ? rootPath : null;
    if (top === null) continue;
    const [lo, hi] = pathRange(top);
    out.push({ lo, hi, approvedOnly: !ops.includes('readUnapproved') });
  }
  return out;
}

export const SEARCH_MAX = 100;

export async function searchSections(db: Db, access: Access, text: string, rootCode: string, first: number): Promise<SearchHit[]> {
  const root = await unionByCode(db, rootCode);
  const terms = searchTerms(text);
  const ranges = readableRanges(access, root.path);
  if (terms.length === 0 || ranges.length === 0) return [];
  const where = ranges.map((r) => `(u.path >= ? and u.path < ?${r.approvedOnly ? " and s.status = 'APPROVED'" : ''})`).join(' or ');
  const bindings = ranges.flatMap((r) => [r.lo, r.hi]);
  const limit = Math.max(1, Math.min(first, SEARCH_MAX));
  type Row = { id: number; unionId: number; sectionCode: string; status: SectionStatus; version: number; snippet: string; rank: number };
  // The snippet (the costly part) is made for the page of hits only, not for every match before sorting.
  if (dialectOf(db) === 'postgresql') {
    const rows = await rawRows<Row>(db,
      `select top.*, ts_headline('section_search', s.plain_text, to_tsquery('section_search', ?), ?) as snippet
       from (select s.id, s.union_id as "unionId", s.section_code as "sectionCode", s.status, s.version, ts_rank(s.search_vector, q) as rank, u.path
             from unit_section s join trade_union u on u.id = s.union_id, to_tsquery('section_search', ?) q
             where s.search_vector @@ q and (${where})
             order by rank desc, u.path, s.section_code limit ?) top
       join unit_section s on s.id = top.id
       order by top.rank desc, top.path, top."sectionCode"`,
      [tsQuery(terms), `StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`, tsQuery(terms), ...bindings, limit]);
    return rows.map(hit);
  }
  const match = ftsQuery(terms);
  // The matches first (one pass of the index, bm25 once each), then their sections' small columns
  // from a covering index (the rows carry kilobytes of document each) and their unions' paths; the
  // snippet is made for the page of hits only, by looking each up in the index again.
  const top = await rawRows<Row>(db,
    `with m as materialized (select rowid as id, bm25(section_fts) as score from section_fts where section_fts match ?),
     top as materialized (
       select s.id, s.union_id as "unionId", s.section_code as "sectionCode", s.status, s.version, m.score
       from m join unit_section s indexed by unit_section_search_cover on s.id = m.id join trade_union u on u.id = s.union_id
       where (${where})
       order by m.score, m.id limit ?)
     select top.*, -top.score as rank, snippet(section_fts, 0, ?, ?, '…', 24) as snippet
     from top join section_fts on section_fts.rowid = top.id
     where section_fts match ?
     order by top.score, top.id`, [match, ...bindings, limit, OPEN, CLOSE, match]);
  return top.map(hit);
}

function hit(r: { unionId: number; sectionCode: string; status: SectionStatus; version: number; snippet: string; rank: number }): SearchHit {
  return { unionId: Number(r.unionId), sectionCode: r.sectionCode, status: r.status, version: Number(r.version), rank: Number(r.rank), snippet: snippetHtml(String(r.snippet ?? '')) };
}
