/** Every transition of the approval state machine against every state a cell can be in. */
import { describe, expect, it } from 'vitest';
import { TRANSITIONS, type Transition } from '../server/src/domain/approval.js';
import type { FigureRow } from '../server/src/domain/figures.js';

const cell = (status: FigureRow['status'], proposal: boolean, value: number | null = 10) => ({ status, value, proposedValue: proposal ? 12 : null }) as FigureRow;

// [status, has a proposal, has a value] → what each transition does (null = refused).
const TABLE: [FigureRow['status'], boolean, boolean, Record<Transition, string | null>][] = [
  ['draft', false, true, { submit: 'submitted', approve: null, sendBack: null, reopen: null }],
  ['draft', false, false, { submit: null, approve: null, sendBack: null, reopen: null }],
  ['submitted', false, true, { submit: null, approve: 'approved', sendBack: 'draft', reopen: null }],
  ['approved', false, true, { submit: null, approve: null, sendBack: null, reopen: 'draft' }],
  ['approved', true, true, { submit: null, approve: 'proposal-approved', sendBack: 'proposal-rejected', reopen: null }],
];

describe('approval state machine', () => {
  for (const [status, proposal, hasValue, expected] of TABLE) {
    for (const t of Object.keys(TRANSITIONS) as Transition[]) {
      it(`${t} on a ${status} cell${proposal ? ' with a proposal' : ''}${hasValue ? '' : ' without a value'} → ${expected[t] ?? 'refused'}`, () => {
        expect(TRANSITIONS[t].next(cell(status, proposal, hasValue ? 10 : null))).toBe(expected[t]);
      });
    }
  }
  it('asks a reason to send back and to re-open, and a reviewer’s right to approve, send back and re-open', () => {
    expect(Object.fromEntries(Object.entries(TRANSITIONS).map(([k, d]) => [k, [d.op, d.needsReason]]))).toEqual({
      submit: ['submit', false],
      approve: ['approve', false],
      sendBack: ['approve', true],
      reopen: ['approve', true],
    });
  });
});
