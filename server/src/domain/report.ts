/**
 * The consolidated report, assembled from APPROVED figures only, for any root: the rows are the
 * root's children (the level-1 units under TLĐ, a province's level-2 unions…), or the root alone
 * when nothing is below it; children joined by a merge or split are one comparable row, each
 * year summing the members valid that year (so a unit is counted once per year). National figures
 * are the children summed; every percentage is recomputed from sums, never averaged. What is not
 * approved is counted per indicator, year and scenario, and left out.
 */
import { createHash } from 'node:crypto';
import {
  fillSentence, formatViNumber, GRADES, indicatorLabel, NATIONAL_ROWS, PLAN_ROWS, RANKING_KEYS, REPORT_LABELS as L, REPORT_PERIOD, REPORT_PLAN,
  REPORT_SENTENCES, REPORT_SPEC_VERSION, SENTENCE_FIGURES, UNGRADED, UNION_KINDS, type ReportTableData, type Scenario,
} from '@unionhub/schema';
import type { Access } from './access.js';
import type { RoundCover } from './round-cover.js';
import type { AnnexEntry } from './commendations.js';
import { approvedTexts, textsHashPart, type ReportText } from './report-text.js';
import { existsIn, indicatorIds, type Db } from './db.js';
import { packedCellsByUnion } from './packed.js';
import { DomainError, said } from './errors.js';
import { coveredSentence, def, FIRST, LAST, PLAN_YEARS, sentenceCoverage, storedParts, YEARS } from './report-coverage.js';
import { unionByCode, unionQuery, type UnionRow } from './unions.js';
import { pct, reportValues } from './report-values.js';
import { planForecastHashPart, planForecastSeries, planForecastTable, type PlanForecastSeries } from './report-plan.js';
import {
  coverageTable, flowTable, gradeCounts, gradingTable, label, membersTable, nationalTable, planTables, ranking, type Group, type TableContext,
} from './report-tables.js';

/** An approved cell the report used: [unionCode, indicatorCode, year, scenario, value]. */
export type UsedFigure = [string, string, number, Scenario, number];

export interface PendingCount {
  indicatorCode: string;
  label: string;
  year: number;
  scenario: Scenario;
  /** Cells of units in that year's tree that are not approved (or not reported). */
  count: number;
  /** Cells the report would use for that indicator, year and scenario. */
  expected: number;
}

export interface ReportSeries {
  key: string;
  label: string;
  values: (number | null)[];
}

export interface ReportCharts {
  years: number[];
  members: ReportSeries[];
  admitted: ReportSeries[];
  grading: ReportSeries[];
}

export interface Report {
  rootCode: string;
  rootName: string;
  tables: ReportTableData[];
  /** Each with how many of the units it speaks for are approved behind it (`covered` of `total`). */
  sentences: { key: string; text: string; covered: number; total: number }[];
  charts: ReportCharts;
  pending: PendingCount[];
  pendingTotal: number;
  /** Approved cells with a correction proposed and not yet approved (the approved value is used). */
  withProposal: number;
  figures: UsedFigure[];
  /** SHA-256 of the spec version, the root, the figures used and the approved text versions: equal hashes, equal reports. */
  contentHash: string;
  /** The programme's reporting round at the moment the edition was issued (issue 14); set by editions.ts, not hashed. */
  round?: RoundCover | null;
  /** The root's approved commendation proposals at the moment of issue, with their citations: the annex (set by editions.ts, not hashed). */
  commendations?: AnnexEntry[] | null;
  /** The root's written sections in part II's order, each its approved version or none (issue 15); hashed with the figures. */
  texts: ReportText[];
  /**
   * The plan section's forecast beside the approved target, per indicator and plan year (issue 16);
   * hashed with the figures, being printed. Absent in editions issued before it existed.
   */
  planForecast?: PlanForecastSeries[];
}

export type ProgressFn = (stage: string, fraction: number) => void;

/** Which stored cells the report reads, per scenario and year. */
function neededCells(): { scenario: Scenario; years: number[]; codes: string[] }[] {
  const actual = new Set<string>();
  const target = new Set<string>();
  for (const r of NATIONAL_ROWS) {
    for (const c of storedParts(r.indicator)) actual.add(c);
    if (r.target) for (const c of storedParts(r.indicator)) target.add(c);
  }
  for (const g of [...GRADES, UNGRADED]) actual.add(g);
  const plan = new Set(PLAN_ROWS.flatMap(storedParts));
  return [
    { scenario: 'actual', years: YEARS, codes: [...actual] },
    { scenario: 'target', years: YEARS, codes: [...target] },
    { scenario: 'target', years: PLAN_YEARS, codes: [...plan] },
  ];
}

/** Children joined by successions (among themselves) form one comparable row. */
function comparableGroups(children: UnionRow[], links: { predecessorId: number; successorId: number }[]): Group[] {
  const parent = new Map(children.map((c) => [c.id, c.id]));
  const find = (x: number): number => (parent.get(x) === x ? x : find(parent.get(x)!));
  for (const l of links) if (parent.has(l.predecessorId) && parent.has(l.successorId)) parent.set(find(l.predecessorId), find(l.successorId));
  const byRoot = new Map<number, UnionRow[]>();
  for (const c of children) (byRoot.get(find(c.id)) ?? byRoot.set(find(c.id), []).get(find(c.id))!).push(c);
  const kindOrder = new Map<string, number>(UNION_KINDS.map((k, i) => [k.kind, i]));
  return [...byRoot.values()].map((members) => {
    members.sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
    // Named after the units standing at the end (those still valid, or the latest to end).
    const end = Math.max(...members.map((m) => m.validTo ?? Number.MAX_SAFE_INTEGER));
    const current = members.filter((m) => (m.validTo ?? Number.MAX_SAFE_INTEGER) === end);
    const joined = members.length > 1;
    return {
      key: members.map((m) => m.code).sort().join('+'),
      label: current.map((m) => m.name).join(' + '),
      note: joined ? `${L.comprising}: ${members.map((m) => `${m.name} (${m.validFrom}–${m.validTo ?? ''})`).join('; ')}; ${L.mergedOrSplit}` : undefined,
      kindOrder: kindOrder.get(members[0]!.kind) ?? 99,
      sortOrder: Math.min(...members.map((m) => m.sortOrder)),
      members,
    };
  }).sort((a, b) => a.kindOrder - b.kindOrder || a.sortOrder - b.sortOrder || a.key.localeCompare(b.key));
}

/** The approved cells of the children that the report reads, by "unionId|indicator|year|scenario", and how many carry a proposal the caller may see. */
async function approvedCells(db: Db, children: UnionRow[], access: Access, codes?: string[]): Promise<{ approved: Map<string, number>; withProposal: number }> {
  const ids = await indicatorIds(db);
  const codeOf = new Map([...ids].map(([code, id]) => [id, code]));
  const allCodes = codes ?? [...new Set(neededCells().flatMap((n) => n.codes))];
  // One read of the children's approved cells, packed one string per union. What is not approved
  // is counted afterwards as the cells expected minus those found here.
  const packed = await packedCellsByUnion(
    db,
    db('figure as f')
      .whereIn('f.union_id', children.map((c) => c.id))
      .whereIn('f.scenario', ['actual', 'target'])
      .whereBetween('f.year', [REPORT_PERIOD.from, REPORT_PLAN.to])
      .whereIn('f.indicator_id', allCodes.map((c) => ids.get(c)!))
      .where('f.status', 'approved')
      .whereNotNull('f.value'),
    { fields: ['indicatorId', 'year', 'scenario', 'value'], sums: { proposals: 'case when f.proposed_value is null then 0 else 1 end' } },
  );
  const approved = new Map<string, number>();
  let withProposal = 0;
  const pathOf = new Map(children.map((ch) => [ch.id, ch.path]));
  for (const [u, p] of packed) {
    // Proposals are unapproved data: counted only where the caller reads it.
    if (access.readsUnapproved(pathOf.get(u)!)) withProposal += p.sums.proposals;
    p.each((c) => approved.set(`${u}|${codeOf.get(c.indicatorId)}|${c.year}|${c.scenario}`, c.value!));
  }
  return { approved, withProposal };
}

/** What is used and what is left out, cell by cell over each year's tree. */
function usedAndPending(children: UnionRow[], approved: Map<string, number>): { figures: UsedFigure[]; pending: PendingCount[] } {
  const figures: UsedFigure[] = [];
  const pending: PendingCount[] = [];
  const seen = new Set<string>();
  for (const n of neededCells()) {
    for (const year of n.years) {
      for (const code of n.codes) {
        const id = `${code}|${year}|${n.scenario}`;
        if (seen.has(id)) continue;
        seen.add(id);
        let expected = 0;
        let missing = 0;
        for (const u of children) {
          if (!existsIn(u, year)) continue;
          expected++;
          const v = approved.get(`${u.id}|${code}|${year}|${n.scenario}`);
          if (v === undefined) missing++;
          else figures.push([u.code, code, year, n.scenario, v]);
        }
        if (missing > 0) pending.push({ indicatorCode: code, label: indicatorLabel(def(code), year), year, scenario: n.scenario, count: missing, expected });
      }
    }
  }
  figures.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0)));
  pending.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.year - b.year || a.indicatorCode.localeCompare(b.indicatorCode));
  return { figures, pending };
}

function chartsOf(ctx: TableContext, grades: ReturnType<typeof gradeCounts>): ReportCharts {
  const { v, all } = ctx;
  const series = (key: string, lbl: string, values: (number | null)[]) => ({ key, label: lbl, values });
  const both = (code: string) => [series('actual', L.actual, YEARS.map((y) => v.value(all, code, y, 'actual'))), series('target', L.target, YEARS.map((y) => v.value(all, code, y, 'target')))];
  return { years: YEARS, members: both('members'), admitted: both('members.admitted'), grading: GRADES.map((g, k) => series(g, label(g), grades.counts[k]!)) };
}

/** The generated sentences, each saying how many of the units it speaks for are approved behind it. */
function sentencesOf(ctx: TableContext, grades: ReturnType<typeof gradeCounts>, ranked: ReturnType<typeof ranking>, approved: Map<string, number>): Report['sentences'] {
  const { v, all } = ctx;
  const n = (x: number | null, digits = 0) => (x === null ? null : formatViNumber(x, digits));
  const leaders = ranked.ranked.filter((g) => ranked.composite.get(g.key) !== null).slice(0, 3)
    .map((g) => `${g.label} (${n(v.achievedOver(g.members, RANKING_KEYS[0]!), 1)}%)`).join(', ');
  const facts: Record<string, string | null> = {
    firstYear: String(FIRST), lastYear: String(LAST), years: String(YEARS.length), planFrom: String(REPORT_PLAN.from), planTo: String(REPORT_PLAN.to),
    members: n(v.value(all, 'members', LAST, 'actual')), membersAchieved: n(v.achievedOver(all, 'members'), 1), membersGrowth: n(v.growth(all, 'members'), 1),
    admitted: n(v.over(all, 'members.admitted', YEARS, 'actual')), admittedAchieved: n(v.achievedOver(all, 'members.admitted'), 1),
    founded: n(v.over(all, 'grassroots.founded', YEARS, 'actual')), foundedAchieved: n(v.achievedOver(all, 'grassroots.founded'), 1),
    dissolved: n(v.over(all, 'grassroots.dissolved', YEARS, 'actual')), coverage: n(v.value(all, 'coverage', LAST, 'actual'), 1),
    strongShare: n(pct(v.value(all, 'grade.strong', LAST, 'actual'), grades.graded[grades.graded.length - 1]!), 1), leaders: leaders || null,
    planMembers: n(v.value(all, 'members', REPORT_PLAN.to, 'target')), planAdmitted: n(v.over(all, 'members.admitted', PLAN_YEARS, 'target')),
    planFounded: n(v.over(all, 'grassroots.founded', PLAN_YEARS, 'target')),
  };
  return (Object.keys(REPORT_SENTENCES) as (keyof typeof REPORT_SENTENCES)[]).map((key) => {
    const coverage = sentenceCoverage(all, SENTENCE_FIGURES[key], (u, code, year, scenario) => approved.has(`${u.id}|${code}|${year}|${scenario}`));
    return { key, ...coverage, text: coveredSentence(key, fillSentence(REPORT_SENTENCES[key], facts), coverage) };
  });
}

/** The units a root's report has as rows: its children, or the root alone when nothing is below it. */
async function reportUnits(db: Db, root: UnionRow): Promise<{ children: UnionRow[]; groups: Group[] }> {
  // A union with no units below it (a level-2 union at the seed's scale) reports its own figures as the one row (part III.1: every level reviews).
  const below: UnionRow[] = await unionQuery(db).where('u.parent_id', root.id);
  const children = below.length ? below : [root];
  const links: { predecessorId: number; successorId: number }[] = await db('union_succession')
    .select('predecessor_id as predecessorId', 'successor_id as successorId')
    .whereIn('successor_id', children.map((c) => c.id));
  return { children, groups: comparableGroups(children, links) };
}

/** A row of the ranking table for commendation: its units' codes, rank and % achieved of the first ranking key. */
export interface RankingRow {
  key: string;
  codes: string[];
  rank: number | null;
  percent: number | null;
}

/** The ranking table's rows of a report (live or as frozen in an edition). */
export function rankingRows(report: Pick<Report, 'tables'>): RankingRow[] {
  const t = report.tables.find((x) => x.key === 'ranking');
  if (!t) return [];
  const at = (k: string) => t.columns.findIndex((c) => c.key === k);
  return t.rows.filter((r) => r.kind === 'row').map((r) => ({ key: r.key, codes: r.key.split('+'), rank: r.values[at('rank')] ?? null, percent: r.values[at(RANKING_KEYS[0]!)] ?? null }));
}

/**
 * The root's ranking as the approved figures stand, as the report's ranking table has it (the same
 * code, reading only the ranking keys' cells), without assembling the whole report.
 */
export async function assembleRanking(db: Db, root: UnionRow, access: Access): Promise<RankingRow[]> {
  const { children, groups } = await reportUnits(db, root);
  const { approved } = await approvedCells(db, children, access, [...new Set(RANKING_KEYS.flatMap(storedParts))]);
  return rankingRows({ tables: [ranking({ root, all: children, groups, pending: [], v: reportValues(approved) }).table] });
}

/** A union's own % achieved of the first ranking key, from its approved cells (a union that is no row of the ranking). */
export async function ownAchieved(db: Db, union: UnionRow, access: Access): Promise<number | null> {
  const { approved } = await approvedCells(db, [union], access, storedParts(RANKING_KEYS[0]!));
  return reportValues(approved).achievedOver([union], RANKING_KEYS[0]!);
}

export async function assembleReport(db: Db, rootCode: string, access: Access, onProgress: ProgressFn = () => {}): Promise<Report> {
  const root = await unionByCode(db, rootCode);
  // Approved figures only, so whoever reads the root's figures may read its report.
  if (!access.can('read', root.path)) throw new DomainError('FORBIDDEN', `Your roles do not allow reading ${root.name}`, said('report.forbiddenRead', { unionName: root.name }));
  onProgress('load', 0);
  const { children, groups } = await reportUnits(db, root);
  const { approved, withProposal } = await approvedCells(db, children, access);
  onProgress('assemble', 0.4);
  const { figures, pending } = usedAndPending(children, approved);
  const ctx: TableContext = { root, all: children, groups, pending, v: reportValues(approved) };

  const grades = gradeCounts(ctx);
  const national = [nationalTable(ctx), gradingTable(ctx, grades)];
  onProgress('assemble', 0.55);
  const flows = [flowTable(ctx, 'admitted', 'members.admitted'), flowTable(ctx, 'founded', 'grassroots.founded')];
  onProgress('assemble', 0.7);
  const ranked = ranking(ctx);
  const units = [membersTable(ctx), coverageTable(ctx), ranked.table];
  onProgress('assemble', 0.85);
  const planForecast = await planForecastSeries(db, access, ctx);
  const tables = [...national, ...flows, ...units, ...planTables(ctx), planForecastTable(planForecast, root.name)];
  const charts = chartsOf(ctx, grades);
  const sentences = sentencesOf(ctx, grades, ranked, approved);

  const texts = await approvedTexts(db, root);
  const contentHash = createHash('sha256').update(JSON.stringify([REPORT_SPEC_VERSION, root.code, figures, textsHashPart(texts), planForecastHashPart(planForecast)])).digest('hex');
  onProgress('assemble', 1);
  // A sum of huge values stored before the range check is not a number a file or GraphQL can carry: no value.
  const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
  for (const row of [...tables.flatMap((t) => t.rows), ...charts.members, ...charts.admitted, ...charts.grading]) row.values = row.values.map(finite);
  for (const s of planForecast) [s.forecast, s.target] = [s.forecast.map(finite), s.target.map(finite)];
  return {
    rootCode: root.code, rootName: root.name,
    tables,
    sentences, charts, pending, pendingTotal: pending.reduce((a, p) => a + p.count, 0), withProposal, figures, contentHash, texts, planForecast,
  };
}
