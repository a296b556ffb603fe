/**
 * A reporting round as stored, and what it asks of each union: the expected cells (indicators ×
 * years × scenarios, within the union's own years) and the effective deadline of a union.
 */
import { acceptsScenario, indicator, INDICATORS, isStored, type ReminderStep, type Scenario } from '@unionhub/schema';
import { existsIn, insertedId, isoTime, type Db } from './db.js';
import { DomainError } from './errors.js';

export interface RoundRow {
  id: number;
  name: string;
  periodFrom: number;
  periodTo: number;
  /** The tree year: expected unions are those of this year's hierarchy. */
  year: number;
  deadline: Date;
  levels: number[];
  indicators: string[];
  years: number[];
  scenarios: Scenario[];
  reminderSteps: ReminderStep[];
  /** Unions must have submitted their required written-report sections (issue 15) before they submit. */
  sectionsRequired: boolean;
  createdBy: string;
  createdAt: string;
}

const COLUMNS = ['id', 'name', 'period_from as periodFrom', 'period_to as periodTo', 'year', 'deadline', 'levels', 'indicators', 'years', 'scenarios', 'reminder_steps as reminderSteps', 'sections_required as sectionsRequired', 'created_by as createdBy', 'created_at as createdAt'];

type Stored = Omit<RoundRow, 'deadline' | 'levels' | 'indicators' | 'years' | 'scenarios' | 'reminderSteps' | 'createdAt' | 'sectionsRequired'> & Record<'deadline' | 'levels' | 'indicators' | 'years' | 'scenarios' | 'reminderSteps' | 'createdAt' | 'sectionsRequired', unknown>;

function toRound(r: Stored): RoundRow {
  const json = <T>(v: unknown): T => JSON.parse(String(v)) as T;
  return {
    ...r,
    deadline: new Date(isoTime(r.deadline)),
    levels: json(r.levels),
    indicators: json(r.indicators),
    years: json(r.years),
    scenarios: json(r.scenarios),
    reminderSteps: json(r.reminderSteps),
    sectionsRequired: Boolean(r.sectionsRequired),
    createdAt: isoTime(r.createdAt),
  };
}

/** A round to store: its lists already settled (createRound checks them; the seed's are written as they are). */
export type NewRound = Omit<RoundRow, 'id' | 'reminderSteps' | 'createdAt' | 'sectionsRequired'> & { reminderSteps: readonly ReminderStep[]; createdAt: Date; sectionsRequired?: boolean | null };

/** Store a round; its id. */
export async function insertRound(db: Db, r: NewRound): Promise<number> {
  return insertedId(await db('reporting_round').insert({
    name: r.name, period_from: r.periodFrom, period_to: r.periodTo, year: r.year, deadline: r.deadline,
    levels: JSON.stringify(r.levels), indicators: JSON.stringify(r.indicators), years: JSON.stringify(r.years), scenarios: JSON.stringify(r.scenarios),
    reminder_steps: JSON.stringify(r.reminderSteps), sections_required: r.sectionsRequired ?? false, created_by: r.createdBy, created_at: r.createdAt,
  }).returning('id'));
}

export async function listRounds(db: Db): Promise<RoundRow[]> {
  return ((await db('reporting_round').select(COLUMNS).orderBy('deadline', 'desc').orderBy('id', 'desc')) as Stored[]).map(toRound);
}

export async function roundById(db: Db, id: number): Promise<RoundRow | null> {
  // An ID that is no row id (GraphQL IDs are strings) is no round, not a database error.
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
  const r = (await db('reporting_round').select(COLUMNS).where('id', id).first()) as Stored | undefined;
  return r ? toRound(r) : null;
}

export async function requireRound(db: Db, id: number): Promise<RoundRow> {
  const r = await roundById(db, id);
  if (!r) throw new DomainError('NOT_FOUND', `No reporting round ${id}`, { http: { status: 404 } });
  return r;
}

/** How many indicators have cells of their own in each scenario. */
const STORED_PER_SCENARIO: Record<Scenario, number> = {
  actual: INDICATORS.filter((d) => isStored(d) && acceptsScenario(d, 'actual')).length,
  target: INDICATORS.filter((d) => isStored(d) && acceptsScenario(d, 'target')).length,
};

/** One expected cell of a union: indicator × year × scenario. */
export interface RequiredCell {
  indicatorCode: string;
  year: number;
  scenario: Scenario;
}

/**
 * The cells the round asks of every union, before its own years are applied: each stored indicator
 * (computed ones, such as coverage, have no cell) in each scenario it has (targets only where TLĐ
 * sets them), actuals only for years up to the round's year (a later year has no actuals yet).
 */
export function requiredCells(round: Pick<RoundRow, 'indicators' | 'years' | 'scenarios' | 'year'>): RequiredCell[] {
  const out: RequiredCell[] = [];
  for (const code of round.indicators) {
    const def = indicator(code);
    if (!def || !isStored(def)) continue;
    for (const scenario of round.scenarios) {
      if (!acceptsScenario(def, scenario)) continue;
      for (const year of round.years) if (scenario === 'target' || year <= round.year) out.push({ indicatorCode: code, year, scenario });
    }
  }
  return out;
}

/** The required cells that fall in a union's own years (a union founded in 2016 owes nothing for 2015). */
export function cellsOfUnion(cells: readonly RequiredCell[], u: { validFrom: number; validTo: number | null }): RequiredCell[] {
  return cells.filter((c) => existsIn(u, c.year));
}

/** How many required cells a union owes, from the count per year (no list per union). */
export function expectedCellCount(perYear: Map<number, number>, u: { validFrom: number; validTo: number | null }): number {
  let n = 0;
  for (const [year, count] of perYear) if (existsIn(u, year)) n += count;
  return n;
}

export function cellsPerYear(cells: readonly RequiredCell[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const c of cells) m.set(c.year, (m.get(c.year) ?? 0) + 1);
  return m;
}

/**
 * The SQL condition (on `f`, a figure row) that it is one of the required cells: one OR branch per
 * scenario, indicator ids and years listed. Bindings follow the text's order.
 */
export function requiredCellsSql(cells: readonly RequiredCell[], ids: Map<string, number>): { sql: string; bindings: (number | string)[] } {
  const groups = new Map<string, { scenario: string; years: number[]; ids: Set<number> }>();
  // Group by scenario and year set: the seeded round has two groups (actuals, targets).
  const byScenarioIndicator = new Map<string, number[]>();
  for (const c of cells) {
    const key = `${c.scenario}|${c.indicatorCode}`;
    (byScenarioIndicator.get(key) ?? byScenarioIndicator.set(key, []).get(key)!).push(c.year);
  }
  for (const [key, years] of byScenarioIndicator) {
    const [scenario, code] = key.split('|') as [string, string];
    const gk = `${scenario}|${years.sort((a, b) => a - b).join(',')}`;
    const g = groups.get(gk) ?? groups.set(gk, { scenario, years, ids: new Set() }).get(gk)!;
    const id = ids.get(code);
    if (id !== undefined) g.ids.add(id);
  }
  const parts: string[] = [];
  const bindings: (number | string)[] = [];
  for (const g of groups.values()) {
    if (g.ids.size === 0) continue;
    // Every stored indicator of the scenario asked: a figure row can be of no other (writes refuse the rest), so no filter.
    const every = g.ids.size === STORED_PER_SCENARIO[g.scenario as Scenario];
    parts.push(`(f.scenario = ?${every ? '' : ` and f.indicator_id in (${[...g.ids].map(() => '?').join(',')})`} and f.year in (${g.years.map(() => '?').join(',')}))`);
    bindings.push(g.scenario, ...(every ? [] : g.ids), ...g.years);
  }
  return { sql: parts.length ? `(${parts.join(' or ')})` : '(1 = 0)', bindings };
}
