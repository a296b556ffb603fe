/**
 * The allocation screen's writes: preview a goal (typed as a vi-VN number, parsed like the sheet)
 * by a key from a root, then apply exactly that preview. A CONFLICT on apply (targets changed since)
 * is kept as such so the screen can offer to preview again.
 */
import { useCallback, useState } from 'react';
import { ApplyAllocationMutation, PreviewAllocationMutation } from '@unionhub/schema/documents';
import type { ResultOf, VariablesOf } from '@unionhub/schema/graphql';
import { ERROR_CODES } from '@unionhub/schema';
import { parseViNumber } from '@unionhub/schema/numbers';
import { request, type GqlError } from '../api.ts';

export type Preview = ResultOf<typeof PreviewAllocationMutation>['previewAllocation'];
export type Applied = ResultOf<typeof ApplyAllocationMutation>['applyAllocation'];
export type AllocationKey = VariablesOf<typeof PreviewAllocationMutation>['key'];

export interface AllocationState {
  busy: boolean;
  preview: Preview | null;
  applied: Applied | null;
  /** The last refusal (shown in the page's language), or the goal's text when it is not a number. */
  failure: unknown;
  badGoal: string | null;
  conflict: boolean;
}

const isConflict = (failure: unknown) => ((failure as { errors?: GqlError[] }).errors ?? []).some((e) => e.extensions?.code === ERROR_CODES.CONFLICT);

export function useAllocation() {
  const [state, setState] = useState<AllocationState>({ busy: false, preview: null, applied: null, failure: null, badGoal: null, conflict: false });
  const preview = useCallback(async (goalText: string, key: AllocationKey, root: string, indicator: string) => {
    const parsed = parseViNumber(goalText);
    if (!parsed.ok || parsed.value === null) {
      setState((s) => ({ ...s, badGoal: goalText, failure: null }));
      return;
    }
    setState((s) => ({ ...s, busy: true, badGoal: null, failure: null, conflict: false, applied: null }));
    try {
      const d = await request(PreviewAllocationMutation, { goal: { indicator, value: parsed.value }, key, root });
      setState({ busy: false, preview: d.previewAllocation, applied: null, failure: null, badGoal: null, conflict: false });
    } catch (failure) {
      setState((s) => ({ ...s, busy: false, preview: null, failure }));
    }
  }, []);
  const apply = useCallback(async () => {
    const token = state.preview?.token;
    if (!token) return;
    setState((s) => ({ ...s, busy: true, failure: null, conflict: false }));
    try {
      const d = await request(ApplyAllocationMutation, { previewToken: token });
      setState((s) => ({ ...s, busy: false, applied: d.applyAllocation }));
    } catch (failure) {
      setState((s) => ({ ...s, busy: false, failure, conflict: isConflict(failure) }));
    }
  }, [state.preview]);
  return { state, preview, apply };
}
