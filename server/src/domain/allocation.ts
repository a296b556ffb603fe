/**
 * Allocating a goal for the plan's last year down the tree (issue 16). Pure: no database here.
 *
 * Each parent's whole-number total is shared among its children by the key (ALLOCATION_KEYS) and
 * rounded by the largest remainder, ties to the lower union code, so the children sum exactly to
 * the parent at every node. The years between the base year and the goal follow the chosen path:
 * each union's real-valued path value is its quota, and every year's parent total is shared among
 * its children by the same largest remainder — so every year, too, sums exactly at every node, and
 * the last year equals the allocation itself (its quotas are already whole and sum to the parent).
 * Where a key has no data for a union, the union says so in its notes (ALLOCATION_NOTES).
 */
import { ALLOCATION_YEARS, type AllocationKeyCode, type AllocationNoteCode, type AllocationPathCode } from '@unionhub/schema';

export interface AllocationUnit {
  code: string;
  parentCode: string | null;
  /** The goal indicator's approved base-year value; null when there is none. */
  base: number | null;
  /** The key's datum for a weight key (forecast workers, base-year members); null when there is none. */
  keyValue: number | null;
}

export interface AllocationInput {
  units: readonly AllocationUnit[];
  root: string;
  /** A whole number ≥ 0 for the root in the plan's last year. */
  goal: number;
  key: AllocationKeyCode;
  path?: AllocationPathCode;
}

export interface AllocatedUnit {
  code: string;
  parentCode: string | null;
  depth: number;
  base: number | null;
  allocated: number;
  /** Whole numbers for ALLOCATION_YEARS.from–to; the last is `allocated`. */
  years: { year: number; value: number }[];
  /** Mean change per year from the base to the allocation (null without a base). */
  growthPerYear: number | null;
  /** Compound growth rate per year, in % (null without a positive base). */
  growthRate: number | null;
  notes: AllocationNoteCode[];
}

interface Quota {
  code: string;
  quota: number;
}

/**
 * `total` shared in proportion to the quotas (equally when they sum to nothing), each share whole:
 * the floors first, then one more to the largest remainders, ties to the lower code.
 */
export function largestRemainder(total: number, quotas: readonly Quota[]): Map<string, number> {
  const out = new Map<string, number>();
  if (quotas.length === 0) return out;
  const sum = quotas.reduce((s, q) => s + q.quota, 0);
  const scaled = quotas.map((q) => ({ code: q.code, value: sum > 0 ? (q.quota * total) / sum : total / quotas.length }));
  // Remainders compared to 1e-9: 516.67 and 216.67 tie as on paper, whatever the floating error says.
  const parts = scaled.map((s) => ({ code: s.code, whole: Math.floor(s.value), rest: Math.round((s.value - Math.floor(s.value)) * 1e9) }));
  let left = total - parts.reduce((s, p) => s + p.whole, 0);
  parts.sort((a, b) => b.rest - a.rest || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  // Floating error may leave the floors one off the total either way; the same order settles it.
  for (let i = 0; left > 0; i = (i + 1) % parts.length, left--) parts[i]!.whole++;
  for (let i = parts.length - 1; left < 0; i = (i - 1 + parts.length) % parts.length) {
    if (parts[i]!.whole > 0) {
      parts[i]!.whole--;
      left++;
    }
  }
  for (const p of parts) out.set(p.code, p.whole);
  return out;
}

const usable = (v: number | null): v is number => v !== null && Number.isFinite(v) && v >= 0;

/** The children's quotas of `total` by a weight key, with the notes of those the key says nothing of. */
function weightQuotas(total: number, children: readonly AllocationUnit[], notes: Map<string, AllocationNoteCode[]>): Quota[] {
  const known = children.filter((c) => usable(c.keyValue));
  if (known.length === 0) {
    for (const c of children) notes.get(c.code)!.push('noKeyDataAll');
    return children.map((c) => ({ code: c.code, quota: 1 }));
  }
  const mean = known.reduce((s, c) => s + c.keyValue!, 0) / known.length;
  if (mean === 0) {
    for (const c of children) notes.get(c.code)!.push('zeroKeyAll');
    return children.map((c) => ({ code: c.code, quota: 1 }));
  }
  return children.map((c) => {
    if (usable(c.keyValue)) return { code: c.code, quota: c.keyValue };
    notes.get(c.code)!.push('noKeyData');
    return { code: c.code, quota: mean };
  });
}

/** Equal growth: each child's base plus an equal part of the change; a child the decline would take below zero stays at zero. */
function equalGrowthQuotas(total: number, children: readonly AllocationUnit[], notes: Map<string, AllocationNoteCode[]>): Quota[] {
  const known = children.filter((c) => usable(c.base));
  const mean = known.length ? known.reduce((s, c) => s + c.base!, 0) / known.length : 0;
  const bases = new Map(children.map((c) => {
    if (!usable(c.base)) notes.get(c.code)!.push(known.length ? 'noKeyData' : 'noKeyDataAll');
    return [c.code, usable(c.base) ? c.base : mean];
  }));
  const zero = new Set<string>();
  for (;;) {
    const rest = children.filter((c) => !zero.has(c.code));
    const delta = (total - rest.reduce((s, c) => s + bases.get(c.code)!, 0)) / rest.length;
    const below = rest.filter((c) => bases.get(c.code)! + delta < 0);
    if (below.length === 0) return children.map((c) => ({ code: c.code, quota: zero.has(c.code) ? 0 : bases.get(c.code)! + delta }));
    for (const c of below) {
      zero.add(c.code);
      notes.get(c.code)!.push('belowZero');
    }
  }
}

/** A union's real-valued path from its base to its allocation, at `year`. */
function pathValue(path: AllocationPathCode, base: number, allocated: number, year: number): number {
  const t = (year - ALLOCATION_YEARS.base) / (ALLOCATION_YEARS.to - ALLOCATION_YEARS.base);
  if (path === 'compound' && base > 0 && allocated > 0) return base * (allocated / base) ** t;
  return base + (allocated - base) * t;
}

const PLAN_YEARS: readonly number[] = Array.from({ length: ALLOCATION_YEARS.to - ALLOCATION_YEARS.from + 1 }, (_, i) => ALLOCATION_YEARS.from + i);

/**
 * Allocate `goal` from `root` down through every descendant in `units`, in tree order (parents
 * before children, siblings by code). Units not under the root are ignored.
 */
export function allocate(input: AllocationInput): AllocatedUnit[] {
  const path = input.path ?? 'linear';
  const byCode = new Map(input.units.map((u) => [u.code, u]));
  const root = byCode.get(input.root);
  if (!root) throw new Error(`allocate: the root ${input.root} is not among the units`);
  const kids = new Map<string, AllocationUnit[]>();
  for (const u of input.units) if (u.parentCode !== null && byCode.has(u.parentCode)) (kids.get(u.parentCode) ?? kids.set(u.parentCode, []).get(u.parentCode)!).push(u);
  for (const list of kids.values()) list.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const notes = new Map<string, AllocationNoteCode[]>([[root.code, []]]);
  const allocated = new Map<string, number>([[root.code, input.goal]]);
  // The base each union's path starts from: its own, or (without one) its parent's proportion.
  const effectiveBase = new Map<string, number>();
  const yearValues = new Map<string, Map<number, number>>();
  const out: AllocatedUnit[] = [];

  if (usable(root.base)) effectiveBase.set(root.code, root.base);
  else {
    notes.get(root.code)!.push('noBase');
    effectiveBase.set(root.code, input.goal);
  }
  yearValues.set(root.code, new Map(PLAN_YEARS.map((y) => [y, y === ALLOCATION_YEARS.to ? input.goal : Math.round(pathValue(path, effectiveBase.get(root.code)!, input.goal, y))])));
  if (path === 'compound' && effectiveBase.get(root.code) === 0 && input.goal > 0) notes.get(root.code)!.push('compoundFromZero');

  const visit = (u: AllocationUnit, depth: number) => {
    const total = allocated.get(u.code)!;
    const years = yearValues.get(u.code)!;
    const base = usable(u.base) ? u.base : null;
    out.push({
      code: u.code, parentCode: u.parentCode, depth, base, allocated: total,
      years: PLAN_YEARS.map((year) => ({ year, value: years.get(year)! })),
      growthPerYear: base === null ? null : (total - base) / (ALLOCATION_YEARS.to - ALLOCATION_YEARS.base),
      growthRate: base === null || base === 0 ? null : ((total / base) ** (1 / (ALLOCATION_YEARS.to - ALLOCATION_YEARS.base)) - 1) * 100,
      notes: notes.get(u.code)!,
    });
    const children = kids.get(u.code) ?? [];
    if (children.length === 0) return;
    for (const c of children) notes.set(c.code, []);
    const quotas = input.key === 'equalGrowth' ? equalGrowthQuotas(total, children, notes) : weightQuotas(total, children, notes);
    const shares = largestRemainder(total, quotas);
    const parentBase = effectiveBase.get(u.code)!;
    for (const c of children) {
      const share = shares.get(c.code)!;
      allocated.set(c.code, share);
      if (usable(c.base)) effectiveBase.set(c.code, c.base);
      else {
        if (!notes.get(c.code)!.includes('noBase')) notes.get(c.code)!.push('noBase');
        effectiveBase.set(c.code, total > 0 ? (share * parentBase) / total : 0);
      }
      if (path === 'compound' && effectiveBase.get(c.code) === 0 && share > 0) notes.get(c.code)!.push('compoundFromZero');
      yearValues.set(c.code, new Map());
    }
    for (const year of PLAN_YEARS) {
      const yearShares = largestRemainder(years.get(year)!, children.map((c) => ({ code: c.code, quota: pathValue(path, effectiveBase.get(c.code)!, allocated.get(c.code)!, year) })));
      for (const c of children) yearValues.get(c.code)!.set(year, yearShares.get(c.code)!);
    }
    for (const c of children) visit(c, depth + 1);
  };
  visit(root, 0);
  return out;
}
