/** Write the seeded commendation proposals (seeds/src/commendations.ts) as they were decided. */
import { SEED_COMMENDATIONS } from '@unionhub/seeds';
import type { Db } from '../domain/db.js';

export async function seedCommendations(db: Db): Promise<number> {
  const ids = new Map<string, number>(
    (await db('trade_union').select('id', 'code').whereIn('code', SEED_COMMENDATIONS.map((c) => c.unionCode))).map((u: { id: number; code: string }) => [u.code, u.id]),
  );
  const rows = SEED_COMMENDATIONS.map((c) => ({
    root_code: c.rootCode, kind: c.kind, union_id: ids.get(c.unionCode)!, person_name: c.personName, position: c.position, achievement: c.achievement,
    status: c.status, reason: c.reason, proposed_by: c.proposedBy, proposed_at: new Date(c.proposedAt),
    decided_by: c.decidedBy, decided_at: c.decidedAt ? new Date(c.decidedAt) : null,
  }));
  await db('commendation_proposal').insert(rows);
  return rows.length;
}
