/** A colleague saved the cell while this user was typing: both values, and the user decides. */
import { formatViNumber } from '@unionhub/schema/numbers';
import { t, type Lang } from '../i18n.ts';
import type { Conflict } from './types.ts';

export function ConflictPrompt({ conflict, lang, onChoose }: { conflict: Conflict; lang: Lang; onChoose: (c: 'theirs' | 'mine') => void }) {
  return (
    <div className="conflict" role="alertdialog" aria-label={t('conflictTitle', lang)}>
      <strong>{t('conflictTitle', lang)}</strong> — {conflict.unionName}, {conflict.column}
      <div>
        {t('conflictTheirs', lang)}: <b>{formatViNumber(conflict.theirs, 2) || '—'}</b> · {t('conflictMine', lang)}: <b>{formatViNumber(conflict.edit.value, 2) || '—'}</b>
      </div>
      <div className="actions">
        <button type="button" autoFocus onClick={() => onChoose('theirs')}>{t('keepTheirs', lang)}</button>
        <button type="button" onClick={() => onChoose('mine')}>{t('writeMine', lang)}</button>
      </div>
    </div>
  );
}
