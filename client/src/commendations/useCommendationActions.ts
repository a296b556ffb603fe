/** The tab's writes: propose in the root's list, approve, reject with a reason; each answer lands in the list. */
import { useCallback } from 'react';
import { DecideCommendationMutation, ProposeCommendationMutation } from '@unionhub/schema/documents';
import type { VariablesOf } from '@unionhub/schema/graphql';
import { request } from '../api.ts';
import type { Proposal } from './useCommendations.ts';
import { useWrite } from './useWrite.ts';

export type ProposeInput = VariablesOf<typeof ProposeCommendationMutation>['input'];

export function useCommendationActions(put: (p: Proposal) => void) {
  const { state, perform } = useWrite(put);
  const propose = useCallback(
    (input: ProposeInput) => perform(() => request(ProposeCommendationMutation, { input }).then((d) => d.proposeCommendation), 'commend.proposedOk'),
    [perform],
  );
  const decide = useCallback(
    (id: string, approve: boolean, reason: string | null) =>
      perform(() => request(DecideCommendationMutation, { id, approve, reason }).then((d) => d.decideCommendation), approve ? 'commend.approvedOk' : 'commend.rejectedOk'),
    [perform],
  );
  return { state, propose, decide };
}

/**
 * May the caller decide this proposal (the server decides; this only offers the buttons): a grant with
 * approve strictly above the union and at or above the list's root, and not the proposer.
 */
export function canDecide(p: Proposal, root: string, me: { username: string; grants: { role: string; union: { code: string } }[] }, approves: (role: string) => boolean): boolean {
  if (p.status !== 'PROPOSED' || p.proposedBy === me.username) return false;
  const chain = [...p.union.ancestors.map((a) => a.code), p.union.code];
  const rootAt = chain.indexOf(root);
  const deciders = chain.slice(0, Math.min(rootAt + 1, chain.length - 1));
  return me.grants.some((g) => approves(g.role) && deciders.includes(g.union.code));
}
