/**
 * The report's tables, from approved values (report-values.ts): national results and grading per
 * year, the per-unit tables (admitted, founded, members, coverage, the ranking for commendation) and
 * the plan. Each table's title, section and sheet come from the report catalogue in `schema/`.
 */
import {
  GRADES, indicatorLabel, NATIONAL_ROWS, PLAN_ROWS, RANKING_KEYS, REPORT_LABELS as L, REPORT_PLAN, REPORT_TABLES, UNGRADED, UNION_KINDS,
  type ReportColumn, type ReportFormat, type ReportRow, type ReportTableData, type ReportTableKey, type Scenario,
} from '@unionhub/schema';
import type { PendingCount } from './report.js';
import { def, FIRST, LAST, PLAN_YEARS, YEARS } from './report-coverage.js';
import { pct, round2, sum, type ReportValues } from './report-values.js';
import type { UnionRow } from './unions.js';

/** A row of the report: one child, or several joined by merges/splits. */
export interface Group {
  key: string;
  label: string;
  note?: string;
  kindOrder: number;
  sortOrder: number;
  members: UnionRow[];
}

export interface TableContext {
  root: UnionRow;
  /** Every child of the root. */
  all: UnionRow[];
  groups: Group[];
  pending: PendingCount[];
  v: ReportValues;
}

export const label = (code: string, year: number = LAST) => indicatorLabel(def(code), year);
const yearCols = (years: number[], format: ReportFormat = 'integer'): ReportColumn[] => years.map((y) => ({ key: String(y), label: String(y), format }));

function table(key: ReportTableKey, rowHeading: string, columns: ReportColumn[], rows: ReportRow[], notes: string[] = []): ReportTableData {
  return { key, section: REPORT_TABLES[key].section, sheet: REPORT_TABLES[key].sheet, title: REPORT_TABLES[key].title, rowHeading, columns, rows, notes };
}

/** A note naming the years of a scenario that still have cells not approved. */
function incomplete(ctx: TableContext, scenario: Scenario, years: number[]): string[] {
  const ys = [...new Set(ctx.pending.filter((p) => p.scenario === scenario && years.includes(p.year)).map((p) => p.year))];
  return ys.length ? [`${L.incompleteYears}: ${ys.join(', ')}.`] : [];
}

/** Rows per group, headed per kind, then the total over every child. */
function unitRows(ctx: TableContext, values: (members: UnionRow[]) => (number | null)[]): ReportRow[] {
  const out: ReportRow[] = [];
  let kind = -1;
  for (const g of ctx.groups) {
    if (g.kindOrder !== kind) {
      kind = g.kindOrder;
      out.push({ key: `kind:${UNION_KINDS[kind]?.kind ?? kind}`, label: UNION_KINDS[kind]?.labelVi ?? '', values: [], kind: 'group' });
    }
    out.push({ key: g.key, label: g.label, values: values(g.members), kind: 'row', note: g.note });
  }
  out.push({ key: 'total', label: ctx.root.level === 0 ? L.total : `${L.subtotal} ${ctx.root.name}`, values: values(ctx.all), kind: 'total' });
  for (const r of out) if (r.kind === 'group') r.values = new Array(out[out.length - 1]!.values.length).fill(null);
  return out;
}

/** Competition ranking (1, 2, 2, 4) of the groups by a score, higher first; null scores are not ranked. */
export function rankBy(groups: Group[], score: (g: Group) => (number | null)[]): Map<string, number | null> {
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
}

/** Table 1: national results per year, with targets and % achieved where TLĐ sets targets. */
export function nationalTable(ctx: TableContext): ReportTableData {
  const { v, all } = ctx;
  const rows: ReportRow[] = [];
  for (const r of NATIONAL_ROWS) {
    const isRatio = def(r.indicator).aggregation.type === 'ratio';
    const rowFormat: ReportFormat | undefined = isRatio ? 'percent' : undefined;
    const actual = YEARS.map((y) => v.value(all, r.indicator, y, 'actual'));
    const periodActual = v.over(all, r.indicator, YEARS, 'actual');
    rows.push({ key: r.indicator, label: label(r.indicator), values: [...actual, periodActual, isRatio ? null : v.growth(all, r.indicator)], kind: 'row', format: rowFormat });
    if (!r.target) continue;
    const target = YEARS.map((y) => v.value(all, r.indicator, y, 'target'));
    const periodTarget = v.over(all, r.indicator, YEARS, 'target');
    rows.push({ key: `${r.indicator}:target`, label: `${label(r.indicator)} — ${L.target.toLowerCase()}`, values: [...target, periodTarget, null], kind: 'row', format: rowFormat });
    if (!isRatio) {
      rows.push({
        key: `${r.indicator}:achieved`, label: `${label(r.indicator)} — ${L.achieved}`, format: 'percent', kind: 'row',
        values: [...actual.map((a, i) => pct(a, target[i]!)), pct(periodActual, periodTarget), null],
      });
    }
  }
  return table('national', L.indicator, [...yearCols(YEARS), { key: 'period', label: L.period, format: 'integer' }, { key: 'growth', label: L.growth, format: 'percent' }],
    rows, [L.percentNote, ...incomplete(ctx, 'actual', YEARS)]);
}

/** The grading counts per grade and year, and how many were graded. */
export function gradeCounts(ctx: TableContext): { counts: (number | null)[][]; graded: (number | null)[] } {
  const counts = GRADES.map((g) => YEARS.map((y) => ctx.v.value(ctx.all, g, y, 'actual')));
  return { counts, graded: YEARS.map((_, i) => sum(counts.map((c) => c[i]!))) };
}

/** Table 2: grading per year, with shares. */
export function gradingTable(ctx: TableContext, { counts, graded }: ReturnType<typeof gradeCounts>): ReportTableData {
  return table('grading', L.indicator, yearCols(YEARS), [
    ...GRADES.map((g, k) => ({ key: g, label: label(g), values: counts[k]!, kind: 'row' as const })),
    { key: 'graded', label: L.graded, values: graded, kind: 'total' },
    ...GRADES.map((g, k) => ({ key: `${g}:share`, label: `${label(g)} — ${L.share}`, values: counts[k]!.map((c, i) => pct(c, graded[i]!)), kind: 'row' as const, format: 'percent' as const })),
    { key: UNGRADED, label: label(UNGRADED), values: YEARS.map((y) => ctx.v.value(ctx.all, UNGRADED, y, 'actual')), kind: 'row' },
  ], [L.percentNote, ...incomplete(ctx, 'actual', YEARS)]);
}

/** A flow per unit and year, its period total against the target, and the units ranked by % achieved. */
export function flowTable(ctx: TableContext, key: ReportTableKey, code: string): ReportTableData {
  const { v } = ctx;
  const rank = rankBy(ctx.groups, (g) => [v.achievedOver(g.members, code)]);
  const cols: ReportColumn[] = [
    ...yearCols(YEARS), { key: 'actual', label: `${L.actual} ${FIRST}–${LAST}`, format: 'integer' }, { key: 'target', label: `${L.target} ${FIRST}–${LAST}`, format: 'integer' },
    { key: 'achieved', label: L.achieved, format: 'percent' }, { key: 'rank', label: L.rank, format: 'rank' },
  ];
  const rows = unitRows(ctx, (m) => {
    const a = v.over(m, code, YEARS, 'actual');
    const t = v.over(m, code, YEARS, 'target');
    return [...YEARS.map((y) => v.value(m, code, y, 'actual')), a, t, pct(a, t), null];
  });
  for (const r of rows) if (r.kind === 'row') r.values[r.values.length - 1] = rank.get(r.key) ?? null;
  return table(key, L.unit, cols, rows, [`${label(code)}. ${L.percentNote}`, ...incomplete(ctx, 'actual', YEARS)]);
}

export function membersTable(ctx: TableContext): ReportTableData {
  const { v } = ctx;
  return table('members', L.unit, [
    ...yearCols(YEARS), { key: 'target', label: `${L.target} ${LAST}`, format: 'integer' }, { key: 'achieved', label: `${L.achieved} ${LAST}`, format: 'percent' },
    { key: 'growth', label: L.growth, format: 'percent' },
  ], unitRows(ctx, (m) => [...YEARS.map((y) => v.value(m, 'members', y, 'actual')), v.value(m, 'members', LAST, 'target'), v.achievedOver(m, 'members'), v.growth(m, 'members')]),
  [label('members'), ...incomplete(ctx, 'actual', YEARS)]);
}

export function coverageTable(ctx: TableContext): ReportTableData {
  const { v } = ctx;
  const gradedOf = (m: UnionRow[]) => sum(GRADES.map((g) => v.value(m, g, LAST, 'actual')));
  return table('coverage', L.unit, [
    { key: 'eligible', label: label('enterprises.eligible'), format: 'integer' },
    { key: 'unionised', label: label('enterprises.unionised'), format: 'integer' },
    { key: 'coverage', label: label('coverage'), format: 'percent' },
    { key: 'coverageTarget', label: `${label('coverage')} — ${L.target.toLowerCase()}`, format: 'percent' },
    { key: 'strong', label: label('grade.strong'), format: 'integer' },
    { key: 'graded', label: L.graded, format: 'integer' },
    { key: 'strongShare', label: `${label('grade.strong')} — ${L.share}`, format: 'percent' },
  ], unitRows(ctx, (m) => [
    v.value(m, 'enterprises.eligible', LAST, 'actual'), v.value(m, 'enterprises.unionised', LAST, 'actual'), v.value(m, 'coverage', LAST, 'actual'),
    v.value(m, 'coverage', LAST, 'target'), v.value(m, 'grade.strong', LAST, 'actual'), gradedOf(m), pct(v.value(m, 'grade.strong', LAST, 'actual'), gradedOf(m)),
  ]), [`${L.year} ${LAST}. ${L.percentNote}`, ...incomplete(ctx, 'actual', [LAST])]);
}

/** The groups ranked for commendation by % achieved on RANKING_KEYS in turn, and the table of it. */
export function ranking(ctx: TableContext): { table: ReportTableData; composite: Map<string, number | null>; ranked: Group[] } {
  const { v, groups } = ctx;
  const composite = rankBy(groups, (g) => RANKING_KEYS.map((k) => v.achievedOver(g.members, k)));
  const ranked = [...groups].sort((a, b) => (composite.get(a.key) ?? Infinity) - (composite.get(b.key) ?? Infinity) || a.kindOrder - b.kindOrder || a.sortOrder - b.sortOrder);
  return {
    composite,
    ranked,
    table: table('ranking', L.unit, [
      { key: 'rank', label: L.rank, format: 'rank' },
      ...RANKING_KEYS.map((k) => ({ key: k, label: `${L.achieved} — ${label(k)}`, format: 'percent' as const })),
    ], ranked.map((g) => ({ key: g.key, label: g.label, note: g.note, kind: 'row' as const, values: [composite.get(g.key) ?? null, ...RANKING_KEYS.map((k) => v.achievedOver(g.members, k))] })),
    [`${L.rank}: ${RANKING_KEYS.map((k) => `${L.achieved} ${label(k)}`).join(' → ')}.`]),
  };
}

/** The plan 2018–2023: national targets per year, and each unit's goal against today. */
export function planTables(ctx: TableContext): ReportTableData[] {
  const { v, all } = ctx;
  const planFlow = (code: string) => ({ key: `${code}:plan`, label: `${label(code, REPORT_PLAN.from)} ${REPORT_PLAN.from}–${REPORT_PLAN.to}`, format: 'integer' as const });
  const plan = table('plan', L.indicator, [...yearCols(PLAN_YEARS), { key: 'period', label: L.period, format: 'integer' }],
    PLAN_ROWS.map((code) => ({
      key: code, label: label(code, REPORT_PLAN.from), kind: 'row' as const, format: def(code).aggregation.type === 'ratio' ? 'percent' as const : undefined,
      values: [...PLAN_YEARS.map((y) => v.value(all, code, y, 'target')), v.over(all, code, PLAN_YEARS, 'target')],
    })), [L.target, ...incomplete(ctx, 'target', PLAN_YEARS)]);
  const units = table('planUnits', L.unit, [
    { key: 'members', label: `${label('members')} ${LAST} (${L.actual.toLowerCase()})`, format: 'integer' },
    { key: 'membersTarget', label: `${label('members')} — ${L.target.toLowerCase()} ${REPORT_PLAN.to}`, format: 'integer' },
    { key: 'growth', label: `% ${LAST}→${REPORT_PLAN.to}`, format: 'percent' },
    planFlow('members.admitted'), planFlow('grassroots.founded'),
  ], unitRows(ctx, (m) => {
    const now = v.value(m, 'members', LAST, 'actual');
    const goal = v.value(m, 'members', REPORT_PLAN.to, 'target');
    return [now, goal, now === null || goal === null || now === 0 ? null : round2(((goal - now) / now) * 100), v.over(m, 'members.admitted', PLAN_YEARS, 'target'), v.over(m, 'grassroots.founded', PLAN_YEARS, 'target')];
  }), incomplete(ctx, 'target', PLAN_YEARS));
  return [plan, units];
}
