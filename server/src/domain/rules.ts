/**
 * The reconciliation rules of schema/src/rules.ts, evaluated. One check is one place where
 * rules apply (a union's cell group in a year, a parent's sum for one indicator, a balance,
 * a plausibility test); it reads values through a CellSource, so the same code serves a full
 * run over every cell and the incremental re-check after a write.
 */
import { INDICATORS, isStored, LAST_YEAR, RULES, SECTORS, type RuleDef, type Scenario } from '@unionhub/schema';
import { existsIn } from './db.js';

export interface UnitInfo {
  id: number;
  code: string;
  parentId: number | null;
  validFrom: number;
  validTo: number | null;
}

export interface CellSource {
  value(unionId: number, code: string, year: number, scenario: Scenario): number | undefined;
}

export interface Tree {
  unit(id: number): UnitInfo | undefined;
  /** Children valid in `year` (only those the source knows). */
  children(id: number, year: number): UnitInfo[];
  /** Predecessors whose successor `id` starts in `year`. */
  predecessors(id: number, year: number): number[];
  successors(id: number, year: number): number[];
}

export interface Found {
  ruleId: string;
  severity: string;
  unionId: number;
  indicatorCode: string;
  year: number;
  scenario: Scenario;
  left: number | null;
  right: number | null;
  difference: number | null;
  message: string;
}

export type Check =
  | { kind: 'hierarchy'; unionId: number; code: string; year: number; scenario: Scenario }
  | { kind: 'group'; unionId: number; year: number; scenario: Scenario }
  | { kind: 'balance'; unionId: number; year: number }
  | { kind: 'year_over_year'; unionId: number; code: string; year: number }
  | { kind: 'history'; unionId: number; code: string };

type Of<K extends RuleDef['kind']> = Extract<RuleDef, { kind: K }>;
const rulesOf = <K extends RuleDef['kind']>(kind: K) => RULES.filter((r) => r.kind === kind) as Of<K>[];

export const SUMMABLE = INDICATORS.filter(isStored).map((d) => d.code);
const SECTOR_TOTALS = INDICATORS.filter((d) => d.splits.includes('sector')).map((d) => d.code);
const WOMEN_TOTALS = INDICATORS.filter((d) => d.splits.includes('women')).map((d) => d.code);

const HIERARCHY = rulesOf('hierarchy')[0]!;
const SECTORS_RULE = rulesOf('parts_sum')[0]!;
const GRADES = rulesOf('sum_equals');
const NOT_GREATER = rulesOf('not_greater');
const BALANCES = rulesOf('balance');
const YOY = rulesOf('year_over_year');
const HISTORY = rulesOf('history_outlier');

/** Which rule instance a discrepancy is: unique per rule, union, key indicator, year, scenario. */
export function instanceKey(ruleId: string, unionCode: string, indicatorCode: string, year: number, scenario: string): string {
  return `${ruleId}|${unionCode}|${indicatorCode}|${year}|${scenario}`;
}

const applies = (r: RuleDef, s: Scenario) => r.scenarios.includes(s);
const round = (x: number) => Math.round(x * 1e6) / 1e6;
/** A side or difference that is not a finite number (a sum of huge stored values) is stored as unknown. */
const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);

/** A discrepancy found. A module function, not a closure per call: a full run evaluates every check of the nation. */
function flag(out: Found[], r: RuleDef, unionId: number, code: string, year: number, scenario: Scenario, left: number | null, right: number | null, message: string): void {
  out.push({ ruleId: r.id, severity: r.severity, unionId, indicatorCode: code, year, scenario, left: finite(left), right: finite(right), difference: left !== null && right !== null ? finite(round(left - right)) : null, message });
}

export function evaluate(check: Check, src: CellSource, tree: Tree): Found[] {
  const out: Found[] = [];

  switch (check.kind) {
    case 'hierarchy': {
      const { unionId, code, year, scenario } = check;
      if (!applies(HIERARCHY, scenario)) break;
      const v = src.value(unionId, code, year, scenario);
      if (v === undefined) break;
      const kids = tree.children(unionId, year);
      let sum = 0;
      let reported = 0;
      for (const k of kids) {
        const kv = src.value(k.id, code, year, scenario);
        if (kv !== undefined) {
          sum += kv;
          reported++;
        }
      }
      // Children that do not report an indicator at all (grassroots have no grading) are no evidence.
      if (reported > 0 && Math.abs(v - sum) > HIERARCHY.tolerance + 1e-9) {
        flag(out, HIERARCHY, unionId, code, year, scenario, v, round(sum), `${code}: reported ${v}, children sum to ${round(sum)}`);
      }
      break;
    }
    case 'group': {
      const { unionId, year, scenario } = check;
      const val = (c: string) => src.value(unionId, c, year, scenario);
      if (applies(SECTORS_RULE, scenario)) {
        for (const total of SECTOR_TOTALS) {
          const t = val(total);
          const parts = SECTORS.map((s) => val(`${total}.sector.${s.code}`));
          if (t === undefined || parts.some((p) => p === undefined)) continue;
          const sum = round(parts.reduce((a, b) => a! + b!, 0)!);
          if (Math.abs(t - sum) > SECTORS_RULE.tolerance + 1e-9) flag(out, SECTORS_RULE, unionId, total, year, scenario, t, sum, `${total}: total ${t}, sectors sum to ${sum}`);
        }
      }
      for (const r of NOT_GREATER) {
        if (!applies(r, scenario)) continue;
        const pairs = r.part === '*.women' ? WOMEN_TOTALS.map((t) => [`${t}.women`, t, t] as const) : [[r.part, r.whole, r.whole] as const];
        for (const [part, whole, key] of pairs) {
          const p = val(part);
          const w = val(whole);
          if (p !== undefined && w !== undefined && p > w) flag(out, r, unionId, key, year, scenario, p, w, `${part} (${p}) exceeds ${whole} (${w})`);
        }
      }
      for (const r of GRADES) {
        if (!applies(r, scenario)) continue;
        const w = val(r.whole);
        const parts = r.parts.map(val);
        if (w === undefined || parts.some((p) => p === undefined)) continue;
        const sum = parts.reduce((a, b) => a! + b!, 0)!;
        if (Math.abs(w - sum) > r.tolerance + 1e-9) flag(out, r, unionId, r.whole, year, 'actual' === scenario ? scenario : scenario, sum, w, `${r.parts.join(' + ')} = ${sum}, ${r.whole} = ${w}`);
      }
      break;
    }
    case 'balance': {
      const { unionId, year } = check;
      for (const r of BALANCES) {
        if (!applies(r, 'actual')) continue;
        // A unit that does not report a flow (grassroots report no losses) gives no verdict: NaN.
        const flow = (id: number, f: string) => src.value(id, f, year, 'actual') ?? Number.NaN;
        const flows = (id: number) => r.inflows.reduce((a, f) => a + flow(id, f), 0) - r.outflows.reduce((a, f) => a + flow(id, f), 0);
        const now = src.value(unionId, r.stock, year, 'actual');
        if (now === undefined) continue;
        const prev = src.value(unionId, r.stock, year - 1, 'actual');
        if (prev !== undefined) {
          const expected = prev + flows(unionId);
          if (Number.isNaN(expected)) continue;
          if (Math.abs(now - expected) > r.tolerance + 1e-9) flag(out, r, unionId, r.stock, year, 'actual', now, round(expected), `${r.stock} ${year}: ${now}, last year + flows = ${round(expected)}`);
          continue;
        }
        // First year after a merge or split: the group of successors balances with its predecessors.
        const preds = tree.predecessors(unionId, year);
        if (preds.length === 0) continue;
        const group = [...new Set(preds.flatMap((p) => tree.successors(p, year)))].sort((a, b) => tree.unit(a)!.code.localeCompare(tree.unit(b)!.code));
        if (group[0] !== unionId) continue; // checked once, at the group's first successor
        const allPreds = [...new Set(group.flatMap((g) => tree.predecessors(g, year)))];
        const before = allPreds.reduce((a, p) => a + (src.value(p, r.stock, year - 1, 'actual') ?? 0), 0);
        const after = group.reduce((a, g) => a + (src.value(g, r.stock, year, 'actual') ?? 0), 0);
        const expected = before + group.reduce((a, g) => a + flows(g), 0);
        if (Number.isNaN(expected)) continue;
        if (Math.abs(after - expected) > r.tolerance + 1e-9) {
          flag(out, r, unionId, r.stock, year, 'actual', after, round(expected), `${r.stock} ${year} of the restructured units: ${after}, predecessors' ${year - 1} + flows = ${round(expected)}`);
        }
      }
      break;
    }
    case 'year_over_year': {
      const { unionId, code, year } = check;
      for (const r of YOY) {
        if (!r.indicators.includes(code)) continue;
        const v = src.value(unionId, code, year, 'actual');
        const prev = src.value(unionId, code, year - 1, 'actual');
        if (v === undefined || prev === undefined || prev === 0) continue;
        if (Math.abs(v / prev - 1) > r.tolerance && Math.abs(v - prev) >= r.minChange) {
          flag(out, r, unionId, code, year, 'actual', v, prev, `${code}: ${prev} → ${v} (${Math.round((v / prev - 1) * 100)} %)`);
        }
      }
      break;
    }
    case 'history': {
      const { unionId, code } = check;
      const unit = tree.unit(unionId);
      if (!unit) break;
      for (const r of HISTORY) {
        if (!r.indicators.includes(code)) continue;
        const series: [number, number][] = [];
        // Every year the unit reports; years without a value are simply not in the series.
        for (let y = unit.validFrom; y <= (unit.validTo ?? LAST_YEAR); y++) {
          const v = src.value(unionId, code, y, 'actual');
          if (v !== undefined) series.push([y, v]);
        }
        if (series.length < r.minYears) continue;
        const med = median(series.map((x) => x[1]));
        const mad = Math.max(median(series.map((x) => Math.abs(x[1] - med))), r.madFloorRatio * Math.abs(med), r.minMad);
        for (const [y, v] of series) {
          const z = (0.6745 * Math.abs(v - med)) / mad;
          if (z > r.threshold) flag(out, r, unionId, code, y, 'actual', v, med, `${code} ${y}: ${v} against a median of ${med} (robust z ${z.toFixed(1)})`);
        }
      }
      break;
    }
  }
  return out;
}

function median(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

// A re-check asks covers() of every stored discrepancy near the written cells: lookups, not scans.
const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));
const GROUP_KINDS = new Set<RuleDef['kind']>(['parts_sum', 'not_greater', 'sum_equals']);

/** Does a check evaluate the rule instance (rule, union, key indicator, year, scenario)? */
export function covers(check: Check, d: { ruleId: string; unionId: number; indicatorCode: string; year: number; scenario: string }): boolean {
  const rule = RULE_BY_ID.get(d.ruleId);
  if (!rule) return false;
  switch (check.kind) {
    case 'hierarchy':
      return rule.kind === 'hierarchy' && d.unionId === check.unionId && d.indicatorCode === check.code && d.year === check.year && d.scenario === check.scenario;
    case 'group':
      return GROUP_KINDS.has(rule.kind) && d.unionId === check.unionId && d.year === check.year && d.scenario === check.scenario;
    case 'balance':
      return rule.kind === 'balance' && d.unionId === check.unionId && d.year === check.year;
    case 'year_over_year':
      return rule.kind === 'year_over_year' && d.unionId === check.unionId && d.indicatorCode === check.code && d.year === check.year;
    case 'history':
      return rule.kind === 'history_outlier' && d.unionId === check.unionId && d.indicatorCode === check.code;
  }
}

/** Every check of the whole data set (or of the given units), for a full run. */
export function* allChecks(units: UnitInfo[], tree: Tree, years: { year: number; scenario: Scenario }[]): Generator<Check> {
  const yoyCodes = [...new Set(YOY.flatMap((r) => r.indicators))];
  const historyCodes = [...new Set(HISTORY.flatMap((r) => r.indicators))];
  for (const u of units) {
    for (const { year, scenario } of years) {
      if (!existsIn(u, year)) continue;
      yield { kind: 'group', unionId: u.id, year, scenario };
      if (tree.children(u.id, year).length > 0) for (const code of SUMMABLE) yield { kind: 'hierarchy', unionId: u.id, code, year, scenario };
      if (scenario === 'actual') {
        yield { kind: 'balance', unionId: u.id, year };
        for (const code of yoyCodes) yield { kind: 'year_over_year', unionId: u.id, code, year };
      }
    }
    for (const code of historyCodes) yield { kind: 'history', unionId: u.id, code };
  }
}

/** The checks a changed cell can affect: its group, its parent's and its own sums, balances and plausibility around it. */
export function checksAfterWrite(cell: { unionId: number; code: string; year: number; scenario: Scenario }, tree: Tree): Check[] {
  const { unionId, code, year, scenario } = cell;
  const unit = tree.unit(unionId);
  const checks: Check[] = [{ kind: 'group', unionId, year, scenario }, { kind: 'hierarchy', unionId, code, year, scenario }];
  if (unit?.parentId !== null && unit?.parentId !== undefined) checks.push({ kind: 'hierarchy', unionId: unit.parentId, code, year, scenario });
  if (scenario === 'actual') {
    for (const y of [year, year + 1]) {
      checks.push({ kind: 'balance', unionId, year: y });
      // A restructuring group balances as one: re-check it from whichever member changed.
      for (const s of tree.successors(unionId, y)) checks.push({ kind: 'balance', unionId: s, year: y });
      for (const p of tree.predecessors(unionId, y)) for (const s of tree.successors(p, y)) checks.push({ kind: 'balance', unionId: s, year: y });
      checks.push({ kind: 'year_over_year', unionId, code, year: y });
    }
    checks.push({ kind: 'history', unionId, code });
  }
  return checks;
}

/** The indicators whose cells a discrepancy of `ruleId` keyed on `key` is about (to know what it blocks). */
export function involvedIndicators(ruleId: string, key: string): string[] {
  const r = RULE_BY_ID.get(ruleId);
  if (!r) return [key];
  switch (r.kind) {
    case 'balance':
      return [r.stock, ...r.inflows, ...r.outflows];
    case 'parts_sum':
      return [key, ...SECTORS.map((s) => `${key}.sector.${s.code}`)];
    case 'not_greater':
      return r.part === '*.women' ? [key, `${key}.women`] : [r.part, r.whole];
    case 'sum_equals':
      return [r.whole, ...r.parts];
    default:
      return [key];
  }
}
