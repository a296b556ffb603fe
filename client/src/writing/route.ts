/**
 * The written report's places in the address: a union's sections `#/writing/<unionCode>[/<section>]`
 * (`?version=N`: that version shown, the link a quote carries back to its source) and the compile
 * view `#/compile[/<section>]`. Back and forward move between them.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';

export interface WritingRoute {
  unionCode: string | null;
  section: string | null;
  version: number | null;
}

const WRITING = /^#\/writing(?:\/([^/?]+))?(?:\/([^/?]+))?\/?(?:\?version=(\d+))?$/;
const COMPILE = /^#\/compile(?:\/([^/?]+))?\/?$/;
const dec = (s: string | undefined) => (s ? decodeURIComponent(s) : null);

export function parseWriting(hash: string): WritingRoute | null {
  const m = WRITING.exec(hash);
  return m ? { unionCode: dec(m[1]), section: dec(m[2]), version: m[3] ? Number(m[3]) : null } : null;
}

export const parseCompile = (hash: string): { section: string | null } | null => {
  const m = COMPILE.exec(hash);
  return m ? { section: dec(m[1]) } : null;
};

export function writingHash(unionCode: string, section?: string | null, version?: number | null): string {
  return `#/writing/${encodeURIComponent(unionCode)}${section ? `/${encodeURIComponent(section)}` : ''}${section && version ? `?version=${version}` : ''}`;
}

export const compileHash = (section?: string | null): string => `#/compile${section ? `/${encodeURIComponent(section)}` : ''}`;

const onHash = (notify: () => void) => {
  window.addEventListener('hashchange', notify);
  return () => window.removeEventListener('hashchange', notify);
};

export const useHash = (): string => useSyncExternalStore(onHash, () => location.hash);

export type SectionsView = 'writing' | 'compile';

/** Which of the two tabs the address names, if either. */
export const viewInAddress = (hash: string): SectionsView | null => (parseWriting(hash) ? 'writing' : parseCompile(hash) ? 'compile' : null);

/**
 * For App: a writing or compile link in the address opens its tab; leaving both tabs takes the link
 * out of the address (so following it again is a change the page hears).
 */
export function useSectionsInAddress(view: string, open: (v: SectionsView) => void): void {
  useEffect(() => {
    const follow = () => {
      const v = viewInAddress(location.hash);
      if (v) open(v);
    };
    follow();
    return onHash(follow);
  }, [open]);
  useEffect(() => {
    const inAddress = viewInAddress(location.hash);
    if (view === 'writing' || view === 'compile') {
      if (inAddress !== view) location.hash = view === 'writing' ? '#/writing' : compileHash();
      return;
    }
    if (inAddress) history.replaceState(null, '', location.pathname + location.search);
  }, [view]);
}

/** Go to an address (a history entry each). */
export const useGo = () => useCallback((hash: string) => {
  location.hash = hash;
}, []);
