/** The sheet's toolbar: mode, years, tree, transitions, filters, the union picker and the current message. */
import type { ReactNode } from 'react';
import { YearRange } from '../YearRange.tsx';
import { t, type Lang } from '../i18n.ts';
import type { SheetStore } from './store.ts';
import { useSheet } from './store.ts';
import type { Mode } from './types.ts';

export interface ToolbarProps {
  store: SheetStore;
  lang: Lang;
  offers: { submit: boolean; approve: boolean; edit: boolean; readUnapproved: boolean; known: boolean };
  onExpandAll: () => void;
  onCollapseAll: () => void;
  onMove: (kind: 'submit' | 'approve') => void;
  onApprovePassing: () => void;
  onRetry: () => void;
  picker?: ReactNode;
}

const MODES: Mode[] = ['actual', 'target', 'achieved'];

export function Toolbar({ store, lang, offers, onExpandAll, onCollapseAll, onMove, onApprovePassing, onRetry, picker }: ToolbarProps) {
  const mode = useSheet(store, (s) => s.mode);
  const range = useSheet(store, (s) => s.range);
  const filter = useSheet(store, (s) => s.filter);
  const loading = useSheet(store, (s) => s.loading);
  const loadFailed = useSheet(store, (s) => s.loadFailed);
  const message = useSheet(store, (s) => s.message);
  const focused = useSheet(store, (s) => s.focused);
  // Read only: a viewer sees approved figures only; a reviewer sees everything but writes none.
  const readOnly = offers.known && !offers.edit ? t(offers.readUnapproved ? 'readOnlyReview' : 'readOnly', lang) : null;
  return (
    <div className="toolbar" role="toolbar">
      <span className="modes">
        {MODES.map((m) => (
          <label key={m}>
            <input type="radio" name="mode" checked={mode === m} onChange={() => store.set({ mode: m })} /> {t(m, lang)}
          </label>
        ))}
      </span>
      <YearRange value={range} onChange={(r) => store.set({ range: r })} lang={lang} />
      <button type="button" onClick={onExpandAll}>{t('expandAll', lang)}</button>
      <button type="button" onClick={onCollapseAll}>{t('collapseAll', lang)}</button>
      {offers.submit && <button type="button" onClick={() => onMove('submit')}>{t('submitSelection', lang)}</button>}
      {offers.approve && <button type="button" onClick={() => onMove('approve')}>{t('approveSelection', lang)}</button>}
      {offers.approve && (
        <button type="button" disabled={!focused} title={focused ? `${focused.unionName} — ${focused.year}` : t('approvePassingOf', lang)} onClick={onApprovePassing}>
          {t('approvePassing', lang)}
        </button>
      )}
      {picker}
      {readOnly && <span className="read-only">{readOnly}</span>}
      <span className="filters">
        <label><input type="checkbox" checked={filter.discrepancies} onChange={(e) => store.set({ filter: { ...filter, discrepancies: e.target.checked } })} /> {t('onlyDiscrepancies', lang)}</label>
        <label><input type="checkbox" checked={filter.unapproved} onChange={(e) => store.set({ filter: { ...filter, unapproved: e.target.checked } })} /> {t('onlyUnapproved', lang)}</label>
      </span>
      {loading && <span className="loading">{t('loading', lang)}</span>}
      {loadFailed && !loading && (
        <span role="alert" className="error">
          {t('loadFailed', lang)} <button type="button" onClick={onRetry}>{t('retry', lang)}</button>
        </span>
      )}
      {/* One message at a time, replaced by the next and closable: old ones never pile up above the grid. */}
      {message && (
        <span role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>
          {message.text}
          <button type="button" className="close" aria-label={t('close', lang)} onClick={() => store.set({ message: null })}>×</button>
        </span>
      )}
    </div>
  );
}
