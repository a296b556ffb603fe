/**
 * What the reconciliation rules read: the hierarchy in memory (cached per database: unions and
 * successions do not change while serving) and the cells, as a map for a re-check or as dense arrays
 * for a full run.
 */
import { FIRST_YEAR, type Scenario } from '@unionhub/schema';
import { cacheKey, existsIn, type Db } from './db.js';
import type { CellSource, Tree, UnitInfo } from './rules.js';

// ---------- the hierarchy as the rules see it (cached: unions do not change while serving) ----------

export class UnionTree implements Tree {
  private readonly byId = new Map<number, UnitInfo>();
  private readonly kids = new Map<number, UnitInfo[]>();
  private readonly preds = new Map<string, number[]>();
  private readonly succs = new Map<string, number[]>();
  constructor(units: UnitInfo[], successions: { predecessorId: number; successorId: number; year: number }[]) {
    for (const u of units) {
      this.byId.set(u.id, u);
      if (u.parentId !== null) (this.kids.get(u.parentId) ?? this.kids.set(u.parentId, []).get(u.parentId)!).push(u);
    }
    for (const s of successions) {
      const p = `${s.successorId}|${s.year}`;
      const q = `${s.predecessorId}|${s.year}`;
      (this.preds.get(p) ?? this.preds.set(p, []).get(p)!).push(s.predecessorId);
      (this.succs.get(q) ?? this.succs.set(q, []).get(q)!).push(s.successorId);
    }
  }
  get units(): UnitInfo[] {
    return [...this.byId.values()];
  }
  unit(id: number) {
    return this.byId.get(id);
  }
  private readonly kidsInYear = new Map<string, UnitInfo[]>();
  children(id: number, year: number) {
    const key = `${id}|${year}`;
    let list = this.kidsInYear.get(key);
    if (!list) {
      list = (this.kids.get(id) ?? []).filter((c) => existsIn(c, year));
      this.kidsInYear.set(key, list);
    }
    return list;
  }
  allChildren(id: number) {
    return this.kids.get(id) ?? [];
  }
  predecessors(id: number, year: number) {
    return this.preds.get(`${id}|${year}`) ?? [];
  }
  successors(id: number, year: number) {
    return this.succs.get(`${id}|${year}`) ?? [];
  }
}

// Unions and successions do not change while serving (they are seeded), so one tree per database.
const trees = new WeakMap<object, Promise<UnionTree>>();
export function loadTree(db: Db): Promise<UnionTree> {
  let t = trees.get(cacheKey(db));
  if (!t) {
    t = (async () => {
      const units: UnitInfo[] = await db('trade_union').select('id', 'code', 'parent_id as parentId', 'valid_from as validFrom', 'valid_to as validTo');
      const successions = await db('union_succession').select('predecessor_id as predecessorId', 'successor_id as successorId', 'year');
      return new UnionTree(units, successions);
    })();
    const key = cacheKey(db);
    trees.set(key, t);
    t.catch(() => trees.delete(key)); // a failed read (say, in an aborted transaction) is not kept
  }
  return t;
}

// ---------- cell sources ----------

/** The cells a re-check read: per union, keyed by a small integer of (indicator, year, scenario) (a string key per lookup was most of a re-check's time). */
export class MapCells implements CellSource {
  private static readonly codes = new Map<string, number>();
  private readonly byUnion = new Map<number, Map<number, number>>();
  /** -1 for a year no cell can have. */
  private static slot(code: string, year: number, scenario: string): number {
    const y = year - 1900;
    if (!Number.isInteger(y) || y < 0 || y > 255) return -1;
    let c = MapCells.codes.get(code);
    if (c === undefined) MapCells.codes.set(code, (c = MapCells.codes.size));
    return (c * 256 + y) * 2 + (scenario === 'actual' ? 0 : 1);
  }
  set(unionId: number, code: string, year: number, scenario: string, value: number | null) {
    const k = MapCells.slot(code, year, scenario);
    if (value === null || k < 0) return;
    let cells = this.byUnion.get(unionId);
    if (!cells) this.byUnion.set(unionId, (cells = new Map()));
    cells.set(k, value);
  }
  value(unionId: number, code: string, year: number, scenario: Scenario) {
    return this.byUnion.get(unionId)?.get(MapCells.slot(code, year, scenario));
  }
  /** A cell as a write leaves it, whatever was read (null: no value). */
  put(unionId: number, code: string, year: number, scenario: string, value: number | null) {
    if (value === null) this.byUnion.get(unionId)?.delete(MapCells.slot(code, year, scenario));
    else this.set(unionId, code, year, scenario, value);
  }
}

/** Every cell, for a full run: per indicator, one Float64Array over the unions per year × scenario. */
export class DenseCells implements CellSource {
  private readonly slotOf: Int32Array;
  private readonly size: number;
  private readonly byCode = new Map<string, (Float64Array | undefined)[]>();
  // A sum over children asks one indicator again and again: its arrays are kept from the last ask.
  private lastCode: string | undefined;
  private lastArrays: (Float64Array | undefined)[] | undefined;
  constructor(unitIds: number[]) {
    this.slotOf = new Int32Array(unitIds.reduce((m, id) => Math.max(m, id), 0) + 1).fill(-1);
    unitIds.forEach((id, i) => (this.slotOf[id] = i));
    this.size = unitIds.length;
  }
  private static at(year: number, scenario: string): number {
    return (year - FIRST_YEAR) * 2 + (scenario === 'actual' ? 0 : 1);
  }
  set(unionId: number, code: string, year: number, scenario: string, value: number | null) {
    if (value === null) return;
    let arrays = this.byCode.get(code);
    if (!arrays) {
      this.byCode.set(code, (arrays = []));
      this.lastCode = undefined;
    }
    const k = DenseCells.at(year, scenario);
    let a = arrays[k];
    if (!a) arrays[k] = a = new Float64Array(this.size).fill(Number.NaN);
    a[this.slotOf[unionId]!] = value;
  }
  value(unionId: number, code: string, year: number, scenario: Scenario) {
    if (code !== this.lastCode) {
      this.lastCode = code;
      this.lastArrays = this.byCode.get(code);
    }
    const a = this.lastArrays?.[DenseCells.at(year, scenario)];
    if (!a || unionId >= this.slotOf.length) return undefined;
    const v = a[this.slotOf[unionId]!];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  }
  combos(): { year: number; scenario: Scenario }[] {
    const seen = new Set<number>();
    for (const arrays of this.byCode.values()) arrays.forEach((a, k) => a && seen.add(k));
    return [...seen].sort((a, b) => a - b).map((k) => ({ year: FIRST_YEAR + (k >> 1), scenario: k % 2 ? 'target' : 'actual' }));
  }
}
