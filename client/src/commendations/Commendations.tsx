/**
 * The "Khen thưởng" tab: a root's commendation proposals with their status and what they cite of the
 * ranking; the propose form; approve / reject with a reason for reviewers above; the approved list as XLSX.
 */
import { useState } from 'react';
import { commendationKindLabel, commendationStatusLabel } from '@unionhub/schema';
import { roleOperations } from '@unionhub/schema/roles';
import { downloadOnClick } from '../api.ts';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { when } from '../format.ts';
import { formatEnNumber, formatViNumber } from '@unionhub/schema/numbers';
import { UnionPicker } from '../UnionPicker.tsx';
import { ProposeForm } from './ProposeForm.tsx';
import { canDecide, useCommendationActions } from './useCommendationActions.ts';
import { useCommendations } from './useCommendations.ts';
import type { WriteState } from './useWrite.ts';
import './commendations.css';

const approves = (role: string) => (roleOperations(role.toLowerCase()) as readonly string[]).includes('approve');
const pct = (v: number | null, lang: Lang) => (v === null ? '—' : `${lang === 'vi' ? formatViNumber(v, 1) : formatEnNumber(v, 1)} %`);

function Decide({ lang, busy, onDecide }: { lang: Lang; busy: boolean; onDecide: (approve: boolean, reason: string | null) => void }) {
  const [reason, setReason] = useState('');
  return (
    <div className="commend-decide">
      <button type="button" disabled={busy} onClick={() => onDecide(true, reason.trim() || null)}>{t('approve', lang)}</button>
      <input name="reason" aria-label={t('commend.reason', lang)} placeholder={t('commend.reason', lang)} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="button" disabled={busy || reason.trim() === ''} onClick={() => onDecide(false, reason.trim())}>{t('commend.reject', lang)}</button>
    </div>
  );
}

function Outcome({ state, lang }: { state: WriteState; lang: Lang }) {
  if (state.done) return <p className="ok" role="status" data-testid="commend-outcome">{t(state.done, lang)}</p>;
  return state.failure ? <p role="alert" data-testid="commend-refusal">{failureText(state.failure, lang)}</p> : null;
}

export function Commendations({ lang }: { lang: Lang }) {
  const [root, setRoot] = useState<{ code: string; name: string }>({ code: 'TLD', name: 'Tổng Liên đoàn Lao động Việt Nam' });
  const { data, error, put } = useCommendations(root.code);
  const actions = useCommendationActions(put);
  const [fileError, setFileError] = useState<unknown>(null);
  const download = downloadOnClick((_, failure) => setFileError(failure));
  return (
    <main className="commendations" data-testid="commendations">
      <div className="toolbar">
        <h2>{t('commend.title', lang)} — {root.name}</h2>
        <UnionPicker lang={lang} onPick={(u) => setRoot({ code: u.code, name: u.name })} placeholder={t('commend.pickRoot', lang)} />
        <a href={`/reports/commendations.xlsx?root=${encodeURIComponent(root.code)}`} onClick={download} data-testid="commend-xlsx">{t('commend.xlsx', lang)}</a>
      </div>
      {error !== null && <p role="alert">{failureText(error, lang)}</p>}
      {fileError !== null && <p role="alert">{failureText(fileError, lang)}</p>}
      {!data && error === null && <p className="loading">{t('loading', lang)}</p>}
      <Outcome state={actions.state} lang={lang} />
      {data && (
        <div className="commend-body">
          <table className="commend-table" data-testid="commend-table">
            <thead>
              <tr>
                <th>{t('commend.kind', lang)}</th><th>{t('unit', lang)}</th><th>{t('commend.personName', lang)}</th><th>{t('commend.achievement', lang)}</th>
                <th>{t('commend.rank', lang)}</th><th>{t('achieved', lang)}</th><th>{t('commend.status', lang)}</th><th>{t('commend.by', lang)}</th><th />
              </tr>
            </thead>
            <tbody>
              {data.commendationProposals.length === 0 && <tr><td colSpan={9}>{t('commend.none', lang)}</td></tr>}
              {data.commendationProposals.map((p) => (
                <tr key={p.id} className={`status-${p.status.toLowerCase()}`} data-testid={`proposal-${p.id}`}>
                  <td>{commendationKindLabel(p.kind, lang)}</td>
                  <td>{p.union.name}</td>
                  <td>{p.personName ?? ''}{p.position ? <div className="meta">{p.position}</div> : null}</td>
                  <td lang="vi">{p.achievement}</td>
                  <td className="num">{p.rank ?? '—'}</td>
                  <td className="num">{pct(p.percentAchieved, lang)}</td>
                  <td>
                    <span className="commend-status">{commendationStatusLabel(p.status, lang)}</span>
                    {p.reason && <div className="meta">{t('commend.reason', lang)}: {p.reason}</div>}
                  </td>
                  <td>
                    {p.proposedBy} · {when(p.proposedAt, lang)}
                    {p.decidedBy && p.decidedAt && <div className="meta">{p.decidedBy} · {when(p.decidedAt, lang)}</div>}
                  </td>
                  <td>{canDecide(p, root.code, data.me, approves) && <Decide lang={lang} busy={actions.state.busy} onDecide={(a, r) => void actions.decide(p.id, a, r)} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ProposeForm key={actions.state.writes} root={root.code} lang={lang} busy={actions.state.busy} onPropose={(input) => void actions.propose(input)} />
        </div>
      )}
    </main>
  );
}
