/** The buttons a union's page offers the caller: submit (a reporter), return and extend (a reviewer above). */
import { useState } from 'react';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { num } from '../format.ts';
import { parseDay } from './format.ts';
import { isIncomplete, type ActionState, type useUnitActions } from './useUnitActions.ts';

type Actions = ReturnType<typeof useUnitActions>;

function ReturnForm({ actions, lang }: { actions: Actions; lang: Lang }) {
  const [reason, setReason] = useState('');
  return (
    <form className="unit-form" data-testid="return-form" onSubmit={(e) => { e.preventDefault(); void actions.sendBack(reason.trim()); }}>
      <label>
        {t('round.returnReason', lang)}
        <textarea name="returnReason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
      </label>
      <button type="submit" disabled={actions.state.busy || reason.trim() === ''}>{t('round.return', lang)}</button>
    </form>
  );
}

function ExtendForm({ actions, lang }: { actions: Actions; lang: Lang }) {
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const parsed = parseDay(date);
  const badDate = date.trim() !== '' && parsed === null;
  return (
    <form className="unit-form" data-testid="extend-form" onSubmit={(e) => { e.preventDefault(); if (parsed) void actions.extend(parsed, reason.trim()); }}>
      <label>
        {t('round.extendTo', lang)}
        <input name="extendTo" value={date} onChange={(e) => setDate(e.target.value)} inputMode="numeric" aria-invalid={badDate} aria-describedby={badDate ? 'extend-bad-date' : undefined} />
      </label>
      {badDate && <span id="extend-bad-date" className="error">{t('round.badDate', lang)}</span>}
      <label>
        {t('round.extendReason', lang)}
        <textarea name="extendReason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
      </label>
      <button type="submit" disabled={actions.state.busy || parsed === null || reason.trim() === ''}>{t('round.extend', lang)}</button>
    </form>
  );
}

/** What the last write did or why it was refused, in the page's language. */
function Outcome({ state, lang }: { state: ActionState; lang: Lang }) {
  if (state.done) return <p className="ok" role="status" data-testid="unit-outcome">{t(state.done, lang)}</p>;
  if (state.failure === null) return null;
  if (isIncomplete(state.failure)) {
    return (
      <div role="alert" data-testid="unit-refusal">
        {t('round.incomplete', lang)} {num(state.refusedBlockers?.length ?? 0, lang)} {t('round.items', lang)}. {t('round.nothingRecorded', lang)}
      </div>
    );
  }
  return <p role="alert" data-testid="unit-refusal">{failureText(state.failure, lang)}</p>;
}

export function UnitActions({ can, actions, lang }: { can: { submit: boolean; return: boolean; extend: boolean }; actions: Actions; lang: Lang }) {
  const none = !can.submit && !can.return && !can.extend;
  return (
    <section className="unit-actions" aria-labelledby="unit-actions-title">
      <h3 id="unit-actions-title">{t('round.actions', lang)}</h3>
      <Outcome state={actions.state} lang={lang} />
      {none && <p className="muted">{t('round.noActions', lang)}</p>}
      {can.submit && (
        <button type="button" className="primary" disabled={actions.state.busy} onClick={() => void actions.submit()}>
          {t('round.submit', lang)}
        </button>
      )}
      {/* Keyed by the writes done, so each form starts empty after one; distinct keys, as siblings need. */}
      {can.return && <ReturnForm key={`return-${actions.state.writes}`} actions={actions} lang={lang} />}
      {can.extend && <ExtendForm key={`extend-${actions.state.writes}`} actions={actions} lang={lang} />}
    </section>
  );
}
