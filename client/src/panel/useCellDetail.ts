/**
 * What the panel shows of its cell: the figure (with history and comments for those who read
 * unapproved work) and the discrepancies under its union whose rule reads its indicator. Reloaded
 * when the sheet's version of the cell moves, and live when someone explains or decides one.
 */
import { useCallback, useEffect, useReducer, useState } from 'react';
import { PanelDiscrepanciesChangedSubscription, PanelDiscrepanciesQuery, PanelFigureQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { query } from '../typed-run.ts';
import { useLiveRefresh } from '../live.ts';
import type { CellRef } from '../CellPanel.tsx';

export type PanelFigure = NonNullable<ResultOf<typeof PanelFigureQuery>['figure']>;
export type PanelDiscrepancies = ResultOf<typeof PanelDiscrepanciesQuery>['discrepancies'];

export interface CellDetail {
  figure: PanelFigure | null;
  discrepancies: PanelDiscrepancies;
}

export function useCellDetail(cell: CellRef, version: number | undefined, full: boolean) {
  const [detail, setDetail] = useState<CellDetail | null>(null);
  // The failure itself (or a message), worded in the page's language when shown.
  const [error, setError] = useState<unknown>(null);
  // Bumped by the panel's own actions and by live changes; the current view stays until the answer.
  const [tick, reload] = useReducer((n: number) => n + 1, 0);
  const { unionCode: u, indicatorCode: i, year: y, scenario: s } = cell;

  useEffect(() => {
    let current = true;
    const vars = { u, i, y, s };
    Promise.all([query(PanelFigureQuery, { ...vars, full }), full ? query(PanelDiscrepanciesQuery, vars) : Promise.resolve({ discrepancies: [] })])
      .then(([f, d]) => current && (setDetail({ figure: f.figure ?? null, discrepancies: d.discrepancies }), setError(null)))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [u, i, y, s, full, version, tick]);

  // A change concerns the panel when its rule reads this cell's indicator in this year and scenario.
  const concerns = useCallback(
    (data: ResultOf<typeof PanelDiscrepanciesChangedSubscription>) =>
      data.discrepanciesChanged.some((d) => d.year === y && d.scenario === s && d.indicators.some((x) => x.code === i)),
    [i, y, s],
  );
  useLiveRefresh(PanelDiscrepanciesChangedSubscription, concerns, reload, full);

  return { detail, error, setError, reload };
}
