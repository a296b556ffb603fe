/**
 * Commendation proposals (khen thưởng, issue 15): a collective (a union below the list's root) or an
 * individual (name, position, union, achievement) proposed in a root's list by a reporter or reviewer
 * of the union or above; decided once by a reviewer above it — approved, or rejected with a reason.
 * Each cites the root's ranking for commendation from approved figures: the row the union (or the
 * individual's unit on the way down from the root) is in, its rank and % achieved of the first key.
 */
import { COMMENDATION_LIMITS, COMMENDATION_RULES, type CommendationKind, type CommendationRecord, type CommendationStatus, type Operation } from '@unionhub/schema';
import { forbidden, type Access } from './access.js';
import { insertedId, isoTime, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import type { WithEvents } from './events.js';
import { assembleRanking, ownAchieved, type RankingRow } from './report.js';
import { unionByCode, unionsByIds, type UnionRow } from './unions.js';

export interface ProposalRow extends CommendationRecord {
  id: number;
  union: UnionRow;
}

/** A proposal with what it cites of the ranking. */
export interface CitedProposal extends ProposalRow {
  rank: number | null;
  percentAchieved: number | null;
}

/** An approved proposal as an edition's annex freezes it. */
export interface AnnexEntry {
  kind: CommendationKind;
  unionCode: string;
  unionName: string;
  personName: string | null;
  position: string | null;
  achievement: string;
  rank: number | null;
  percentAchieved: number | null;
  proposedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface ProposeInput {
  root: string;
  kind: CommendationKind;
  unionCode: string;
  personName?: string | null;
  position?: string | null;
  achievement: string;
}

const invalid = (message: string, fields: string[], why: ReturnType<typeof said>) => new DomainError('VALIDATION', message, { http: { status: 400 }, fields, ...why });

const COLUMNS = [
  'id', 'root_code as rootCode', 'kind', 'union_id as unionId', 'person_name as personName', 'position', 'achievement', 'status', 'reason',
  'proposed_by as proposedBy', 'proposed_at as proposedAt', 'decided_by as decidedBy', 'decided_at as decidedAt',
];
type Stored = Omit<ProposalRow, 'union'> & { unionId: number };

async function withUnions(db: Db, rows: Stored[]): Promise<ProposalRow[]> {
  const unions = new Map((await unionsByIds(db, rows.map((r) => r.unionId))).map((u) => [u.id, u]));
  return rows.map(({ unionId, ...r }) => ({
    ...r, union: unions.get(unionId)!, proposedAt: isoTime(r.proposedAt), decidedAt: r.decidedAt === null ? null : isoTime(r.decidedAt),
  }));
}

/** What the caller may see of a proposal: all where it reads unapproved data, an approved one where it reads the union. */
const visible = (access: Access, p: ProposalRow) => access.readsUnapproved(p.union.path) || (p.status === 'APPROVED' && access.reads(p.union.path));

/** The ranking row a proposal cites: a collective's own row, an individual's unit on the way down from the root. */
function rowOf(rows: RankingRow[], p: Pick<ProposalRow, 'kind' | 'union'>): RankingRow | undefined {
  if (p.kind === 'COLLECTIVE') return rows.find((r) => r.codes.includes(p.union.code));
  const codes = p.union.path.split('/').filter(Boolean);
  return rows.find((r) => r.codes.some((c) => codes.includes(c)));
}

/**
 * The citations of a root's proposals from a ranking (the live one, or an edition's): a union that is
 * no row (a collective further down) cites its own % achieved and no rank.
 */
export async function cite(db: Db, access: Access, rows: RankingRow[], proposals: ProposalRow[]): Promise<CitedProposal[]> {
  const out: CitedProposal[] = [];
  for (const p of proposals) {
    const row = rowOf(rows, p);
    out.push({ ...p, rank: row?.rank ?? null, percentAchieved: row ? row.percent : p.kind === 'COLLECTIVE' ? await ownAchieved(db, p.union, access) : null });
  }
  return out;
}

/** The proposals of a root's list the caller may see, in the order proposed, citing the ranking as the approved figures stand. */
export async function listProposals(db: Db, access: Access, rootCode: string, opts: { status?: CommendationStatus } = {}): Promise<CitedProposal[]> {
  const root = await unionByCode(db, rootCode);
  const q = db('commendation_proposal').select(COLUMNS).where('root_code', root.code).orderBy('id').limit(COMMENDATION_LIMITS.listed);
  if (opts.status) q.where('status', opts.status);
  const rows = (await withUnions(db, await q)).filter((p) => visible(access, p));
  if (rows.length === 0) return [];
  return cite(db, access, await assembleRanking(db, root, access), rows);
}

/** One proposal the caller may see, or NOT_FOUND. */
async function proposalById(db: Db, access: Access, id: number): Promise<ProposalRow> {
  const r = Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? await db('commendation_proposal').select(COLUMNS).where('id', id).first() : undefined;
  const [p] = r ? await withUnions(db, [r as Stored]) : [];
  if (!p || !visible(access, p)) throw new DomainError('NOT_FOUND', `No commendation proposal ${id} that you may read`, said('commendation.notFound', { id }));
  return p;
}

async function cited(db: Db, access: Access, p: ProposalRow): Promise<CitedProposal> {
  const root = await unionByCode(db, p.rootCode);
  return (await cite(db, access, await assembleRanking(db, root, access), [p]))[0]!;
}

/** A reporter or reviewer of the union or above proposes it, or a person in it, in the root's list. */
export async function propose(db: Db, access: Access, input: ProposeInput, now: Date): Promise<{ proposal: CitedProposal } & WithEvents> {
  const root = await unionByCode(db, input.root);
  const union = await unionByCode(db, input.unionCode).catch(() => {
    throw invalid(`Unknown union "${input.unionCode}"`, ['unionCode'], said('union.unknown', { union: input.unionCode }));
  });
  const below = union.path.startsWith(root.path) && (input.kind === 'INDIVIDUAL' || union.id !== root.id);
  if (!below) throw invalid(`${union.name} is not a union below ${root.name}`, ['unionCode'], said('commendation.outsideRoot', { unionName: union.name, rootName: root.name }));
  if (!COMMENDATION_RULES.proposeOperations.some((op: Operation) => access.can(op, union.path))) {
    throw forbidden(`Your roles do not allow proposing ${union.name} for commendation`, said('commendation.forbidden', { unionName: union.name }));
  }
  const personName = input.personName?.trim() || null;
  const position = input.position?.trim() || null;
  const achievement = input.achievement.trim();
  if (input.kind === 'INDIVIDUAL' && !personName) throw invalid('An individual proposal needs the person\'s name', ['personName'], said('commendation.nameRequired'));
  if (input.kind === 'COLLECTIVE' && (personName || position)) throw invalid('A collective proposal names no person', ['personName'], said('commendation.noPerson'));
  if (!achievement) throw invalid('A proposal needs the achievement it is for', ['achievement'], said('commendation.achievementRequired'));
  const same = db('commendation_proposal').where({ root_code: root.code, kind: input.kind, union_id: union.id }).whereIn('status', ['PROPOSED', 'APPROVED']);
  if (personName) same.where('person_name', personName);
  if (await same.first()) throw new DomainError('CONFLICT', 'The same proposal is already in this list', said('commendation.duplicate'));
  const id = insertedId(await db('commendation_proposal').insert({
    root_code: root.code, kind: input.kind, union_id: union.id, person_name: personName, position, achievement,
    status: 'PROPOSED', proposed_by: access.caller!.username, proposed_at: now,
  }).returning('id'));
  return { proposal: await cited(db, access, await proposalById(db, access, id)), events: [] };
}

/**
 * A reviewer above the union, with the right to decide in the root's list, approves or rejects a
 * proposal once; never the proposer; a rejection says why.
 */
export async function decide(db: Db, access: Access, id: number, approve: boolean, reason: string | null | undefined, now: Date): Promise<{ proposal: CitedProposal } & WithEvents> {
  const p = await proposalById(db, access, id);
  const root = await unionByCode(db, p.rootCode);
  const op = COMMENDATION_RULES.decideOperation;
  if (!access.canAbove(op, p.union.path) || !access.can(op, root.path)) {
    throw forbidden(`Your roles do not allow deciding proposals for ${p.union.name} in the list of ${root.name}`, said('commendation.forbiddenDecide', { unionName: p.union.name }));
  }
  if (p.proposedBy === access.caller!.username) throw forbidden('Nobody decides a proposal they made', said('commendation.ownProposal'));
  const why = reason?.trim() || null;
  if (!approve && !why) throw invalid('A rejection needs a reason', ['reason'], said('commendation.reasonRequired'));
  const changed = await db('commendation_proposal').where({ id, status: 'PROPOSED' })
    .update({ status: approve ? 'APPROVED' : 'REJECTED', reason: why, decided_by: access.caller!.username, decided_at: now });
  if (changed === 0) throw new DomainError('CONFLICT', 'The proposal was already decided', said('commendation.decided'));
  return { proposal: await cited(db, access, await proposalById(db, access, id)), events: [] };
}

/** The approved list of a root as an edition's annex freezes it, citing that edition's ranking. */
export async function annexOf(db: Db, access: Access, root: UnionRow, rows: RankingRow[]): Promise<AnnexEntry[]> {
  const stored = await db('commendation_proposal').select(COLUMNS).where({ root_code: root.code, status: 'APPROVED' }).orderBy('id');
  const list = await cite(db, access, rows, await withUnions(db, stored));
  // Collectives first, then individuals; each by rank (unranked last), then in the order proposed.
  list.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'COLLECTIVE' ? -1 : 1) || (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.id - b.id);
  return list.map((p) => ({
    kind: p.kind, unionCode: p.union.code, unionName: p.union.name, personName: p.personName, position: p.position, achievement: p.achievement,
    rank: p.rank, percentAchieved: p.percentAchieved, proposedBy: p.proposedBy, decidedBy: p.decidedBy, decidedAt: p.decidedAt,
  }));
}
