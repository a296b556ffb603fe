/**
 * The reporting round: completeness of the whole nation for the seeded 2017 round (expected unions,
 * their trail, extensions, and filled/approved cells of every expected union) ÷ one raw SQL count of
 * the same expected cells, filled, over the same unions (tests/round-cells.ts).
 */
import type { Knex } from '@mikro-orm/knex';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { completeness, listRounds } from '../server/src/domain/rounds.js';
import { filledRoundCells } from '../tests/round-cells.js';
import { report, time } from './lib.js';

export async function benchRound(db: Knex): Promise<string[]> {
  const round = (await listRounds(db)).find((r) => r.year === 2017)!;
  const now = new Date('2018-01-05T09:00:00+07:00');
  let last: Awaited<ReturnType<typeof completeness>> | null = null;
  const subject = await time(async () => (last = await completeness(db, SYSTEM_ACCESS, round, 'TLD', now)), 9, 2);
  const baseline = await time(() => filledRoundCells(db, round.year), 9, 2);
  const c = last!;
  return [report('round completeness, whole nation (engine ÷ raw SQL count of the same expected cells)', subject, baseline, '≤ 3×',
    `${c.expected} expected unions (${c.onTime} on time, ${c.late} late, ${c.missing} missing, ${c.returned} returned), ${c.cellsFilled}/${c.cellsExpected} cells filled, ${c.cellsApproved} approved`)];
}
