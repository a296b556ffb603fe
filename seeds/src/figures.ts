/**
 * Figures, generated at the leaves and summed up the tree so every parent equals its
 * children (per year, over that year's tree) and every stock balances with its flows.
 * National totals for 2014 are exactly the public ones (DOMAIN.md): 8,558,063 members,
 * 655,300 admitted, 119,342 grassroots unions, 4,792 founded.
 */
import { FIRST_YEAR, INDICATORS, LAST_YEAR, SECTORS, isStored, type Scenario } from '@unionhub/schema';
import { allocate, Random } from './random.js';
import type { SeedHierarchy, SeedUnion } from './hierarchy.js';

export const ACTUAL_LAST_YEAR = 2017;
export const CALIBRATION = { year: 2014, members: 8_558_063, admitted: 655_300, grassroots: 119_342, founded: 4_792 };

export const STORED = INDICATORS.filter(isStored);
const NI = STORED.length;
const NY = LAST_YEAR - FIRST_YEAR + 1;
const col = new Map(STORED.map((d, i) => [d.code, i]));

export function indicatorIndex(code: string): number {
  const i = col.get(code);
  if (i === undefined) throw new Error(`unknown stored indicator ${code}`);
  return i;
}

/** All of one union's cells: [scenario][year][indicator], NaN where there is no figure. */
export class CellBlock {
  readonly data = new Float64Array(2 * NY * NI).fill(Number.NaN);
  static offset(scenario: Scenario, year: number, indicator: string): number {
    return ((scenario === 'actual' ? 0 : 1) * NY + (year - FIRST_YEAR)) * NI + indicatorIndex(indicator);
  }
  get(scenario: Scenario, year: number, indicator: string): number {
    return this.data[CellBlock.offset(scenario, year, indicator)]!;
  }
  set(scenario: Scenario, year: number, indicator: string, value: number): void {
    this.data[CellBlock.offset(scenario, year, indicator)] = value;
  }
  addInto(target: CellBlock): void {
    const d = this.data;
    const t = target.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (Number.isNaN(v)) continue;
      // Round away binary noise from summing one-decimal amounts (funding).
      t[i] = Number.isNaN(t[i]!) ? v : Math.round((t[i]! + v) * 1e4) / 1e4;
    }
  }
  /** Visit every present cell. */
  forEach(fn: (scenario: Scenario, year: number, indicatorIdx: number, value: number) => void): void {
    const d = this.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (Number.isNaN(v)) continue;
      const ind = i % NI;
      const rest = (i - ind) / NI;
      const y = rest % NY;
      fn(rest >= NY ? 'target' : 'actual', FIRST_YEAR + y, ind, v);
    }
  }
}

const SECTOR_CODES = SECTORS.map((s) => s.code);

/** Stocks at the end of the year before a unit's first year. */
interface Opening {
  members: number;
  grassroots: number;
}

interface LeafParams {
  admittedRate: number; // admitted / members
  leftShare: number; // left / admitted
  trend: number; // yearly growth of admissions
  foundedRate: number; // founded / grassroots
  dissolvedShare: number; // dissolved / founded
  membershipRate: number; // members / workers
  womenShare: number;
  eligiblePerUnion: number;
  coverage: number;
  coverageStep: number;
  trainedPerUnion: number;
  fundingPerMember: number; // million VND per member
  gradeMix: number[]; // strong, fair, average, weak
  targetAmbition: number[]; // per year 2013–2017
}

function leafParams(u: SeedUnion): LeafParams {
  const r = new Random(`params:${u.code}`);
  const industrial = u.kind === 'industrial_zone_union';
  return {
    admittedRate: r.between(0.06, 0.095) * (industrial ? 1.4 : 1),
    leftShare: r.between(0.36, 0.56) * (industrial ? 1.2 : 1),
    trend: r.between(-0.01, 0.035),
    foundedRate: r.between(0.03, 0.05) * (industrial ? 1.5 : 1),
    dissolvedShare: r.between(0.25, 0.55),
    membershipRate: r.between(0.55, 0.88),
    womenShare: industrial ? r.between(0.6, 0.75) : r.between(0.42, 0.62),
    eligiblePerUnion: industrial ? r.between(0.9, 1.2) : r.between(0.25, 0.7),
    coverage: r.between(0.45, 0.8),
    coverageStep: r.between(0.005, 0.02),
    trainedPerUnion: r.between(1.5, 3),
    fundingPerMember: r.between(0.002, 0.006),
    gradeMix: [r.between(0.62, 0.8), r.between(0.12, 0.25), r.between(0.03, 0.08), r.between(0.01, 0.04)],
    targetAmbition: Array.from({ length: 5 }, () => r.between(-0.04, 0.08)),
  };
}

/** Set a total and its sector parts (largest remainder over the unit's mix, jittered per year). */
function setWithSectors(b: CellBlock, s: Scenario, y: number, code: string, value: number, mix: number[], r: Random): void {
  b.set(s, y, code, value);
  const parts = allocate(value, mix.map((m) => m * r.noise(0.03)));
  SECTOR_CODES.forEach((sc, i) => b.set(s, y, `${code}.sector.${sc}`, parts[i]!));
}

/** Actual figures of one leaf for its valid years, starting from the stocks it opens with. */
interface Flows {
  admitted: number;
  left: number;
  founded: number;
  dissolved: number;
}

function generateActual(u: SeedUnion, b: CellBlock, open: Opening, first: number, pinned = new Map<number, Flows>()): void {
  const p = leafParams(u);
  const r = new Random(`actual:${u.code}`);
  const last = Math.min(u.validTo ?? ACTUAL_LAST_YEAR, ACTUAL_LAST_YEAR);
  let members = open.members;
  let grassroots = open.grassroots;
  const baseAdmitted = pinned.get(2014)?.admitted ?? open.members * p.admittedRate;
  const baseFounded = pinned.get(2014)?.founded ?? open.grassroots * p.foundedRate;
  for (let y = first; y <= last; y++) {
    const k = y - 2014;
    const pin = pinned.get(y);
    const admitted = pin?.admitted ?? Math.round(baseAdmitted * (1 + p.trend) ** k * r.noise(0.04));
    const left = pin?.left ?? Math.round(admitted * p.leftShare * r.noise(0.04));
    const founded = pin?.founded ?? Math.round(baseFounded * (1 + p.trend) ** k * r.noise(0.04));
    const dissolved = pin?.dissolved ?? Math.min(Math.round(founded * p.dissolvedShare * r.noise(0.05)), grassroots);
    members += admitted - left;
    grassroots += founded - dissolved;
    setWithSectors(b, 'actual', y, 'members', members, u.sectorMix, r);
    b.set('actual', y, 'members.women', Math.round(members * p.womenShare * r.noise(0.01)));
    setWithSectors(b, 'actual', y, 'members.admitted', admitted, u.sectorMix, r);
    b.set('actual', y, 'members.admitted.women', Math.round(admitted * p.womenShare * r.noise(0.02)));
    b.set('actual', y, 'members.left', left);
    const workers = Math.round(members / (p.membershipRate * r.noise(0.01)));
    setWithSectors(b, 'actual', y, 'workers', workers, u.sectorMix, r);
    b.set('actual', y, 'workers.women', Math.round(workers * p.womenShare * r.noise(0.01)));
    setWithSectors(b, 'actual', y, 'grassroots', grassroots, u.sectorMix, r);
    setWithSectors(b, 'actual', y, 'grassroots.founded', founded, u.sectorMix, r);
    b.set('actual', y, 'grassroots.dissolved', dissolved);
    const eligible = Math.round(grassroots * p.eligiblePerUnion * r.noise(0.02));
    const coverage = Math.min(0.97, p.coverage + p.coverageStep * (y - FIRST_YEAR));
    b.set('actual', y, 'enterprises.eligible', eligible);
    b.set('actual', y, 'enterprises.unionised', Math.min(eligible, Math.round(eligible * coverage)));
    // New unions are not graded in their first year; the rest are graded by the unit's mix.
    const ungraded = Math.min(founded, grassroots);
    const grades = allocate(grassroots - ungraded, p.gradeMix.map((g) => g * r.noise(0.05)));
    ['grade.strong', 'grade.fair', 'grade.average', 'grade.weak'].forEach((g, i) => b.set('actual', y, g, grades[i]!));
    b.set('actual', y, 'grade.ungraded', ungraded);
    b.set('actual', y, 'officials.trained', Math.round(grassroots * p.trainedPerUnion * r.noise(0.04)));
    b.set('actual', y, 'funding', Math.round(members * p.fundingPerMember * r.noise(0.04) * 10) / 10);
  }
}

const TARGETED_STORED = STORED.filter((d) => d.targeted).map((d) => d.code);

/** Targets assigned by TLĐ: around the actuals for 2013–2017, then a plan for 2018–2023. */
function generateTargets(u: SeedUnion, b: CellBlock): void {
  const p = leafParams(u);
  const r = new Random(`target:${u.code}`);
  const from = u.validFrom;
  const to = u.validTo ?? LAST_YEAR;
  for (let y = from; y <= Math.min(to, ACTUAL_LAST_YEAR); y++) {
    const ambition = 1 + p.targetAmbition[y - FIRST_YEAR]!;
    for (const code of TARGETED_STORED) {
      const actual = b.get('actual', y, code);
      b.set('target', y, code, Math.round(actual * ambition * (code === 'enterprises.eligible' ? 1 : r.noise(0.01))));
    }
    b.set('target', y, 'enterprises.unionised', Math.min(b.get('target', y, 'enterprises.unionised'), b.get('target', y, 'enterprises.eligible')));
  }
  if (to <= ACTUAL_LAST_YEAR) return;
  const base = (code: string) => b.get('actual', ACTUAL_LAST_YEAR, code);
  for (let y = ACTUAL_LAST_YEAR + 1; y <= to; y++) {
    const k = y - ACTUAL_LAST_YEAR;
    b.set('target', y, 'members', Math.round(base('members') * 1.035 ** k));
    b.set('target', y, 'members.admitted', Math.round(base('members.admitted') * 1.02 ** k));
    b.set('target', y, 'grassroots', Math.round(base('grassroots') * 1.012 ** k));
    b.set('target', y, 'grassroots.founded', Math.round(base('grassroots.founded') * 1.01 ** k));
    const eligible = Math.round(base('enterprises.eligible') * 1.02 ** k);
    b.set('target', y, 'enterprises.eligible', eligible);
    const coverage = Math.min(0.95, base('enterprises.unionised') / Math.max(1, base('enterprises.eligible')) + 0.02 * k);
    b.set('target', y, 'enterprises.unionised', Math.round(eligible * coverage));
    b.set('target', y, 'officials.trained', Math.round(base('officials.trained') * 1.03 ** k));
  }
}

export interface GeneratedFigures {
  blocks: Map<string, CellBlock>;
}

/**
 * Generate every union's cells. Leaves valid in the calibration year share the national
 * totals; successors of a merge or split open with their predecessors' closing stocks.
 */
export function generateFigures(h: SeedHierarchy): GeneratedFigures {
  const children = new Map<string, SeedUnion[]>();
  for (const u of h.unions) if (u.parentCode) (children.get(u.parentCode) ?? children.set(u.parentCode, []).get(u.parentCode)!).push(u);
  const leaves = h.unions.filter((u) => !children.has(u.code));
  const blocks = new Map<string, CellBlock>(h.unions.map((u) => [u.code, new CellBlock()]));

  const y0 = CALIBRATION.year;
  const original = leaves.filter((u) => u.validFrom <= y0 && (u.validTo ?? Infinity) >= y0);
  const weights = original.map((u) => u.weight);
  const members = allocate(CALIBRATION.members, weights);
  const grassroots = allocate(CALIBRATION.grassroots, weights.map((w, i) => w * new Random(`g:${original[i]!.code}`).between(0.7, 1.4)));
  const admitted = allocate(CALIBRATION.admitted, original.map((u, i) => members[i]! * leafParams(u).admittedRate));
  const founded = allocate(CALIBRATION.founded, original.map((u, i) => grassroots[i]! * leafParams(u).foundedRate));
  original.forEach((u, i) => {
    const p = leafParams(u);
    const r = new Random(`open:${u.code}`);
    const f2014: Flows = {
      admitted: admitted[i]!,
      left: Math.round(admitted[i]! * p.leftShare * r.noise(0.04)),
      founded: founded[i]!,
      dissolved: Math.round(founded[i]! * p.dissolvedShare * r.noise(0.05)),
    };
    // Stocks at the end of 2013 such that 2014 closes exactly on the calibrated stock,
    // and 2013's own flows drawn around the same rates so 2012's close follows.
    const close2013 = { members: members[i]! - f2014.admitted + f2014.left, grassroots: grassroots[i]! - f2014.founded + f2014.dissolved };
    const a13 = Math.round(f2014.admitted / ((1 + p.trend) * r.noise(0.03)));
    const fo13 = Math.round(f2014.founded / ((1 + p.trend) * r.noise(0.03)));
    const f2013: Flows = {
      admitted: a13,
      left: Math.round(a13 * p.leftShare * r.noise(0.04)),
      founded: fo13,
      dissolved: Math.round(fo13 * p.dissolvedShare * r.noise(0.05)),
    };
    const open = {
      members: close2013.members - f2013.admitted + f2013.left,
      grassroots: close2013.grassroots - f2013.founded + f2013.dissolved,
    };
    generateActual(u, blocks.get(u.code)!, open, FIRST_YEAR, new Map([[2013, f2013], [2014, f2014]]));
  });

  // Successors, in the order they appear (their predecessors are already generated).
  for (const u of leaves.filter((l) => l.validFrom > y0)) {
    const preds = h.successions.filter((s) => s.successor === u.code);
    const open = { members: 0, grassroots: 0 };
    for (const s of preds) {
      const pb = blocks.get(s.predecessor)!;
      const share = shareOf(h, s.predecessor, u.code);
      open.members += share(pb.get('actual', s.year - 1, 'members'));
      open.grassroots += share(pb.get('actual', s.year - 1, 'grassroots'));
    }
    generateActual(u, blocks.get(u.code)!, open, u.validFrom);
  }
  for (const u of leaves) generateTargets(u, blocks.get(u.code)!);

  // Sum bottom-up: parents are processed after all their children (deepest level first).
  const byLevel = [...h.unions].sort((a, b) => b.level - a.level);
  const byCode = new Map(h.unions.map((u) => [u.code, u]));
  for (const u of byLevel) {
    if (!u.parentCode) continue;
    const parent = byCode.get(u.parentCode)!;
    const child = blocks.get(u.code)!;
    const target = blocks.get(parent.code)!;
    child.addInto(target);
  }
  return { blocks };
}

/** How a predecessor's closing stock is shared among its successors (a split shares by weight). */
function shareOf(h: SeedHierarchy, predecessor: string, successor: string): (stock: number) => number {
  const succ = h.successions.filter((s) => s.predecessor === predecessor).map((s) => s.successor);
  if (succ.length === 1) return (stock) => stock;
  const weights = succ.map((c) => h.unions.find((u) => u.code === c)!.weight);
  const idx = succ.indexOf(successor);
  return (stock) => allocate(stock, weights)[idx]!;
}
