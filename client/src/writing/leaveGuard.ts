/**
 * Unsaved text is not left without a word: closing or reloading the page asks (beforeunload), and so
 * does following an in-app link or switching tabs (`mayLeave`), while an editor holds unsaved changes.
 */
import { useEffect } from 'react';

/** The question to ask before leaving, while some editor has unsaved changes (one editor asks at a time). */
let question: string | null = null;

/** True when nothing is unsaved or the user chose to leave anyway. */
export const mayLeave = (): boolean => question === null || window.confirm(question);

export function useLeaveGuard(dirty: boolean, message: string): void {
  useEffect(() => {
    if (!dirty) return;
    question = message;
    const beforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    // In-app links (#/…) anywhere on the page, in the capture phase: before the address changes.
    const click = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.('a[href^="#/"]');
      if (a && !window.confirm(message)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', click, true);
    return () => {
      question = null;
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', click, true);
    };
  }, [dirty, message]);
}
