/**
 * Where the overview stands in the tree: a trail from the caller's own top union down to the root
 * shown. It starts where the caller's grants start (TLĐ for the department, a province for its
 * reviewer or reporter): above that nothing is theirs to read.
 */
import { useState } from 'react';
import { roleOperations, type Operation } from '@unionhub/schema/roles';
import type { Setup } from './useRoundData.ts';

export interface Crumb {
  code: string;
  name: string;
  level: number;
}

type Grants = Setup['me']['grants'];

/** The caller's highest union (the first of the highest level when there are several). */
export function homeOf(grants: Grants): Crumb {
  const top = [...grants].sort((a, b) => a.union.level - b.union.level)[0];
  return top ? { code: top.union.code, name: top.union.name, level: top.union.level } : { code: 'TLD', name: 'TLĐ', level: 0 };
}

/** A grant with the operation on a union of the trail (the root or one above it). */
export function allowedOn(grants: Grants, op: Operation, trail: Crumb[]): boolean {
  return grants.some((g) => trail.some((c) => c.code === g.union.code) && roleOperations(g.role.toLowerCase()).includes(op));
}

export function useTrail(grants: Grants | null) {
  const [drilled, setDrilled] = useState<Crumb[]>([]);
  const trail = grants ? [homeOf(grants), ...drilled] : [];
  return {
    trail,
    root: trail.at(-1) ?? null,
    drill: (c: Crumb) => setDrilled([...drilled, c]),
    /** Back up to the k-th crumb (0: the caller's home). */
    upTo: (k: number) => setDrilled(drilled.slice(0, k)),
  };
}
