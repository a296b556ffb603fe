/**
 * The written half of a report (issue 15): the root's own sections in part II's order, each its
 * APPROVED version only — a draft, a submitted text or a newer unapproved version never reaches a
 * report; what is not approved is named instead. A national report carries TLĐ's sections, a
 * province's edition the province's.
 */
import { sectionsOfLevel, type ReportSection, type SectionAddressee } from '@unionhub/schema';
import type { Db } from './db.js';
import type { UnionRow } from './unions.js';
import { parseStored, type SectionNode } from './section-document.js';

export interface ReportText {
  code: string;
  titleVi: string;
  part: string;
  addressee: SectionAddressee | null;
  /** The report's table section printed in this place too (results, grading, plan). */
  figures: ReportSection | null;
  required: boolean;
  /** The approved version, null when none is approved (then nothing of the section is printed). */
  version: number | null;
  document: SectionNode | null;
  html: string;
  plainText: string;
}

/** One read: the root's sections with their approved version's text. */
export async function approvedTexts(db: Db, root: UnionRow): Promise<ReportText[]> {
  const rows: { code: string; version: number; document: string; html: string; plainText: string }[] = await db('unit_section as s')
    .join('section_version as v', (j) => j.on('v.unit_section_id', 's.id').andOn('v.version', 's.approved_version'))
    .where('s.union_id', root.id)
    .whereNotNull('s.approved_version')
    .select('s.section_code as code', 'v.version', 'v.document', 'v.html', 'v.plain_text as plainText');
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return sectionsOfLevel(root.level).map((spec) => {
    const r = byCode.get(spec.code);
    return {
      code: spec.code, titleVi: spec.titleVi, part: spec.part, addressee: spec.addressee, figures: spec.figures, required: spec.required,
      version: r ? Number(r.version) : null, document: r ? parseStored(r.document) : null, html: r?.html ?? '', plainText: r?.plainText ?? '',
    };
  });
}

/** What the hash of a report's content takes from its text: each section's code and approved version. */
export const textsHashPart = (texts: readonly ReportText[]) => texts.map((t) => [t.code, t.version]);
