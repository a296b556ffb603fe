/** What the caller's grants allow on a row: roles and their operations are schema/'s data. */
import { roleOperations, type Operation } from '@unionhub/schema/roles';
import type { Row } from './types.ts';

export interface Grant {
  role: string;
  path: string;
}

/** The row's ancestors' codes, nearest first, from the rows loaded (a row's parents are always loaded). */
export function ancestorsOf(rows: Map<string, Row>, unionCode: string): string[] {
  const out: string[] = [];
  for (let p = rows.get(unionCode)?.parentCode ?? null; p; p = rows.get(p)?.parentCode ?? null) out.push(p);
  return out;
}

/** A grant on the union or any ancestor whose role includes the operation. */
export function can(grants: Grant[], op: Operation, unionCode: string, ancestors: string[]): boolean {
  const path = [unionCode, ...ancestors];
  return grants.some((g) => path.includes(g.path) && roleOperations(g.role).includes(op));
}

export const canAnywhere = (grants: Grant[], op: Operation): boolean => grants.some((g) => roleOperations(g.role).includes(op));
