/** Submit (a reporter, once saved), approve the version shown and send back with a reason (a reviewer above). */
import { useState } from 'react';
import { t, type Lang } from '../i18n.ts';
import type { Workspace } from './useSectionWorkspace.ts';

function SendBackForm({ ws, lang }: { ws: Workspace; lang: Lang }) {
  const [reason, setReason] = useState('');
  return (
    <form className="unit-form" data-testid="send-back-form" onSubmit={(e) => { e.preventDefault(); void ws.writes.sendBack(reason.trim()); }}>
      <label>
        {t('writing.sendBackReason', lang)}
        <textarea name="sendBackReason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" disabled={ws.writes.state.busy || reason.trim() === ''}>{t('writing.sendBack', lang)}</button>
    </form>
  );
}

export function SectionActions({ ws, lang }: { ws: Workspace; lang: Lang }) {
  const { page, writes, ed } = ws;
  return (
    <div className="section-actions">
      {page.canSubmit && (
        <button type="button" data-testid="section-submit" disabled={writes.state.busy || ed.dirty} title={ed.dirty ? t('writing.saveFirst', lang) : undefined} onClick={() => void writes.submit()}>
          {t('writing.submit', lang)}
        </button>
      )}
      {page.canReview && page.version > 0 && (
        <button type="button" className="primary" data-testid="section-approve" disabled={writes.state.busy} onClick={() => void writes.approve(page.version)}>
          {t('writing.approve', lang)} {page.version}
        </button>
      )}
      {page.canReview && <SendBackForm key={writes.state.writes} ws={ws} lang={lang} />}
    </div>
  );
}
