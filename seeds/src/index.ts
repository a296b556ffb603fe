/**
 * Deterministic seed data: the hierarchy, its figures and the planted inconsistencies.
 * Pure data; the server's loader writes it to a database.
 */
import { buildHierarchy, type SeedHierarchy, type SeedUnion } from './hierarchy.js';
import { CellBlock, generateFigures } from './figures.js';
import { applyPlants } from './planted.js';
import { grassrootsOf } from './grassroots.js';

export type Scale = 'national' | 'stress';

export interface SeedData {
  hierarchy: SeedHierarchy;
  blocks: Map<string, CellBlock>;
  /** The plants' applied deltas by plant id. */
  planted: Map<string, number>;
  /** At stress scale, the grassroots unions with their cells, generated lazily. */
  grassroots(): Generator<{ union: SeedUnion; block: CellBlock }>;
}

export function buildSeed(scale: Scale = 'national'): SeedData {
  const hierarchy = buildHierarchy();
  const { blocks } = generateFigures(hierarchy);
  const planted = applyPlants(hierarchy, blocks);
  return {
    hierarchy,
    blocks,
    planted,
    *grassroots() {
      if (scale !== 'stress') return;
      for (const u of hierarchy.unions) if (u.level === 2) yield* grassrootsOf(u, blocks.get(u.code)!);
    },
  };
}

export { ROOT_CODE, type SeedUnion, type SeedHierarchy, type SeedSuccession } from './hierarchy.js';
export { CellBlock, STORED, CALIBRATION, ACTUAL_LAST_YEAR } from './figures.js';
export { PLANTS, type Plant, type ExpectedDiscrepancy } from './planted.js';
export { buildRoundHistory, ROUND_2017, type SeedRoundHistory, type SeedRound, type SeedRoundEvent } from './round.js';
export { SEED_COMMENDATIONS, type SeedCommendation } from './commendations.js';
export { Random } from './random.js';
