/**
 * The stress scale: every direct superior union gets its grassroots unions (~125,000 in all),
 * each in one sector, sharing out the parent's figures exactly so the parent still equals the
 * sum of its children. Generated one parent at a time so memory stays flat.
 */
import { FIRST_YEAR, LAST_YEAR, SECTORS } from '@unionhub/schema';
import { CellBlock } from './figures.js';
import type { SeedUnion } from './hierarchy.js';
import { allocate, Random } from './random.js';

/** What a grassroots union reports: its sector's part of these, women, training and funds. */
const SECTOR_SPLIT = ['workers', 'members', 'members.admitted'];
const WITH_WOMEN = ['workers', 'members', 'members.admitted'];
const UNSPLIT = ['officials.trained'];
const TARGETED = ['members', 'members.admitted'];

export interface GrassrootsUnion {
  union: SeedUnion;
  block: CellBlock;
}

export function* grassrootsOf(parent: SeedUnion, pb: CellBlock): Generator<GrassrootsUnion> {
  const last = Math.min(parent.validTo ?? 2017, 2017);
  const n = pb.get('actual', last, 'grassroots');
  if (!(n > 0)) return;
  const r = new Random(`grassroots:${parent.code}`);
  const weights = Array.from({ length: n }, () => r.between(0.3, 3));
  // Each grassroots union sits in one sector; every sector with members gets at least one.
  const perSector = allocate(n - SECTORS.length, parent.sectorMix).map((k) => k + 1);
  const sectorOf: number[] = perSector.flatMap((k, s) => Array<number>(k).fill(s));
  const children: GrassrootsUnion[] = sectorOf.map((s, i) => ({
    union: {
      ...parent,
      code: `${parent.code}-${String(i + 1).padStart(4, '0')}`,
      name: `CĐCS ${['Cơ quan', 'Công ty TNHH MTV', 'Công ty Cổ phần', 'Công ty TNHH', 'Hợp tác xã'][s]} ${parent.name.replace(/^(LĐLĐ|Công đoàn) /, '')} số ${i + 1}`,
      kind: 'grassroots',
      level: 3,
      parentCode: parent.code,
      sortOrder: i,
      weight: weights[i]!,
    },
    block: new CellBlock(),
  }));
  const years = (scenario: 'actual' | 'target') => {
    const out: number[] = [];
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) if (!Number.isNaN(pb.get(scenario, y, 'members'))) out.push(y);
    return out;
  };
  for (const y of years('actual')) {
    for (const code of SECTOR_SPLIT) {
      SECTORS.forEach((sector, s) => {
        const idx = children.map((_, i) => i).filter((i) => sectorOf[i] === s);
        const parts = allocate(Math.max(0, pb.get('actual', y, `${code}.sector.${sector.code}`)), idx.map((i) => weights[i]!));
        idx.forEach((i, k) => {
          children[i]!.block.set('actual', y, code, parts[k]!);
          children[i]!.block.set('actual', y, `${code}.sector.${sector.code}`, parts[k]!);
        });
      });
    }
    for (const code of WITH_WOMEN) {
      const totals = children.map((c) => c.block.get('actual', y, code));
      const women = allocate(Math.min(pb.get('actual', y, `${code}.women`), sum(totals)), totals, totals);
      children.forEach((c, i) => c.block.set('actual', y, `${code}.women`, women[i]!));
    }
    for (const code of UNSPLIT) {
      const parts = allocate(pb.get('actual', y, code), weights);
      children.forEach((c, i) => c.block.set('actual', y, code, parts[i]!));
    }
    const funding = allocate(Math.round(pb.get('actual', y, 'funding') * 10), weights);
    children.forEach((c, i) => c.block.set('actual', y, 'funding', funding[i]! / 10));
  }
  for (const y of years('target')) {
    for (const code of TARGETED) {
      const parts = allocate(pb.get('target', y, code), weights);
      children.forEach((c, i) => c.block.set('target', y, code, parts[i]!));
    }
  }
  yield* children;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
