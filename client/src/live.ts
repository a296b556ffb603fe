/** Live refreshes from subscriptions, coalesced so a burst of changes costs one re-read per interval. */
import { useEffect } from 'react';
import type { ResultOf, TadaDocumentNode } from '@unionhub/schema/graphql';
import { follow } from './typed-run.ts';

/**
 * Follow `doc` while mounted; each event that `concerns` the screen asks for `refresh`: at once if
 * the last refresh is `interval` ms old, else once at the end of the interval (the burst's events
 * are folded into that one). `concerns` and `refresh` must be stable (useCallback): a new one
 * re-subscribes.
 */
export function useLiveRefresh<D extends TadaDocumentNode<any, Record<string, never>>>( // eslint-disable-line @typescript-eslint/no-explicit-any -- any result shape
  doc: D,
  concerns: (data: ResultOf<D>) => boolean,
  refresh: () => void,
  enabled = true,
  interval = 1000,
): void {
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fire = () => {
      timer = undefined;
      last = Date.now();
      refresh();
    };
    const onData = (data: ResultOf<D>) => {
      if (timer !== undefined || !concerns(data)) return;
      const wait = last + interval - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    };
    follow(doc, onData, controller.signal).catch(() => undefined); // a refused or closed stream leaves the screen as it is
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [doc, concerns, refresh, enabled, interval]);
}
