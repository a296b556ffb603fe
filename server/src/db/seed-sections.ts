/**
 * Write the seeded written-report sections (seeds/sections/<UNIONCODE>.json, texts written by the
 * team): every document goes through the same validator as a save, each file's earlier versions are
 * kept as versions (oldest first) so diffs have something to show, and the trail and search index
 * are written as a save would write them — in chunked inserts, not a save per section.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SectionStatus } from '@unionhub/schema';
import { REPO_ROOT } from '../config.js';
import { dialectOf, insertChunked, type Db } from '../domain/db.js';
import { checkDocument, type CheckedDocument } from '../domain/section-document.js';
import { specFor } from '../domain/section-read.js';
import { indexedText } from '../domain/section-search.js';
import { unionsByCodes } from '../domain/unions.js';

export const SECTION_SEEDS = resolve(REPO_ROOT, 'seeds/sections');

interface SeedSection {
  section: string;
  status: Exclude<SectionStatus, 'EMPTY'>;
  returnReason?: string;
  document: unknown;
  earlier?: unknown[];
}
interface SeedFile {
  union: string;
  sections: SeedSection[];
}

const STATUSES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED'];
/** The seeded texts were written in the fortnight before the 2017 round's deadline (10/12/2017). */
const WRITTEN_FROM = Date.parse('2017-11-25T02:00:00Z');
const HOUR = 3_600_000;

function readSeedFiles(dir: string): SeedFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((n) => {
    const file = JSON.parse(readFileSync(join(dir, n), 'utf8')) as SeedFile;
    if (typeof file.union !== 'string' || !Array.isArray(file.sections)) throw new Error(`${n}: expected {"union": "...", "sections": [...]}`);
    return file;
  });
}

export async function seedSections(db: Db, actor: string, dir = SECTION_SEEDS): Promise<{ sections: number; versions: number }> {
  const files = readSeedFiles(dir);
  if (files.length === 0) return { sections: 0, versions: 0 };
  const unions = new Map((await unionsByCodes(db, files.map((f) => f.union))).map((u) => [u.code, u]));
  const planned: { unionId: number; code: string; status: SectionStatus; returnReason: string | null; docs: CheckedDocument[] }[] = [];
  for (const f of files) {
    const union = unions.get(f.union);
    if (!union) throw new Error(`seeds/sections: unknown union ${f.union}`);
    for (const s of f.sections) {
      specFor(union, s.section);
      if (!STATUSES.includes(s.status)) throw new Error(`seeds/sections/${f.union}: ${s.section} has status ${s.status}`);
      const docs = [...(s.earlier ?? []), s.document].map((d, i) => {
        try {
          return checkDocument(d);
        } catch (e) {
          throw new Error(`seeds/sections/${f.union}.json: ${s.section}, version ${i + 1}: ${(e as Error).message} at ${String((e as { details?: { path?: string } }).details?.path)}`, { cause: e });
        }
      });
      planned.push({ unionId: union.id, code: s.section, status: s.status, returnReason: s.status === 'RETURNED' ? (s.returnReason ?? 'Cần bổ sung') : null, docs });
    }
  }
  const at = (i: number) => new Date(WRITTEN_FROM + i * HOUR);
  await db.transaction(async (trx) => {
    await insertChunked(trx, 'unit_section', planned.map((p) => {
      const last = p.docs[p.docs.length - 1]!;
      return {
        union_id: p.unionId, section_code: p.code, status: p.status, version: p.docs.length, document: last.json, plain_text: last.plainText, html: last.html,
        approved_version: p.status === 'APPROVED' ? p.docs.length : null, return_reason: p.returnReason, updated_at: at(p.docs.length - 1), updated_by: actor,
      };
    }));
    const rows = (await trx('unit_section').select('id', 'union_id as unionId', 'section_code as code').whereIn('union_id', [...new Set(planned.map((p) => p.unionId))])) as { id: number; unionId: number; code: string }[];
    const idOf = new Map(rows.map((r) => [`${Number(r.unionId)}|${r.code}`, Number(r.id)]));
    const versions: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    for (const p of planned) {
      const id = idOf.get(`${p.unionId}|${p.code}`)!;
      const n = p.docs.length;
      p.docs.forEach((d, i) => {
        versions.push({ unit_section_id: id, version: i + 1, document: d.json, plain_text: d.plainText, html: d.html, bytes: d.bytes, actor, saved_at: at(i) });
        events.push({ unit_section_id: id, kind: 'SAVED', version: i + 1, actor, at: at(i), reason: null });
      });
      if (p.status !== 'DRAFT') events.push({ unit_section_id: id, kind: 'SUBMITTED', version: n, actor, at: at(n), reason: null });
      if (p.status === 'APPROVED') events.push({ unit_section_id: id, kind: 'APPROVED', version: n, actor, at: at(n + 1), reason: null });
      if (p.status === 'RETURNED') events.push({ unit_section_id: id, kind: 'RETURNED', version: n, actor, at: at(n + 1), reason: p.returnReason });
    }
    await insertChunked(trx, 'section_version', versions);
    await insertChunked(trx, 'section_event', events);
    // The search index, as the save writes it (section-search.ts indexSection).
    if (dialectOf(trx) === 'postgresql') {
      await trx.raw("update unit_section set search_vector = to_tsvector('section_search', plain_text) where version > 0 and search_vector is null");
    } else {
      await insertChunked(trx, 'section_fts', planned.map((p) => ({
        rowid: idOf.get(`${p.unionId}|${p.code}`)!, plain_text: indexedText(p.docs[p.docs.length - 1]!.plainText),
      })));
    }
  });
  return { sections: planned.length, versions: planned.reduce((n, p) => n + p.docs.length, 0) };
}
