/** The planted inconsistencies (seeds/planted.json), applied after the clean figures are built. */
import { readFileSync } from 'node:fs';
import type { CellBlock } from './figures.js';
import type { SeedHierarchy } from './hierarchy.js';

export interface ExpectedDiscrepancy {
  rule: string;
  union: string;
  indicator: string;
  year: number;
}

export interface Plant {
  id: string;
  description: string;
  union: string;
  indicator: string;
  year: number;
  change: { add: number } | { times: number } | { aboveOtherBy: number; other: string };
  propagate: boolean;
  expect: ExpectedDiscrepancy[];
}

export const PLANTS: Plant[] = JSON.parse(readFileSync(new URL('../planted.json', import.meta.url), 'utf8')).plants;

/** Apply every plant to the actual scenario; returns the delta applied per plant. */
export function applyPlants(h: SeedHierarchy, blocks: Map<string, CellBlock>, plants: Plant[] = PLANTS): Map<string, number> {
  const parentOf = new Map(h.unions.map((u) => [u.code, u.parentCode]));
  const deltas = new Map<string, number>();
  for (const plant of plants) {
    const block = blocks.get(plant.union);
    if (!block) throw new Error(`planted union ${plant.union} does not exist`);
    const current = block.get('actual', plant.year, plant.indicator);
    if (Number.isNaN(current)) throw new Error(`planted cell ${plant.id} has no value`);
    const c = plant.change;
    const delta =
      'add' in c ? c.add : 'times' in c ? current * (c.times - 1) : block.get('actual', plant.year, c.other) + c.aboveOtherBy - current;
    deltas.set(plant.id, delta);
    let code: string | null | undefined = plant.union;
    while (code) {
      const b = blocks.get(code)!;
      b.set('actual', plant.year, plant.indicator, b.get('actual', plant.year, plant.indicator) + delta);
      code = plant.propagate ? parentOf.get(code) : null;
    }
  }
  return deltas;
}
