/** Propose a collective (a union) or an individual (name, position, union) with the achievement it is for, in the root's list. */
import { useState } from 'react';
import { COMMENDATION_KINDS, commendationKindLabel, type CommendationKind } from '@unionhub/schema';
import { t, type Lang } from '../i18n.ts';
import { UnionPicker, type PickedUnion } from '../UnionPicker.tsx';
import type { ProposeInput } from './useCommendationActions.ts';

export function ProposeForm({ root, lang, busy, onPropose }: { root: string; lang: Lang; busy: boolean; onPropose: (input: ProposeInput) => void }) {
  const [kind, setKind] = useState<CommendationKind>('COLLECTIVE');
  const [union, setUnion] = useState<PickedUnion | null>(null);
  const [personName, setPersonName] = useState('');
  const [position, setPosition] = useState('');
  const [achievement, setAchievement] = useState('');
  const individual = kind === 'INDIVIDUAL';
  const ready = union !== null && achievement.trim() !== '' && (!individual || personName.trim() !== '');
  const submit = () => {
    if (!union) return;
    onPropose({
      root, kind, unionCode: union.code, achievement: achievement.trim(),
      personName: individual ? personName.trim() : null, position: individual ? position.trim() || null : null,
    });
  };
  return (
    <form className="commend-form" data-testid="propose-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <h3>{t('commend.propose', lang)}</h3>
      <label>
        {t('commend.kind', lang)}{' '}
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as CommendationKind)}>
          {COMMENDATION_KINDS.map((k) => <option key={k.kind} value={k.kind}>{commendationKindLabel(k.kind, lang)}</option>)}
        </select>
      </label>
      <div className="commend-union">
        {t('unit', lang)}: {union ? <strong data-testid="propose-union">{union.name}</strong> : <em>{t('commend.pickUnion', lang)}</em>}
        <UnionPicker lang={lang} onPick={setUnion} placeholder={t('commend.pickUnion', lang)} />
      </div>
      {individual && (
        <>
          <label>{t('commend.personName', lang)} <input name="personName" value={personName} onChange={(e) => setPersonName(e.target.value)} /></label>
          <label>{t('commend.position', lang)} <input name="position" value={position} onChange={(e) => setPosition(e.target.value)} /></label>
        </>
      )}
      <label>
        {t('commend.achievement', lang)}
        <textarea name="achievement" rows={3} value={achievement} onChange={(e) => setAchievement(e.target.value)} />
      </label>
      <button type="submit" disabled={busy || !ready}>{t('commend.send', lang)}</button>
    </form>
  );
}
