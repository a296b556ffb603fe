/**
 * Write the seeded 2017 reporting round (seeds/src/round.ts) and its history. History is history:
 * the events are written as they happened, whatever blocks a union today (some seeded unions carry
 * planted discrepancies). A few reporters of chased unions are created as contacts; their passwords
 * are random and never shown, so nobody signs in as them.
 */
import { randomBytes } from 'node:crypto';
import { deadlineInstant } from '@unionhub/schema';
import { buildRoundHistory } from '@unionhub/seeds';
import type { SeedHierarchy } from '@unionhub/seeds';
import { insertChunked, type Db } from '../domain/db.js';
import { createUser, grantRole } from '../domain/auth.js';
import { insertRound } from '../domain/round-data.js';

export async function seedRound(db: Db, hierarchy: SeedHierarchy, actor: string): Promise<{ events: number }> {
  const h = buildRoundHistory(hierarchy);
  const r = h.round;
  const ids = new Map<string, number>((await db('trade_union').select('id', 'code')).map((u: { id: number; code: string }) => [u.code, u.id]));
  for (const p of h.reporters) {
    await createUser(db, { username: p.username, displayName: p.displayName, password: randomBytes(18).toString('base64url') });
    await db('app_user').where('username', p.username).update({ email: p.email });
    await grantRole(db, { username: p.username, role: 'reporter', unionCode: p.unionCode }, actor);
  }
  await db.transaction(async (trx) => {
    const roundId = await insertRound(trx, { ...r, deadline: deadlineInstant(r.deadline)!, createdAt: new Date(r.createdAt) });
    await insertChunked(trx, 'round_part', h.parts.map((p) => ({ round_id: roundId, union_id: ids.get(p.unionCode)!, deadline: deadlineInstant(p.deadline)!, set_by: p.setBy, set_at: new Date(p.setAt) })));
    await insertChunked(trx, 'round_extension', h.extensions.map((x) => ({ round_id: roundId, union_id: ids.get(x.unionCode)!, deadline: deadlineInstant(x.deadline)!, reason: x.reason, granted_by: x.grantedBy, granted_at: new Date(x.grantedAt) })));
    await insertChunked(trx, 'unit_submission_event', h.events.map((e) => ({ round_id: roundId, union_id: ids.get(e.unionCode)!, kind: e.kind, at: new Date(e.at), by: e.by, reason: e.reason })));
  });
  return { events: h.events.length };
}
