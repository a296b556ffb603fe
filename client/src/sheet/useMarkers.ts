/**
 * Discrepancy markers: open and explained discrepancies on their cells, reloaded whenever anyone's
 * write finds, resolves or decides one (the discrepancies stream), so every user sees them live.
 */
import { useEffect } from 'react';
import { DiscrepanciesChangedSubscription, SheetMarkersQuery } from '@unionhub/schema/documents';
import { request, subscribe } from '../api.ts';
import { formatViNumber } from '@unionhub/schema/numbers';
import type { Lang } from '../i18n.ts';
import type { SheetStore } from './store.ts';
import { useSheet } from './store.ts';
import { cellKey, type Marker } from './types.ts';

/** Reloads within this window are merged into one (a batch of writes announces many changes). */
const COALESCE_MS = 400;

/** `enabled`: the caller reads unapproved figures somewhere (a viewer reads no discrepancies). */
export function useMarkers(store: SheetStore, lang: Lang, enabled: boolean) {
  const scenario = useSheet(store, (s) => (s.mode === 'target' ? 'TARGET' : 'ACTUAL'));
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = () => {
      timer = null;
      request(SheetMarkersQuery, { scenario })
        .then((d) => {
          if (!live) return;
          const markers = new Map<string, Marker[]>();
          for (const x of d.discrepancies) {
            const k = cellKey(x.union.code, x.indicator.code, x.year);
            const rule = `${lang === 'vi' ? x.rule.labelVi : x.rule.labelEn}${x.difference === null ? '' : ` (${formatViNumber(x.difference, 2)})`}`;
            markers.set(k, [...(markers.get(k) ?? []), { id: x.id, state: x.state, rule, difference: x.difference }]);
          }
          store.set({ markers });
        })
        .catch(() => undefined); // a viewer reads none; the sheet works without markers
    };
    load();
    const controller = new AbortController();
    void subscribe(
      DiscrepanciesChangedSubscription,
      () => {
        if (live && !timer) timer = setTimeout(load, COALESCE_MS);
      },
      controller.signal,
    ).catch(() => undefined); // a viewer may not follow discrepancies
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      controller.abort();
    };
  }, [store, scenario, lang, enabled]);
}
