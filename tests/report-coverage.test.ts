/**
 * Each sentence of the report on the key results knows how many of the units it speaks for have
 * their figures behind it approved: with every unit it reads as a national fact; with fewer it
 * says "theo số đã duyệt của N/M đơn vị"; under the threshold kept in schema/ (SENTENCE_COVERAGE)
 * it is not printed, its subject and the coverage said instead. Approving one province only must
 * never make the report say "toàn quốc có … đoàn viên, đạt …% chỉ tiêu".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_PERIOD, REPORT_PLAN, SENTENCE_COVERAGE } from '../schema/src/index.js';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 120_000);
afterAll(() => s.close());

/** Approve every submitted cell of the report's years for the listed level-1 units, through the API. */
async function approveUnits(where: string, params: unknown[] = []) {
  const cells = await s.sql<{ unionCode: string; indicatorCode: string; year: number; scenario: string }>(
    `select u.code as "unionCode", i.code as "indicatorCode", f.year, f.scenario from figure f
     join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.level = 1 and f.status = 'submitted' and f.year between ? and ? and (${where}) order by u.code, i.code, f.year`,
    [REPORT_PERIOD.from, REPORT_PLAN.to, ...params],
  );
  expect(cells.length).toBeGreaterThan(0);
  for (let i = 0; i < cells.length; i += 4000) {
    const batch = cells.slice(i, i + 4000).map((c) => ({ ...c, scenario: c.scenario.toUpperCase() }));
    const r = await s.gql<{ approveFigures: { movedCount: number } }>('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: batch });
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    expect(r.data!.approveFigures.movedCount).toBe(batch.length);
  }
}

async function sentences(): Promise<Record<string, string>> {
  const r = await s.gql<{ report: { sentences: { key: string; text: string }[] } }>('{ report(root: "TLD") { sentences { key text } } }');
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return Object.fromEntries(r.data!.report.sentences.map((x) => [x.key, x.text]));
}

/** Level-1 units in the last year of the period: the units the "members" sentence speaks for. */
async function unitsIn(year: number): Promise<number> {
  const [row] = await s.sql<{ n: number }>(
    `select count(*) as n from trade_union where parent_id = (select id from trade_union where code = 'TLD') and valid_from <= ? and (valid_to is null or valid_to >= ?)`, [year, year],
  );
  return Number(row!.n);
}

const NATIONAL_FACT = /toàn quốc có [\d.]+ đoàn viên, đạt [\d,]+% chỉ tiêu/;

describe('report sentences state their coverage', () => {
  it('with one province approved, no sentence reads as a national fact', async () => {
    await approveUnits(`u.code = 'P01'`);
    const total = await unitsIn(REPORT_PERIOD.to);
    expect(1 / total).toBeLessThan(SENTENCE_COVERAGE.minShare);
    const text = await sentences();
    expect(text.members).not.toMatch(NATIONAL_FACT);
    expect(text.members).toBe(`Tổng số đoàn viên: mới có số đã duyệt của 1/${total} đơn vị, chưa đủ để nêu số chung.`);
    for (const key of ['admitted', 'founded', 'coverage', 'grading', 'leaders']) {
      expect(text[key], key).toMatch(/: mới có số đã duyệt của 1\/\d+ đơn vị, chưa đủ để nêu số chung\.$/);
      expect(text[key], key).not.toMatch(/\d+%/);
    }
  }, 120_000);

  it('above the threshold, a sentence prints its figures with its coverage', async () => {
    // Every level-1 unit but Bắc Kạn (P06).
    await approveUnits(`u.code <> 'P06'`);
    const total = await unitsIn(REPORT_PERIOD.to);
    const text = await sentences();
    expect(text.members).toMatch(NATIONAL_FACT);
    expect(text.members).toMatch(new RegExp(` \\(theo số đã duyệt của ${total - 1}/${total} đơn vị\\)\\.$`));
    for (const key of ['admitted', 'founded', 'coverage', 'grading', 'leaders']) expect(text[key], key).toMatch(/\(theo số đã duyệt của \d+\/\d+ đơn vị\)\.$/);
    // The plan's targets are all approved in the seed: no qualifier.
    expect(text.plan).not.toMatch(/số đã duyệt của/);
  }, 300_000);

  it('with every unit approved, the sentence is the national fact, without a qualifier', async () => {
    await approveUnits(`u.code = 'P06'`);
    const text = await sentences();
    expect(text.members).toMatch(NATIONAL_FACT);
    for (const t of Object.values(text)) expect(t).not.toMatch(/số đã duyệt của/);
  }, 120_000);
});
