/**
 * The round as an edition's cover states it (issue 14): of the root's children that the programme's
 * round expects, how many reported and how many on time at the moment of issue, and which did not.
 */
import { REPORT_PERIOD, roundCoverSentence, UNION_LEVELS } from '@unionhub/schema';
import type { Db } from './db.js';
import { listRounds } from './round-data.js';
import { NO_CELLS, summarise, unitStates } from './round-status.js';
import { unionByCode } from './unions.js';
import { viDateTime } from './report-xlsx.js';

export interface RoundCover {
  roundId: number;
  roundName: string;
  at: string;
  level: number;
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  /** Not reported: missing, or returned and not re-submitted. */
  missing: { code: string; name: string; status: 'MISSING' | 'RETURNED' }[];
  sentence: string;
}

/**
 * The programme's round: a round over the report's period (the latest deadline; on a tie the first
 * opened). Null when there is none, or none of the root's children reports in it.
 */
export async function roundCover(db: Db, rootCode: string, now: Date): Promise<RoundCover | null> {
  const rounds = (await listRounds(db)).filter((r) => r.periodFrom === REPORT_PERIOD.from && r.periodTo === REPORT_PERIOD.to);
  const round = rounds.sort((a, b) => b.deadline.getTime() - a.deadline.getTime() || a.id - b.id)[0];
  if (!round) return null;
  const root = await unionByCode(db, rootCode);
  const level = root.level + 1;
  const states = await unitStates(db, round, { root, minLevel: level, maxLevel: level, ...NO_CELLS }, now);
  if (states.length === 0) return null;
  const { expected, submitted, onTime, late } = summarise(root, states);
  const missing = states.filter((s) => s.status === 'MISSING' || s.status === 'RETURNED')
    .map((s) => ({ code: s.union.code, name: s.union.name, status: s.status as 'MISSING' | 'RETURNED' }));
  const at = now.toISOString();
  const levelLabel = UNION_LEVELS.find((l) => l.level === level)?.labelVi ?? `cấp ${level}`;
  return {
    roundId: round.id, roundName: round.name, at, level, expected, submitted, onTime, late, missing,
    sentence: roundCoverSentence({ roundName: round.name, atText: viDateTime(at), levelLabel, expected, submitted, onTime }),
  };
}
