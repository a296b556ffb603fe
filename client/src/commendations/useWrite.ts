/** One write at a time (propose, approve, reject): busy while it runs, then what it did or why it was refused. */
import { useCallback, useState } from 'react';
import type { Word } from '../i18n.ts';

export interface WriteState {
  busy: boolean;
  done: Word | null;
  failure: unknown;
  /** Writes done: a form starts empty again after each. */
  writes: number;
}

export function useWrite<T>(onDone: (result: T) => void) {
  const [state, setState] = useState<WriteState>({ busy: false, done: null, failure: null, writes: 0 });
  const perform = useCallback(async (write: () => Promise<T>, word: Word) => {
    setState((s) => ({ ...s, busy: true, done: null, failure: null }));
    try {
      onDone(await write());
      setState((s) => ({ busy: false, done: word, failure: null, writes: s.writes + 1 }));
    } catch (failure) {
      setState((s) => ({ ...s, busy: false, failure }));
    }
  }, [onDone]);
  return { state, perform };
}
