/**
 * The written report's search (issue 15): "doanh nghiep FDI" (no diacritics) over every section
 * through the domain (root lookup, the caller's readable ranges, FTS5 MATCH with bm25 and snippet,
 * escaping) ÷ the raw FTS5 query alone on the same database. Goal ≤ 2×. Set-up, not measured: the
 * seeded texts are copied, version by version through the save path, to every level-1 and level-2
 * union, so the index holds a national volume rather than the dozen seeded unions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from '@mikro-orm/knex';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { loadSeed } from '../server/src/db/load-seed.js';
import { reportSection } from '@unionhub/schema';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { dialectOf } from '../server/src/domain/db.js';
import { checkDocument } from '../server/src/domain/section-document.js';
import { ftsQuery, searchSections, searchTerms } from '../server/src/domain/section-search.js';
import { storeVersion } from '../server/src/domain/sections.js';
import type { UnionRow } from '../server/src/domain/unions.js';
import { unionQuery } from '../server/src/domain/unions.js';
import { report, time, type Timing } from './lib.js';

const QUERY = 'doanh nghiep FDI';

export async function benchSections(db: Knex): Promise<string[]> {
  if (dialectOf(db) !== 'sqlite') return [];
  const seeded = (await db('unit_section').select('section_code as code', 'document').where('version', '>', 0)) as { code: string; document: string }[];
  const writers = (await unionQuery(db).whereIn('u.level', [1, 2]).whereNull('u.valid_to')) as UnionRow[];
  const taken = new Set((await db('unit_section').select('union_id', 'section_code')).map((r: { union_id: number; section_code: string }) => `${r.union_id}|${r.section_code}`));
  // One text per section code (the first seeded one), each copied to the unions whose level writes it.
  const docs = [...new Map(seeded.map((s) => [s.code, s])).values()].map((s) => ({ code: s.code, doc: checkDocument(JSON.parse(s.document)), levels: reportSection(s.code)!.levels }));
  const at = new Date('2017-12-01T02:00:00Z');
  await db.transaction(async (trx) => {
    for (const union of writers) {
      for (const { code, doc, levels } of docs) {
        if (taken.has(`${union.id}|${code}`) || !levels.includes(union.level)) continue;
        await storeVersion(trx, { union, code }, doc, 0, 'bench', at);
      }
    }
  });
  const total = Number((await db('unit_section').count({ n: '*' }).where('version', '>', 0))[0]!.n);
  const match = ftsQuery(searchTerms(QUERY));
  const raw = () => db.raw(`select rowid, snippet(section_fts, 0, '<mark>', '</mark>', '…', 24) as snippet, bm25(section_fts) as rank
    from section_fts where section_fts match ? order by bm25(section_fts) limit 20`, [match]);
  // The set-up's writes out of the WAL first, so neither side pays for reading through it.
  await db.raw('pragma wal_checkpoint(truncate)');
  let hits = 0;
  const subject = () => searchSections(db, SYSTEM_ACCESS, QUERY, 'TLD', 20).then((h) => (hits = h.length));
  // Interleaved three times, so a busy machine weighs on both alike; each figure the median of the three medians.
  const rounds: { subject: Timing; baseline: Timing }[] = [];
  for (let i = 0; i < 3; i++) rounds.push({ baseline: await time(raw, 15, 3), subject: await time(subject, 15, 3) });
  const pick = (k: 'subject' | 'baseline'): Timing => {
    const medians = rounds.map((r) => r[k].median).sort((a, b) => a - b);
    return { median: medians[1]!, min: Math.min(...rounds.map((r) => r[k].min)), runs: 45 };
  };
  const [subjectTime, baseline] = [pick('subject'), pick('baseline')];
  const found = Number((await db.raw('select count(*) as n from section_fts where section_fts match ?', [match]))[0].n);
  return [report(`section search "${QUERY}" over ${total} sections (domain: access ranges, bm25, snippet, escaping ÷ raw FTS5 MATCH + bm25 + snippet)`, subjectTime, baseline, '≤ 2×',
    `${found} sections match, first ${hits} returned`)];
}

/** Alone: `npx tsx bench/sections.ts` seeds a national database in a temporary folder and prints this line only. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-bench-'));
  try {
    const orm = await openDatabase({ kind: 'sqlite', location: join(dir, 'bench.sqlite') });
    await loadSeed(orm);
    for (const line of await benchSections(knexOf(orm))) console.log(line);
    await orm.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
