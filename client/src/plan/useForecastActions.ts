/** The forecasts' writes: recompute a root's forecasts (the department), override one value with a reason (a reviewer). */
import { useCallback, useState } from 'react';
import { OverrideForecastMutation, RunForecastsMutation } from '@unionhub/schema/documents';
import { parseViNumber } from '@unionhub/schema/numbers';
import { request } from '../api.ts';
import type { Word } from '../i18n.ts';

export interface OverrideInput {
  unionCode: string;
  indicator: string;
  year: number;
  valueText: string;
  reason: string;
}

export function useForecastActions(onDone: () => void) {
  const [state, setState] = useState<{ busy: boolean; done: Word | null; failure: unknown; badValue: string | null }>({ busy: false, done: null, failure: null, badValue: null });
  const perform = useCallback(async (write: () => Promise<unknown>, word: Word) => {
    setState({ busy: true, done: null, failure: null, badValue: null });
    try {
      await write();
      setState({ busy: false, done: word, failure: null, badValue: null });
      onDone();
    } catch (failure) {
      setState({ busy: false, done: null, failure, badValue: null });
    }
  }, [onDone]);
  const recompute = useCallback((root: string) => perform(() => request(RunForecastsMutation, { root }), 'plan.recomputed'), [perform]);
  const override = useCallback((o: OverrideInput) => {
    const parsed = parseViNumber(o.valueText);
    if (!parsed.ok || parsed.value === null) {
      setState({ busy: false, done: null, failure: null, badValue: o.valueText });
      return;
    }
    const value = parsed.value;
    return perform(() => request(OverrideForecastMutation, { unionCode: o.unionCode, indicator: o.indicator, year: o.year, value, reason: o.reason }), 'plan.overridden');
  }, [perform]);
  return { state, recompute, override };
}
