/**
 * The consolidated report at national scale: assembling it, and issuing an edition (assemble +
 * XLSX + DOCX + freeze, with TLĐ's written sections approved), each ÷ the raw SQL sums of the same approved cells (TLĐ's children ×
 * indicator × year × scenario). Goal: an edition in under 2 s.
 */
import type { Knex } from '@mikro-orm/knex';
import { assembleReport } from '../server/src/domain/report.js';
import { generateEdition } from '../server/src/domain/editions.js';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { insertedId } from '../server/src/domain/db.js';
import { sectionsOfLevel } from '@unionhub/schema';
import { report, time } from './lib.js';

/**
 * Every section TLĐ writes approved, each the longest seeded approved text (tables and lists among
 * them), so the national edition carries its whole written half. Bench set-up, straight into the tables.
 */
async function approveNationalText(db: Knex): Promise<number> {
  const longest = await db('section_version').select('document', 'plain_text', 'html', 'bytes').orderBy('bytes', 'desc').first();
  if (!longest) return 0;
  const tld = await db('trade_union').select('id').where('code', 'TLD').first();
  const at = new Date();
  for (const spec of sectionsOfLevel(0)) {
    let row = await db('unit_section').select('id', 'version').where({ union_id: tld.id, section_code: spec.code }).first();
    if (!row) {
      const id = insertedId(await db('unit_section').insert({ union_id: tld.id, section_code: spec.code, status: 'EMPTY', version: 0, plain_text: '', html: '' }).returning('id'));
      row = { id, version: 0 };
    }
    const version = Number(row.version) + 1;
    await db('section_version').insert({ unit_section_id: row.id, version, document: longest.document, plain_text: longest.plain_text, html: longest.html, bytes: longest.bytes, actor: 'bench', saved_at: at });
    await db('unit_section').where('id', row.id).update({ status: 'APPROVED', version, approved_version: version, document: longest.document, plain_text: longest.plain_text, html: longest.html, updated_at: at, updated_by: 'bench' });
  }
  return sectionsOfLevel(0).length;
}

export async function benchReport(db: Knex): Promise<string[]> {
  const texts = await approveNationalText(db);
  // Set-up, not measured: the level-1 actuals approved (the seed leaves them submitted).
  await db('figure').where('scenario', 'actual').where('status', 'submitted')
    .whereIn('union_id', db('trade_union').select('id').where('level', 1)).update({ status: 'approved', approved_by: 'bench' });
  const tld = await db('trade_union').select('id').where('code', 'TLD').first();
  // Scenario named so SQLite seeks the (union, scenario, year, indicator) index (a join on parent_id scans instead).
  const SUMS = `select f.indicator_id, f.year, f.scenario, sum(f.value) as total from figure f
    where f.union_id in (select id from trade_union where parent_id = ?) and f.scenario in ('actual', 'target')
      and f.status = 'approved' and f.year between 2013 and 2023 group by f.indicator_id, f.year, f.scenario`;
  const baseline = await time(() => db.raw(SUMS, [tld.id]), 15, 3);
  let cells = 0;
  const assemble = await time(async () => (cells = (await assembleReport(db, 'TLD', SYSTEM_ACCESS)).figures.length), 15, 3);
  let bytes = 0;
  // CPU time of this process too: on a shared 2-core machine wall time also counts others' work.
  const cpu = process.cpuUsage();
  let runs = 0;
  const edition = await time(async () => {
    runs++;
    const e = await generateEdition(db, 'TLD', SYSTEM_ACCESS);
    const r = await db('report_edition').select(db.raw('length(xlsx) + length(docx) as n')).where('id', e.id).first();
    bytes = Number(r.n);
  }, 5, 1);
  const used = process.cpuUsage(cpu);
  const cpuPerEdition = (used.user + used.system) / 1000 / runs;
  return [
    report('report, national (assembly from approved figures ÷ raw SQL sums of the same cells)', assemble, baseline, 'informative', `${cells} approved cells`),
    report(`report edition, national, with ${texts} approved written sections (assembly + XLSX + DOCX + freeze ÷ raw SQL sums)`, edition, baseline, '< 2 s absolute',
      `${edition.median < 2000 ? 'within' : 'OVER'} the 2 s goal; ${cpuPerEdition.toFixed(0)} ms CPU per edition; files ${(bytes / 1024).toFixed(0)} KiB`),
  ];
}
