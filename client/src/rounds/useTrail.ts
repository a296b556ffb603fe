/**
 * Where the overview stands in the tree: a trail from the caller's own top union down to the root
 * shown. It starts where the caller's grants start (TLĐ for the department, a province for its
 * reviewer or reporter): above that nothing is theirs to read.
 */
import { useState } from 'react';
import type { SetupData } from '../sheet/useSetup.ts';

export interface Crumb {
  code: string;
  name: string;
  level: number;
}

type Grants = SetupData['me']['grants'];

/** The caller's highest union (the first of the highest level when there are several). */
export function homeOf(grants: Grants): Crumb {
  const top = [...grants].sort((a, b) => a.union.level - b.union.level)[0];
  return top ? { code: top.union.code, name: top.union.name, level: top.union.level } : { code: 'TLD', name: 'TLĐ', level: 0 };
}

export function useTrail(grants: Grants) {
  const [drilled, setDrilled] = useState<Crumb[]>([]);
  const trail = [homeOf(grants), ...drilled];
  const root = trail.at(-1)!;
  return {
    trail,
    root,
    /** The root's ancestors on the trail, nearest first (as permissions.ts's `can` takes them). */
    above: trail.slice(0, -1).map((c) => c.code).reverse(),
    drill: (c: Crumb) => setDrilled([...drilled, c]),
    /** Back up to the k-th crumb (0: the caller's home). */
    upTo: (k: number) => setDrilled(drilled.slice(0, k)),
  };
}
