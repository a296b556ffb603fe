/**
 * A stale save's dialog: their version (saved meanwhile) beside mine (as I tried to save it). Take
 * theirs, keep mine (saved again over theirs), or copy a selected part of theirs into mine and save.
 * My text stays in the editor whatever is chosen until I choose to replace it.
 */
import { t, type Lang } from '../i18n.ts';
import { ReadOnlyDoc } from './editor/ReadOnlyDoc.tsx';
import type { Conflict } from './useSectionWrites.ts';

interface Props {
  conflict: Conflict;
  busy: boolean;
  lang: Lang;
  onTakeTheirs: () => void;
  onKeepMine: () => void;
  onCopy: (text: string) => void;
}

/** The text selected inside the "theirs" column, if any. */
function selectedInTheirs(): string {
  const sel = window.getSelection();
  const inside = sel?.anchorNode?.parentElement?.closest('[data-testid="conflict-theirs"]');
  return sel && inside ? sel.toString() : '';
}

export function ConflictPanel({ conflict, busy, lang, onTakeTheirs, onKeepMine, onCopy }: Props) {
  return (
    <section className="conflict-panel" role="alertdialog" aria-labelledby="conflict-title" aria-describedby="conflict-hint" data-testid="section-conflict">
      <h3 id="conflict-title">{t('writing.conflict', lang)} ({t('writing.version', lang)} {conflict.version})</h3>
      <p id="conflict-hint">{t('writing.conflictHint', lang)}</p>
      <div className="conflict-columns">
        <div>
          <h4>{t('writing.theirs', lang)} — {t('writing.version', lang)} {conflict.version}</h4>
          <ReadOnlyDoc content={conflict.document ?? conflict.html} testId="conflict-theirs" />
        </div>
        <div>
          <h4>{t('writing.mine', lang)}</h4>
          <ReadOnlyDoc content={{ ...conflict.mine }} testId="conflict-mine" />
        </div>
      </div>
      <p className="muted">{t('writing.copyHint', lang)}</p>
      <div className="buttons">
        <button type="button" disabled={busy} onClick={onTakeTheirs}>{t('writing.takeTheirs', lang)}</button>
        <button type="button" disabled={busy} className="primary" onClick={onKeepMine}>{t('writing.keepMine', lang)}</button>
        <button type="button" disabled={busy} onMouseDown={(e) => e.preventDefault()} onClick={() => onCopy(selectedInTheirs())}>{t('writing.copyTheirs', lang)}</button>
      </div>
    </section>
  );
}
