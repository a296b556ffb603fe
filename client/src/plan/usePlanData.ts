/** What the plan tab reads: the gap view of a root in a year, and a root's forecasts (read again after a write). */
import { useEffect, useState } from 'react';
import { PlanForecastsQuery, PlanGapQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { request } from '../api.ts';

export type GapRow = ResultOf<typeof PlanGapQuery>['planGap'][number];
export type ForecastRow = ResultOf<typeof PlanForecastsQuery>['forecasts'][number];

/** Runs `load(...args)` whenever the args (or `version`) change; a late answer for old args is dropped. */
function useLoad<A extends unknown[], T>(load: (...args: A) => Promise<T>, args: A, version = 0) {
  const [state, setState] = useState<{ key: string; data: T | null; error: unknown } | null>(null);
  const key = JSON.stringify([args, version]);
  useEffect(() => {
    let current = true;
    const [a] = JSON.parse(key) as [A];
    load(...a)
      .then((data) => current && setState({ key, data, error: null }))
      .catch((error: unknown) => current && setState({ key, data: null, error }));
    return () => {
      current = false;
    };
  }, [load, key]);
  const mine = state?.key === key ? state : null;
  return { data: mine?.data ?? null, error: mine?.error ?? null };
}

const loadGap = (root: string, year: number, indicator: string) => request(PlanGapQuery, { root, year, indicator }).then((d) => d.planGap);
const loadForecasts = (root: string, indicator: string) => request(PlanForecastsQuery, { root, indicator }).then((d) => d.forecasts);

export const useGap = (root: string, year: number, indicator: string) => useLoad(loadGap, [root, year, indicator]);
export const useForecasts = (root: string, indicator: string, version: number) => useLoad(loadForecasts, [root, indicator], version);
