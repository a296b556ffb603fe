/** Ctrl+F's bar: type to search the sheet's data; Enter / Shift+Enter for the next / previous match; Escape closes. */
import { t, type Lang } from '../i18n.ts';
import type { useFind } from './useFind.ts';

export function FindBar({ find, lang }: { find: ReturnType<typeof useFind>; lang: Lang }) {
  if (!find.open) return null;
  return (
    <div className="find-bar" role="search">
      <input
        autoFocus
        aria-label={t('find', lang)}
        placeholder={t('findHint', lang)}
        value={find.query}
        onChange={(e) => find.search(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            find.next(e.shiftKey ? -1 : 1);
          }
          if (e.key === 'Escape') find.close();
        }}
      />
      <span className="find-count" aria-live="polite">
        {find.query ? (find.count ? `${find.at + 1} / ${find.count}` : t('noMatches', lang)) : ''}
      </span>
      <button type="button" onClick={() => find.next(-1)} aria-label={t('previous', lang)}>↑</button>
      <button type="button" onClick={() => find.next(1)} aria-label={t('next', lang)}>↓</button>
      <button type="button" onClick={find.close} aria-label={t('close', lang)}>×</button>
    </div>
  );
}
