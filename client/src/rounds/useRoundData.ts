/** What the tab reads: the rounds, the caller's grants and indicator names, a root's overview, the chase list. */
import { useEffect, useReducer, useState } from 'react';
import { ReportingRoundsQuery, RoundChaseListQuery, RoundOverviewQuery, RoundScreenSetupQuery, RoundUnitPageQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { request } from '../api.ts';
import type { Lang } from '../i18n.ts';

export type RoundSummary = ResultOf<typeof ReportingRoundsQuery>['reportingRounds'][number];
export type Overview = NonNullable<ResultOf<typeof RoundOverviewQuery>['reportingRound']>;
export type ChaseEntry = NonNullable<ResultOf<typeof RoundChaseListQuery>['reportingRound']>['chaseList'][number];
export type Setup = ResultOf<typeof RoundScreenSetupQuery>;

/** A read keyed by its inputs: what is shown belongs to the current key, or is null while it loads. */
interface Loaded<T> {
  key: string;
  data: T | null;
  error: unknown;
}

/**
 * Runs `load(...args)` whenever the args change (or `reload` is called); a late answer for old args
 * is dropped. `args` null: nothing to read. `load` is a module function, so the args say all it reads.
 */
function useLoad<A extends unknown[], T>(load: (...args: A) => Promise<T>, args: A | null, keepStale = false): { data: T | null; error: unknown; reload: () => void } {
  const [state, setState] = useState<Loaded<T> | null>(null);
  const [tick, reload] = useReducer((n: number) => n + 1, 0);
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
  }, [load, key, tick]);
  // keepStale: the last answer stays on screen while new args load (a language switch re-reads labels).
  const mine = state?.key === key || (keepStale && state?.data) ? state : null;
  return { data: mine?.data ?? null, error: mine?.error ?? null, reload };
}

const loadRounds = () => request(ReportingRoundsQuery, {}).then((d) => d.reportingRounds);
const loadSetup = (lang: Lang) => request(RoundScreenSetupQuery, { lang });
const loadOverview = (id: string, root: string) => request(RoundOverviewQuery, { id, root, depth: 1 }).then((d) => d.reportingRound);
const loadChase = (id: string, root: string) => request(RoundChaseListQuery, { id, root }).then((d) => d.reportingRound?.chaseList ?? []);

export const useRounds = () => useLoad(loadRounds, []);

export const useSetup = (lang: Lang) => useLoad(loadSetup, [lang], true);

export const useOverview = (roundId: string | null, root: string | null) => useLoad(loadOverview, roundId && root ? [roundId, root] : null);

/** Only asked for where the caller reviews the root (the server refuses anyone else). */
export const useChaseList = (roundId: string | null, root: string | null, allowed: boolean) =>
  useLoad(loadChase, roundId && root && allowed ? [roundId, root] : null);

export type UnitPageData = NonNullable<ResultOf<typeof RoundUnitPageQuery>['reportingRound']>;
const loadUnit = (id: string, unionCode: string, withBlockers: boolean) => request(RoundUnitPageQuery, { id, unionCode, withBlockers }).then((d) => d.reportingRound);

/** A union's page: its state, blockers (for those who read unapproved figures) and trail in the round. */
export const useUnit = (roundId: string, unionCode: string, withBlockers: boolean | null) =>
  useLoad(loadUnit, withBlockers === null ? null : [roundId, unionCode, withBlockers]);
