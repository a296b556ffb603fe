/**
 * The consolidated report, assembled from APPROVED figures only. The rows are the root's children
 * (the level-1 units under TLĐ); children joined by a merge or split are one comparable row, each
 * year summing the members valid that year (so a unit is counted once per year). National figures
 * are the children summed; every percentage is recomputed from sums, never averaged. What is not
 * approved is counted per indicator, year and scenario, and left out.
 */
import { createHash } from 'node:crypto';
import {
  fillSentence, formatViNumber, GRADES, indicatorLabel, NATIONAL_ROWS, PLAN_ROWS, RANKING_KEYS,
  REPORT_LABELS as L, REPORT_PERIOD, REPORT_PLAN, REPORT_SENTENCES, REPORT_SPEC_VERSION, REPORT_TABLES, SENTENCE_FIGURES, UNGRADED,
  UNION_KINDS, type ReportColumn, type ReportFormat, type ReportRow, type ReportTableData, type ReportTableKey, type Scenario,
} from '@unionhub/schema';
import type { Access } from './access.js';
import type { RoundCover } from './round-cover.js';
import { existsIn, indicatorIds, type Db } from './db.js';
import { packedCellsByUnion } from './packed.js';
import { DomainError, said } from './errors.js';
import { coveredSentence, def, FIRST, LAST, PLAN_YEARS, sentenceCoverage, storedParts, YEARS } from './report-coverage.js';
import { unionByCode, unionQuery, type UnionRow } from './unions.js';

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
  /** SHA-256 of the spec version, the root and the figures used: equal hashes, equal reports. */
  contentHash: string;
  /** The programme's reporting round at the moment the edition was issued (issue 14); set by editions.ts, not hashed. */
  round?: RoundCover | null;
}

export type ProgressFn = (stage: string, fraction: number) => void;

const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : round2((a / b) * 100));
const add = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);
const sum = (xs: (number | null)[]): number | null => xs.reduce<number | null>(add, null);

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

/** A row of the report: one child, or several joined by merges/splits. */
interface Group {
  key: string;
  label: string;
  note?: string;
  kindOrder: number;
  sortOrder: number;
  members: UnionRow[];
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

export async function assembleReport(db: Db, rootCode: string, access: Access, onProgress: ProgressFn = () => {}): Promise<Report> {
  const root = await unionByCode(db, rootCode);
  // Approved figures only, so whoever reads the root's figures may read its report.
  if (!access.can('read', root.path)) throw new DomainError('FORBIDDEN', `Your roles do not allow reading ${root.name}`, said('report.forbiddenRead', { unionName: root.name }));
  onProgress('load', 0);
  const children: UnionRow[] = await unionQuery(db).where('u.parent_id', root.id);
  if (children.length === 0) throw new DomainError('VALIDATION', `${root.name} has no units below it to report on`, said('report.noUnits', { unionName: root.name }));
  const childIds = children.map((c) => c.id);
  const links: { predecessorId: number; successorId: number }[] = await db('union_succession')
    .select('predecessor_id as predecessorId', 'successor_id as successorId')
    .whereIn('successor_id', childIds);
  const groups = comparableGroups(children, links);

  const ids = await indicatorIds(db);
  const codeOf = new Map([...ids].map(([code, id]) => [id, code]));
  const needed = neededCells();
  const allCodes = [...new Set(needed.flatMap((n) => n.codes))];
  // One read of the children's approved cells, packed one string per union. What is not approved
  // is counted below as the cells expected minus those found here.
  const packed = await packedCellsByUnion(
    db,
    db('figure as f')
      .whereIn('f.union_id', childIds)
      .whereIn('f.scenario', ['actual', 'target'])
      .whereBetween('f.year', [REPORT_PERIOD.from, REPORT_PLAN.to])
      .whereIn('f.indicator_id', allCodes.map((c) => ids.get(c)!))
      .where('f.status', 'approved')
      .whereNotNull('f.value'),
    { fields: ['indicatorId', 'year', 'scenario', 'value'], sums: { proposals: 'case when f.proposed_value is null then 0 else 1 end' } },
  );
  onProgress('assemble', 0.4);

  const approved = new Map<string, number>();
  let withProposal = 0;
  const pathOf = new Map(children.map((ch) => [ch.id, ch.path]));
  for (const [u, p] of packed) {
    // Proposals are unapproved data: counted only where the caller reads it.
    if (access.readsUnapproved(pathOf.get(u)!)) withProposal += p.sums.proposals;
    p.each((c) => approved.set(`${u}|${codeOf.get(c.indicatorId)}|${c.year}|${c.scenario}`, c.value!));
  }

  // What is used and what is left out, cell by cell over each year's tree.
  const figures: UsedFigure[] = [];
  const pending: PendingCount[] = [];
  const seen = new Set<string>();
  for (const n of needed) {
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

  // ---------- values: a group's (or everyone's) approved sum in a year; ratios recomputed ----------
  const stored = (members: UnionRow[], code: string, year: number, scenario: Scenario): number | null => {
    let total: number | null = null;
    for (const u of members) {
      if (!existsIn(u, year)) continue;
      const v = approved.get(`${u.id}|${code}|${year}|${scenario}`);
      if (v !== undefined) total = (total ?? 0) + v;
    }
    return total;
  };
  const value = (members: UnionRow[], code: string, year: number, scenario: Scenario): number | null => {
    const a = def(code).aggregation;
    if (a.type === 'ratio') {
      const n = stored(members, a.numerator, year, scenario);
      const d = stored(members, a.denominator, year, scenario);
      return n === null || !d ? null : round2((n / d) * a.scale);
    }
    return stored(members, code, year, scenario);
  };
  /** Over a span: flows add up, stocks are the last year's, ratios are recomputed from those. */
  const over = (members: UnionRow[], code: string, years: number[], scenario: Scenario): number | null => {
    const d = def(code);
    if (d.aggregation.type === 'ratio') {
      const n = over(members, d.aggregation.numerator, years, scenario);
      const den = over(members, d.aggregation.denominator, years, scenario);
      return n === null || !den ? null : round2((n / den) * d.aggregation.scale);
    }
    if (d.kind === 'flow') return sum(years.map((y) => value(members, code, y, scenario)));
    return value(members, code, years[years.length - 1]!, scenario);
  };
  const all = children;
  const growth = (members: UnionRow[], code: string) => {
    const a = value(members, code, FIRST, 'actual');
    const b = value(members, code, LAST, 'actual');
    return a === null || b === null || a === 0 ? null : round2(((b - a) / a) * 100);
  };
  const label = (code: string, year: number = LAST) => indicatorLabel(def(code), year);
  const incomplete = (scenario: Scenario, years: number[]) => {
    const ys = [...new Set(pending.filter((p) => p.scenario === scenario && years.includes(p.year)).map((p) => p.year))];
    return ys.length ? [`${L.incompleteYears}: ${ys.join(', ')}.`] : [];
  };
  const table = (key: ReportTableKey, rowHeading: string, columns: ReportColumn[], rows: ReportRow[], notes: string[] = []): ReportTableData => ({
    key, section: REPORT_TABLES[key].section, sheet: REPORT_TABLES[key].sheet, title: REPORT_TABLES[key].title, rowHeading, columns, rows, notes,
  });
  const yearCols = (years: number[], format: ReportFormat = 'integer'): ReportColumn[] => years.map((y) => ({ key: String(y), label: String(y), format }));

  // ---------- Table 1: national results per year ----------
  const nationalRows: ReportRow[] = [];
  for (const r of NATIONAL_ROWS) {
    const d = def(r.indicator);
    const isRatio = d.aggregation.type === 'ratio';
    const rowFormat: ReportFormat | undefined = isRatio ? 'percent' : undefined;
    const actual = YEARS.map((y) => value(all, r.indicator, y, 'actual'));
    const periodActual = over(all, r.indicator, YEARS, 'actual');
    nationalRows.push({ key: r.indicator, label: label(r.indicator), values: [...actual, periodActual, isRatio ? null : growth(all, r.indicator)], kind: 'row', format: rowFormat });
    if (r.target) {
      const target = YEARS.map((y) => value(all, r.indicator, y, 'target'));
      const periodTarget = over(all, r.indicator, YEARS, 'target');
      nationalRows.push({ key: `${r.indicator}:target`, label: `${label(r.indicator)} — ${L.target.toLowerCase()}`, values: [...target, periodTarget, null], kind: 'row', format: rowFormat });
      if (!isRatio) {
        nationalRows.push({
          key: `${r.indicator}:achieved`, label: `${label(r.indicator)} — ${L.achieved}`, format: 'percent', kind: 'row',
          values: [...actual.map((a, i) => pct(a, target[i]!)), pct(periodActual, periodTarget), null],
        });
      }
    }
  }
  const tNational = table('national', L.indicator, [...yearCols(YEARS), { key: 'period', label: L.period, format: 'integer' }, { key: 'growth', label: L.growth, format: 'percent' }],
    nationalRows, [L.percentNote, ...incomplete('actual', YEARS)]);
  onProgress('assemble', 0.55);

  // ---------- Table 2: grading ----------
  const gradeCounts = GRADES.map((g) => YEARS.map((y) => value(all, g, y, 'actual')));
  const graded = YEARS.map((_, i) => sum(gradeCounts.map((c) => c[i]!)));
  const tGrading = table('grading', L.indicator, yearCols(YEARS), [
    ...GRADES.map((g, k) => ({ key: g, label: label(g), values: gradeCounts[k]!, kind: 'row' as const })),
    { key: 'graded', label: L.graded, values: graded, kind: 'total' },
    ...GRADES.map((g, k) => ({ key: `${g}:share`, label: `${label(g)} — ${L.share}`, values: gradeCounts[k]!.map((c, i) => pct(c, graded[i]!)), kind: 'row' as const, format: 'percent' as const })),
    { key: UNGRADED, label: label(UNGRADED), values: YEARS.map((y) => value(all, UNGRADED, y, 'actual')), kind: 'row' },
  ], [L.percentNote, ...incomplete('actual', YEARS)]);

  // ---------- per-unit tables ----------
  const achievedOver = (members: UnionRow[], code: string) =>
    def(code).kind === 'flow'
      ? pct(over(members, code, YEARS, 'actual'), over(members, code, YEARS, 'target'))
      : pct(value(members, code, LAST, 'actual'), value(members, code, LAST, 'target'));
  /** Rows per group, headed per kind, then the total over every child. */
  const unitRows = (values: (members: UnionRow[]) => (number | null)[], totalValues?: (number | null)[]): ReportRow[] => {
    const out: ReportRow[] = [];
    let kind = -1;
    for (const g of groups) {
      if (g.kindOrder !== kind) {
        kind = g.kindOrder;
        out.push({ key: `kind:${UNION_KINDS[kind]?.kind ?? kind}`, label: UNION_KINDS[kind]?.labelVi ?? '', values: [], kind: 'group' });
      }
      out.push({ key: g.key, label: g.label, values: values(g.members), kind: 'row', note: g.note });
    }
    out.push({ key: 'total', label: root.level === 0 ? L.total : `${L.subtotal} ${root.name}`, values: totalValues ?? values(all), kind: 'total' });
    for (const r of out) if (r.kind === 'group') r.values = new Array(out[out.length - 1]!.values.length).fill(null);
    return out;
  };
  /** Competition ranking (1, 2, 2, 4) of the groups by a score, higher first; null scores are not ranked. */
  const rankBy = (score: (g: Group) => (number | null)[]): Map<string, number | null> => {
    const scored = groups.map((g) => ({ g, s: score(g) }));
    const cmp = (a: (number | null)[], b: (number | null)[]) => {
      for (let i = 0; i < a.length; i++) {
        const x = a[i] ?? -Infinity;
        const y = b[i] ?? -Infinity;
        if (x !== y) return y - x;
      }
      return 0;
    };
    const ranked = scored.filter((x) => x.s[0] !== null).sort((a, b) => cmp(a.s, b.s));
    const out = new Map<string, number | null>(groups.map((g) => [g.key, null]));
    ranked.forEach((x, i) => out.set(x.g.key, i > 0 && cmp(ranked[i - 1]!.s, x.s) === 0 ? out.get(ranked[i - 1]!.g.key)! : i + 1));
    return out;
  };
  const flowTable = (key: ReportTableKey, code: string) => {
    const rank = rankBy((g) => [achievedOver(g.members, code)]);
    const cols: ReportColumn[] = [
      ...yearCols(YEARS), { key: 'actual', label: `${L.actual} ${FIRST}–${LAST}`, format: 'integer' }, { key: 'target', label: `${L.target} ${FIRST}–${LAST}`, format: 'integer' },
      { key: 'achieved', label: L.achieved, format: 'percent' }, { key: 'rank', label: L.rank, format: 'rank' },
    ];
    const rows = unitRows((m) => {
      const a = over(m, code, YEARS, 'actual');
      const t = over(m, code, YEARS, 'target');
      return [...YEARS.map((y) => value(m, code, y, 'actual')), a, t, pct(a, t), null];
    });
    for (const r of rows) if (r.kind === 'row') r.values[r.values.length - 1] = rank.get(r.key) ?? null;
    return table(key, L.unit, cols, rows, [`${label(code)}. ${L.percentNote}`, ...incomplete('actual', YEARS)]);
  };
  const tAdmitted = flowTable('admitted', 'members.admitted');
  const tFounded = flowTable('founded', 'grassroots.founded');
  onProgress('assemble', 0.7);

  const tMembers = table('members', L.unit, [
    ...yearCols(YEARS), { key: 'target', label: `${L.target} ${LAST}`, format: 'integer' }, { key: 'achieved', label: `${L.achieved} ${LAST}`, format: 'percent' },
    { key: 'growth', label: L.growth, format: 'percent' },
  ], unitRows((m) => [...YEARS.map((y) => value(m, 'members', y, 'actual')), value(m, 'members', LAST, 'target'), achievedOver(m, 'members'), growth(m, 'members')]),
  [label('members'), ...incomplete('actual', YEARS)]);

  const gradedOf = (m: UnionRow[]) => sum(GRADES.map((g) => value(m, g, LAST, 'actual')));
  const tCoverage = table('coverage', L.unit, [
    { key: 'eligible', label: label('enterprises.eligible'), format: 'integer' },
    { key: 'unionised', label: label('enterprises.unionised'), format: 'integer' },
    { key: 'coverage', label: label('coverage'), format: 'percent' },
    { key: 'coverageTarget', label: `${label('coverage')} — ${L.target.toLowerCase()}`, format: 'percent' },
    { key: 'strong', label: label('grade.strong'), format: 'integer' },
    { key: 'graded', label: L.graded, format: 'integer' },
    { key: 'strongShare', label: `${label('grade.strong')} — ${L.share}`, format: 'percent' },
  ], unitRows((m) => [
    value(m, 'enterprises.eligible', LAST, 'actual'), value(m, 'enterprises.unionised', LAST, 'actual'), value(m, 'coverage', LAST, 'actual'),
    value(m, 'coverage', LAST, 'target'), value(m, 'grade.strong', LAST, 'actual'), gradedOf(m), pct(value(m, 'grade.strong', LAST, 'actual'), gradedOf(m)),
  ]), [`${L.year} ${LAST}. ${L.percentNote}`, ...incomplete('actual', [LAST])]);

  const composite = rankBy((g) => RANKING_KEYS.map((k) => achievedOver(g.members, k)));
  const rankedGroups = [...groups].sort((a, b) => (composite.get(a.key) ?? Infinity) - (composite.get(b.key) ?? Infinity) || a.kindOrder - b.kindOrder || a.sortOrder - b.sortOrder);
  const tRanking = table('ranking', L.unit, [
    { key: 'rank', label: L.rank, format: 'rank' },
    ...RANKING_KEYS.map((k) => ({ key: k, label: `${L.achieved} — ${label(k)}`, format: 'percent' as const })),
  ], rankedGroups.map((g) => ({ key: g.key, label: g.label, note: g.note, kind: 'row' as const, values: [composite.get(g.key) ?? null, ...RANKING_KEYS.map((k) => achievedOver(g.members, k))] })),
  [`${L.rank}: ${RANKING_KEYS.map((k) => `${L.achieved} ${label(k)}`).join(' → ')}.`]);
  onProgress('assemble', 0.85);

  // ---------- the plan ----------
  const planFlow = (code: string) => ({ key: `${code}:plan`, label: `${label(code, REPORT_PLAN.from)} ${REPORT_PLAN.from}–${REPORT_PLAN.to}`, format: 'integer' as const });
  const tPlan = table('plan', L.indicator, [...yearCols(PLAN_YEARS), { key: 'period', label: L.period, format: 'integer' }],
    PLAN_ROWS.map((code) => ({
      key: code, label: label(code, REPORT_PLAN.from), kind: 'row' as const, format: def(code).aggregation.type === 'ratio' ? 'percent' as const : undefined,
      values: [...PLAN_YEARS.map((y) => value(all, code, y, 'target')), over(all, code, PLAN_YEARS, 'target')],
    })), [L.target, ...incomplete('target', PLAN_YEARS)]);
  const tPlanUnits = table('planUnits', L.unit, [
    { key: 'members', label: `${label('members')} ${LAST} (${L.actual.toLowerCase()})`, format: 'integer' },
    { key: 'membersTarget', label: `${label('members')} — ${L.target.toLowerCase()} ${REPORT_PLAN.to}`, format: 'integer' },
    { key: 'growth', label: `% ${LAST}→${REPORT_PLAN.to}`, format: 'percent' },
    planFlow('members.admitted'), planFlow('grassroots.founded'),
  ], unitRows((m) => {
    const now = value(m, 'members', LAST, 'actual');
    const goal = value(m, 'members', REPORT_PLAN.to, 'target');
    return [now, goal, now === null || goal === null || now === 0 ? null : round2(((goal - now) / now) * 100), over(m, 'members.admitted', PLAN_YEARS, 'target'), over(m, 'grassroots.founded', PLAN_YEARS, 'target')];
  }), incomplete('target', PLAN_YEARS));

  // ---------- charts and sentences ----------
  const series = (key: string, lbl: string, values: (number | null)[]) => ({ key, label: lbl, values });
  const charts: ReportCharts = {
    years: YEARS,
    members: [series('actual', L.actual, YEARS.map((y) => value(all, 'members', y, 'actual'))), series('target', L.target, YEARS.map((y) => value(all, 'members', y, 'target')))],
    admitted: [series('actual', L.actual, YEARS.map((y) => value(all, 'members.admitted', y, 'actual'))), series('target', L.target, YEARS.map((y) => value(all, 'members.admitted', y, 'target')))],
    grading: GRADES.map((g, k) => series(g, label(g), gradeCounts[k]!)),
  };
  const n = (v: number | null, digits = 0) => (v === null ? null : formatViNumber(v, digits));
  const leaders = rankedGroups.filter((g) => composite.get(g.key) !== null).slice(0, 3)
    .map((g) => `${g.label} (${n(achievedOver(g.members, RANKING_KEYS[0]!), 1)}%)`).join(', ');
  const facts: Record<string, string | null> = {
    firstYear: String(FIRST), lastYear: String(LAST), years: String(YEARS.length), planFrom: String(REPORT_PLAN.from), planTo: String(REPORT_PLAN.to),
    members: n(value(all, 'members', LAST, 'actual')), membersAchieved: n(achievedOver(all, 'members'), 1), membersGrowth: n(growth(all, 'members'), 1),
    admitted: n(over(all, 'members.admitted', YEARS, 'actual')), admittedAchieved: n(achievedOver(all, 'members.admitted'), 1),
    founded: n(over(all, 'grassroots.founded', YEARS, 'actual')), foundedAchieved: n(achievedOver(all, 'grassroots.founded'), 1),
    dissolved: n(over(all, 'grassroots.dissolved', YEARS, 'actual')), coverage: n(value(all, 'coverage', LAST, 'actual'), 1),
    strongShare: n(pct(value(all, 'grade.strong', LAST, 'actual'), graded[graded.length - 1]!), 1), leaders: leaders || null,
    planMembers: n(value(all, 'members', REPORT_PLAN.to, 'target')), planAdmitted: n(over(all, 'members.admitted', PLAN_YEARS, 'target')),
    planFounded: n(over(all, 'grassroots.founded', PLAN_YEARS, 'target')),
  };
  const sentences = (Object.keys(REPORT_SENTENCES) as (keyof typeof REPORT_SENTENCES)[]).map((key) => {
    const coverage = sentenceCoverage(children, SENTENCE_FIGURES[key], (u, code, year, scenario) => approved.has(`${u.id}|${code}|${year}|${scenario}`));
    return { key, ...coverage, text: coveredSentence(key, fillSentence(REPORT_SENTENCES[key], facts), coverage) };
  });

  const contentHash = createHash('sha256').update(JSON.stringify([REPORT_SPEC_VERSION, root.code, figures])).digest('hex');
  onProgress('assemble', 1);
  const tables = [tNational, tGrading, tAdmitted, tFounded, tMembers, tCoverage, tRanking, tPlan, tPlanUnits];
  // A sum of huge values stored before the range check is not a number a file or GraphQL can carry: no value.
  const finite = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);
  for (const row of [...tables.flatMap((t) => t.rows), ...charts.members, ...charts.admitted, ...charts.grading]) row.values = row.values.map(finite);
  return {
    rootCode: root.code, rootName: root.name,
    tables,
    sentences, charts, pending, pendingTotal: pending.reduce((a, p) => a + p.count, 0), withProposal, figures, contentHash,
  };
}
