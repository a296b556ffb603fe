/** What the tab reads: the rounds, a root's overview (with its chase list for reviewers), a union's page. */
import { useCallback, useEffect, useState } from 'react';
import { ReportingRoundsQuery, RoundOverviewQuery, RoundUnitQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { request } from '../api.ts';

export type RoundSummary = ResultOf<typeof ReportingRoundsQuery>['reportingRounds'][number];
export type Overview = NonNullable<ResultOf<typeof RoundOverviewQuery>['reportingRound']>;
export type ChaseEntry = NonNullable<Overview['chaseList']>[number];
export type UnitPageData = NonNullable<ResultOf<typeof RoundUnitQuery>['reportingRound']>;
export type Unit = UnitPageData['unit'];

/** A read keyed by its inputs: what is shown belongs to the current key, or is null while it loads. */
interface Loaded<T> {
  key: string;
  data: T | null;
  error: unknown;
}

/**
 * Runs `load(...args)` whenever the args change; a late answer for old args
 * is dropped. `args` null: nothing to read. `load` is a module function, so the args say all it reads.
 * `update` changes what is shown for the current args (a write's answer) without asking again.
 */
export function useLoad<A extends unknown[], T>(load: (...args: A) => Promise<T>, args: A | null) {
  const [state, setState] = useState<Loaded<T> | null>(null);
  const key = args === null ? null : JSON.stringify(args);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    load(...(JSON.parse(key) as A))
      .then((data) => current && setState({ key, data, error: null }))
      .catch((error: unknown) => current && setState((s) => ({ key, data: s?.key === key ? s.data : null, error })));
    return () => {
      current = false;
    };
  }, [load, key]);
  const update = useCallback((change: (data: NonNullable<T>) => T) => setState((s) => (s?.key === key && s.data != null ? { ...s, data: change(s.data) } : s)), [key]);
  const mine = state?.key === key ? state : null;
  return { data: mine?.data ?? null, error: mine?.error ?? null, update };
}

const loadRounds = () => request(ReportingRoundsQuery, {}).then((d) => d.reportingRounds);
const loadOverview = (id: string, root: string, withChase: boolean) => request(RoundOverviewQuery, { id, root, depth: 1, withChase }).then((d) => d.reportingRound);
const loadUnit = (id: string, unionCode: string) => request(RoundUnitQuery, { id, unionCode }).then((d) => d.reportingRound);

export const useRounds = () => useLoad(loadRounds, []);

/** `withChase` only where the caller reviews the root (the server refuses anyone else the chase list). */
export const useOverview = (roundId: string | null, root: string | null, withChase: boolean) => useLoad(loadOverview, roundId && root ? [roundId, root, withChase] : null);

/** A union's page: its state, blockers and trail in the round. */
export const useUnit = (roundId: string, unionCode: string) => useLoad(loadUnit, [roundId, unionCode]);
