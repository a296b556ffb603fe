/** The tab's read: who the caller is and the root's list; a write's answer replaces or adds its row without asking again. */
import { useCallback, useEffect, useState } from 'react';
import { CommendationsQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { request } from '../api.ts';

export type CommendationsData = ResultOf<typeof CommendationsQuery>;
export type Proposal = CommendationsData['commendationProposals'][number];

export function useCommendations(root: string) {
  const [state, setState] = useState<{ root: string; data: CommendationsData | null; error: unknown }>({ root, data: null, error: null });
  useEffect(() => {
    let current = true;
    request(CommendationsQuery, { root })
      .then((data) => current && setState({ root, data, error: null }))
      .catch((error: unknown) => current && setState({ root, data: null, error }));
    return () => {
      current = false;
    };
  }, [root]);
  /** A proposal as a write answered it: its row replaced, or added at the end. */
  const put = useCallback((p: Proposal) => setState((s) => {
    if (!s.data) return s;
    const list = s.data.commendationProposals;
    const at = list.findIndex((x) => x.id === p.id);
    return { ...s, data: { ...s.data, commendationProposals: at < 0 ? [...list, p] : list.map((x, i) => (i === at ? p : x)) } };
  }), []);
  const mine = state.root === root ? state : { data: null, error: null };
  return { data: mine.data, error: mine.error, put };
}
