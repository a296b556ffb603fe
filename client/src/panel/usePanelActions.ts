/** The panel's writes: comment, submit, approve, send back, propose, and decisions on discrepancies. */
import { useState } from 'react';
import {
  PanelAcceptMutation, PanelApproveMutation, PanelCommentMutation, PanelExplainMutation, PanelProposeMutation, PanelSendBackMutation, PanelSubmitMutation, PanelWaiveMutation,
} from '@unionhub/schema/documents';
import { parseViNumber } from '@unionhub/schema/numbers';
import { mutate } from '../typed-run.ts';
import { notANumber, t, type Lang } from '../i18n.ts';
import type { CellRef } from '../CellPanel.tsx';

const DECISIONS = { explain: PanelExplainMutation, accept: PanelAcceptMutation, waive: PanelWaiveMutation } as const;
export type DecisionKind = keyof typeof DECISIONS;

export function usePanelActions(cell: CellRef, lang: Lang, done: () => void, fail: (failure: unknown) => void) {
  const [text, setText] = useState('');
  const [proposed, setProposed] = useState('');
  const c = { unionCode: cell.unionCode, indicatorCode: cell.indicatorCode, year: cell.year, scenario: cell.scenario };

  const act = async (write: () => Promise<unknown>) => {
    try {
      await write();
      setText('');
      setProposed('');
      done();
    } catch (e) {
      fail(e);
    }
  };

  return {
    text, setText, proposed, setProposed,
    comment: () => act(() => mutate(PanelCommentMutation, { c, t: text })),
    submit: () => act(() => mutate(PanelSubmitMutation, { c })),
    approve: () => act(() => mutate(PanelApproveMutation, { c })),
    sendBack: () => act(() => mutate(PanelSendBackMutation, { c, r: text })),
    /** A correction to an approved cell waits as a proposal; the approved value stays in force until approved. */
    propose: (expectedVersion: number) => {
      const parsed = parseViNumber(proposed);
      if (!parsed.ok || parsed.value === null) return fail(parsed.ok ? t('propose', lang) : notANumber(proposed, lang));
      const value = parsed.value;
      return act(() => mutate(PanelProposeMutation, { c, v: value, e: expectedVersion, r: text.trim() || null }));
    },
    decide: (kind: DecisionKind, id: number) => act(() => mutate(DECISIONS[kind], { id, t: text })),
  };
}
