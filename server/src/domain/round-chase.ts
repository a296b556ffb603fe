/** The chase list: unions late, missing or returned under a root, with their reporters' names and e-mail (reviewers only). */
import type { Access } from './access.js';
import type { Db } from './db.js';
import { recipientsOf } from './notifications.js';
import { unionByCode } from './unions.js';
import type { RoundRow } from './round-data.js';
import { NO_CELLS, unitStates, type UnitState } from './round-status.js';

export interface Contact {
  name: string;
  email: string | null;
}

export interface ChaseEntry {
  state: UnitState;
  reporters: Contact[];
}

/** Late, missing and returned unions under the root with their reporters; only for reviewers (approve) of the root. */
export async function chaseList(db: Db, access: Access, round: RoundRow, rootCode: string, now: Date): Promise<ChaseEntry[]> {
  const root = await unionByCode(db, rootCode);
  access.require('approve', root.path, 'Only reviewers see whom a round chases');
  const states = (await unitStates(db, round, { root, ...NO_CELLS }, now)).filter((s) => s.status !== 'ON_TIME');
  const contacts = await recipientsOf(db, states.map((s) => s.union.code));
  return states.map((state) => ({ state, reporters: contacts.get(state.union.code) ?? [] }));
}
