/** The chase list: unions late, missing or returned under a root, with their reporters' names and e-mail (reviewers only). */
import type { Access } from './access.js';
import type { Db } from './db.js';
import { DomainError, said } from './errors.js';
import { unionByCode } from './unions.js';
import type { RoundRow } from './round-data.js';
import { NO_CELLS, unitStates, type UnitState } from './round-status.js';

const forbidden = (message: string) => new DomainError('FORBIDDEN', message, { http: { status: 403 }, ...said('auth.forbidden') });

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
  if (!access.can('approve', root.path)) throw forbidden('Only reviewers see whom a round chases');
  const states = (await unitStates(db, round, { root, ...NO_CELLS }, now)).filter((s) => s.status !== 'ON_TIME');
  const contacts = await reportersOf(db, states.map((s) => s.union.id));
  return states.map((state) => ({ state, reporters: contacts.get(state.union.id) ?? [] }));
}

/** The users with a live `reporter` grant on each union (not disabled): one query. */
export async function reportersOf(db: Db, unionIds: number[]): Promise<Map<number, Contact[]>> {
  const out = new Map<number, Contact[]>();
  if (unionIds.length === 0) return out;
  const rows = await db('role_grant as g').join('app_user as a', 'a.id', 'g.user_id')
    .select('g.union_id as unionId', 'a.display_name as name', 'a.email')
    .where('g.role', 'reporter').whereNull('g.revoked_at').andWhere('a.disabled', false)
    .whereIn('g.union_id', unionIds).orderBy('a.display_name');
  for (const r of rows as { unionId: number; name: string; email: string | null }[]) {
    (out.get(Number(r.unionId)) ?? out.set(Number(r.unionId), []).get(Number(r.unionId))!).push({ name: r.name, email: r.email });
  }
  return out;
}

