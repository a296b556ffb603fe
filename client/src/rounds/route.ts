/**
 * The tab's place in the address: `#/rounds/<roundId>` and a union's page `#/rounds/<roundId>/<unionCode>`
 * (the link a reminder carries). Back and forward move between them; a link followed from elsewhere
 * (a notification) opens the tab.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';

export interface RoundRoute {
  roundId: string | null;
  unionCode: string | null;
}

const PATTERN = /^#\/rounds(?:\/([^/]+))?(?:\/([^/]+))?\/?$/;

export function parseRoute(hash: string): RoundRoute | null {
  const m = PATTERN.exec(hash);
  return m ? { roundId: m[1] ? decodeURIComponent(m[1]) : null, unionCode: m[2] ? decodeURIComponent(m[2]) : null } : null;
}

export function routeHash(r: RoundRoute): string {
  if (!r.roundId) return '#/rounds';
  return `#/rounds/${encodeURIComponent(r.roundId)}${r.unionCode ? `/${encodeURIComponent(r.unionCode)}` : ''}`;
}

const onHash = (notify: () => void) => {
  window.addEventListener('hashchange', notify);
  return () => window.removeEventListener('hashchange', notify);
};

/** The route in the address (none: the tab's first page) and a way to go elsewhere (a history entry each). */
export function useRoundRoute(): [RoundRoute, (r: RoundRoute) => void] {
  const hash = useSyncExternalStore(onHash, () => location.hash);
  const route = parseRoute(hash) ?? { roundId: null, unionCode: null };
  const go = useCallback((r: RoundRoute) => {
    location.hash = routeHash(r);
  }, []);
  return [route, go];
}

/** Where the tab was left: opened again at the same page (after fixing a cell in the sheet, say). */
const LAST = 'uh_round_route';

/**
 * For App: a rounds link in the address opens the tab; leaving the tab takes the link out of the
 * address (so the same link followed again is a change the page hears) and remembers it for the
 * tab's return.
 */
export function useRoundsInAddress(inTab: boolean, open: () => void): void {
  useEffect(() => {
    const follow = () => {
      if (parseRoute(location.hash)) open();
    };
    follow();
    return onHash(follow);
  }, [open]);
  useEffect(() => {
    if (inTab) {
      const last = sessionStorage.getItem(LAST);
      if (!parseRoute(location.hash) && last) history.replaceState(null, '', last);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      return;
    }
    if (parseRoute(location.hash)) {
      sessionStorage.setItem(LAST, location.hash);
      history.replaceState(null, '', location.pathname + location.search);
    }
  }, [inTab]);
}
