/**
 * A union's page's writes: submit (a refusal for INCOMPLETE brings the blockers it lists), return
 * with a reason, extend with a date and a reason. One at a time; each success hands on the union's
 * new state as the write answered it (the page's own fields: nothing is asked again).
 */
import { useCallback, useReducer } from 'react';
import { GrantExtensionMutation, ReturnUnitReportMutation, SubmitUnitReportMutation } from '@unionhub/schema/documents';
import { ERROR_CODES } from '@unionhub/schema';
import { request, type GqlError } from '../api.ts';
import type { Word } from '../i18n.ts';
import type { Unit } from './useRoundData.ts';

export type Blocker = Unit['blockers'][number];

export interface ActionState {
  busy: boolean;
  /** What the last write did, in words. */
  done: Word | null;
  /** The last refusal, worded in the page's language where shown. */
  failure: unknown;
  /** The blockers an INCOMPLETE refusal listed (fresher than the page's own list). */
  refusedBlockers: Blocker[] | null;
  /** Writes done: a form starts empty again after each. */
  writes: number;
}

type Event = { kind: 'start' } | { kind: 'done'; word: Word } | { kind: 'failed'; failure: unknown; blockers: Blocker[] | null };

function reduce(s: ActionState, e: Event): ActionState {
  switch (e.kind) {
    case 'start':
      return { ...s, busy: true, done: null, failure: null };
    case 'done':
      return { busy: false, done: e.word, failure: null, refusedBlockers: null, writes: s.writes + 1 };
    case 'failed':
      return { ...s, busy: false, done: null, failure: e.failure, refusedBlockers: e.blockers ?? s.refusedBlockers };
  }
}

/** The blockers of an INCOMPLETE refusal (extensions.blockers), else null. */
function blockersOf(failure: unknown): Blocker[] | null {
  const errors = (failure as { errors?: GqlError[] }).errors ?? [];
  const incomplete = errors.find((e) => e.extensions?.code === ERROR_CODES.INCOMPLETE);
  if (!incomplete) return null;
  // The refusal carries the domain's blockers: scenario in lower case, ids as numbers.
  const listed = (incomplete.extensions?.blockers as (Omit<Blocker, 'scenario' | 'discrepancyId'> & { scenario: string | null; discrepancyId: number | string | null })[] | undefined) ?? [];
  return listed.map((b) => ({ ...b, scenario: (b.scenario?.toUpperCase() ?? null) as Blocker['scenario'], discrepancyId: b.discrepancyId === null ? null : String(b.discrepancyId) }));
}

export const isIncomplete = (failure: unknown): boolean => blockersOf(failure) !== null;

export function useUnitActions(roundId: string, unionCode: string, onDone: (unit: Unit) => void) {
  const [state, dispatch] = useReducer(reduce, { busy: false, done: null, failure: null, refusedBlockers: null, writes: 0 });
  const perform = useCallback(
    async (write: () => Promise<Unit>, word: Word) => {
      dispatch({ kind: 'start' });
      try {
        onDone(await write());
        dispatch({ kind: 'done', word });
      } catch (failure) {
        dispatch({ kind: 'failed', failure, blockers: blockersOf(failure) });
      }
    },
    [onDone],
  );
  const submit = useCallback(() => perform(() => request(SubmitUnitReportMutation, { roundId, unionCode }).then((d) => d.submitUnitReport), 'round.submittedOk'), [perform, roundId, unionCode]);
  const sendBack = useCallback((reason: string) => perform(() => request(ReturnUnitReportMutation, { roundId, unionCode, reason }).then((d) => d.returnUnitReport), 'round.returnedOk'), [perform, roundId, unionCode]);
  const extend = useCallback(
    (deadline: string, reason: string) => perform(() => request(GrantExtensionMutation, { roundId, unionCode, deadline, reason }).then((d) => d.grantExtension), 'round.extendedOk'),
    [perform, roundId, unionCode],
  );
  return { state, submit, sendBack, extend };
}
