/**
 * Discrepancy markers: open and explained discrepancies on their cells, loaded once, then patched
 * from the discrepancies stream whenever anyone's write finds, resolves or decides one, so every
 * user sees them live without reloading the national list.
 */
import { useEffect } from 'react';
import { DiscrepanciesChangedSubscription, SheetMarkersQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { request, subscribe } from '../api.ts';
import { formatViNumber } from '@unionhub/schema/numbers';
import type { Lang } from '../i18n.ts';
import type { SheetStore } from './store.ts';
import { useSheet } from './store.ts';
import { cellKey, type Marker } from './types.ts';

type Found = ResultOf<typeof SheetMarkersQuery>['discrepancies'][number];
type Changed = ResultOf<typeof DiscrepanciesChangedSubscription>['discrepanciesChanged'][number];
const SHOWN = new Set(['OPEN', 'EXPLAINED']);

function markerOf(x: Found | Changed, lang: Lang): Marker {
  const rule = `${lang === 'vi' ? x.rule.labelVi : x.rule.labelEn}${x.difference === null ? '' : ` (${formatViNumber(x.difference, 2)})`}`;
  return { id: x.id, state: x.state, rule, difference: x.difference };
}

/** The markers with each changed discrepancy of `scenario` put where it now belongs (or gone: resolved, decided). */
export function patchMarkers(markers: Map<string, Marker[]>, changed: Changed[], scenario: string, lang: Lang): Map<string, Marker[]> {
  const next = new Map(markers);
  for (const x of changed) {
    if (x.scenario !== scenario) continue;
    const k = cellKey(x.union.code, x.indicator.code, x.year);
    const kept = (next.get(k) ?? []).filter((m) => m.id !== x.id);
    if (SHOWN.has(x.state)) kept.push(markerOf(x, lang));
    if (kept.length) next.set(k, kept);
    else next.delete(k);
  }
  return next;
}

/** `enabled`: the caller reads unapproved figures somewhere (a viewer reads no discrepancies). */
export function useMarkers(store: SheetStore, lang: Lang, enabled: boolean) {
  const scenario = useSheet(store, (s) => (s.mode === 'target' ? 'TARGET' : 'ACTUAL'));
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    // Changes that arrive before the first list are applied to it once it lands.
    let early: Changed[] | null = [];
    const load = () =>
      request(SheetMarkersQuery, { scenario })
        .then((d) => {
          if (controller.signal.aborted) return;
          const markers = new Map<string, Marker[]>();
          for (const x of d.discrepancies) {
            const k = cellKey(x.union.code, x.indicator.code, x.year);
            markers.set(k, [...(markers.get(k) ?? []), markerOf(x, lang)]);
          }
          store.set({ markers: patchMarkers(markers, early ?? [], scenario, lang) });
          early = null;
        })
        .catch(() => undefined); // a viewer reads none; the sheet works without markers
    // The list is read once the stream is accepted, so no change falls between the two.
    void subscribe<ResultOf<typeof DiscrepanciesChangedSubscription>>(
      DiscrepanciesChangedSubscription,
      (d) => {
        if (early) early.push(...d.discrepanciesChanged);
        else store.set((s) => ({ markers: patchMarkers(s.markers, d.discrepanciesChanged, scenario, lang) }));
      },
      controller.signal,
    ).then(load, () => {
      // Refused or closed before it began: the list without live changes (never after unmounting).
      if (!controller.signal.aborted) void load();
    });
    return () => controller.abort();
  }, [store, scenario, lang, enabled]);
}
