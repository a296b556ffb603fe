/**
 * The side panel of the focused cell: its value, status and proposal, the discrepancies its
 * indicator is part of under its union (each named by union, see DiscrepancyItem), its history and
 * comments; and what the caller may do with it. Data and writes live in ./panel/'s hooks.
 */
import { failureText } from './messages.ts';
import { formatViNumber } from '@unionhub/schema/numbers';
import { t, type Lang } from './i18n.ts';
import { useCellDetail, type PanelFigure } from './panel/useCellDetail.ts';
import { usePanelActions } from './panel/usePanelActions.ts';
import { DiscrepancyItem } from './panel/DiscrepancyItem.tsx';

export interface CellRef {
  unionCode: string;
  unionName: string;
  indicatorCode: string;
  indicatorLabel: string;
  year: number;
  scenario: 'ACTUAL' | 'TARGET';
}

type Can = (op: 'comment' | 'submit' | 'approve' | 'edit' | 'readUnapproved') => boolean;
const statusWord = (status: string, lang: Lang) => t(status.toLowerCase() as 'draft' | 'submitted' | 'approved', lang);

/** `version`: the cell's version as the sheet holds it; when a write or a live update moves it, the panel reloads. */
export function CellPanel({ cell, version, lang, can, onChanged }: { cell: CellRef; version: number | undefined; lang: Lang; can: Can; onChanged: () => void }) {
  const { detail, error, setError, reload } = useCellDetail(cell, version, can('readUnapproved'));
  const a = usePanelActions(cell, lang, () => (reload(), onChanged()), setError);
  const f = detail?.figure ?? null;
  const reviewable = (f?.status === 'SUBMITTED' || f?.proposedValue != null) && can('approve');
  return (
    <aside className="cell-panel" aria-label={t('cellPanel', lang)}>
      <h3>{cell.unionName}</h3>
      <p>
        {cell.indicatorLabel} — {cell.year} ({t(cell.scenario === 'ACTUAL' ? 'actual' : 'target', lang)})
      </p>
      {error !== null && <p role="alert">{failureText(error, lang)}</p>}
      {!detail && error === null && <p>{t('loading', lang)}</p>}
      {detail && (
        <>
          <p className="value">
            <strong>{formatViNumber(f?.value ?? null)}</strong> <span className={`status st-${f?.status?.toLowerCase()}`}>{f?.status ? statusWord(f.status, lang) : '—'}</span>
            {f?.proposedValue !== null && f?.proposedValue !== undefined && <span> · {t('proposal', lang)}: {formatViNumber(f.proposedValue)}</span>}
          </p>
          {can('comment') && (
            <section className="comment-box">
              <textarea aria-label={t('commentOrReason', lang)} value={a.text} onChange={(e) => a.setText(e.target.value)} rows={2} />
              {f && <button type="button" disabled={!a.text.trim()} onClick={() => void a.comment()}>{t('comment', lang)}</button>}
            </section>
          )}
          <div className="actions">
            {f?.status === 'DRAFT' && can('submit') && <button type="button" onClick={() => void a.submit()}>{t('submit', lang)}</button>}
            {reviewable && <button type="button" onClick={() => void a.approve()}>{t('approve', lang)}</button>}
            {reviewable && <button type="button" disabled={!a.text.trim()} onClick={() => void a.sendBack()}>{t('sendBack', lang)}</button>}
          </div>
          {f?.status === 'APPROVED' && can('edit') && (
            <div className="proposal-form">
              <input aria-label={t('propose', lang)} inputMode="decimal" value={a.proposed} onChange={(e) => a.setProposed(e.target.value)} placeholder={formatViNumber(f.value)} size={10} />
              <button type="button" disabled={!a.proposed.trim()} onClick={() => void a.propose(f.version)}>{t('propose', lang)}</button>
            </div>
          )}
          {detail.discrepancies.length > 0 && (
            <section className="discrepancies">
              <h4>{t('discrepancies', lang)}</h4>
              {detail.discrepancies.map((d) => (
                <DiscrepancyItem key={d.id} d={d} lang={lang} may={{ explain: can('comment'), decide: can('approve'), withText: a.text.trim() !== '' }} decide={(k, id) => void a.decide(k, id)} />
              ))}
            </section>
          )}
          {f?.revisions && <History figure={f} lang={lang} />}
        </>
      )}
    </aside>
  );
}

function History({ figure, lang }: { figure: PanelFigure; lang: Lang }) {
  return (
    <section>
      <h4>{t('history', lang)}</h4>
      <ol className="history">
        {(figure.revisions ?? []).map((r, k) => (
          <li key={k}>
            {new Date(r.at).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')} · {r.actor} · {t(`change.${r.change}` as 'change.value', lang)}
            {r.change === 'comment'
              ? `: ${r.reason}`
              : `: ${formatViNumber(r.beforeValue)} → ${formatViNumber(r.afterValue)}${r.beforeStatus !== r.afterStatus ? ` (${r.beforeStatus ? statusWord(r.beforeStatus, lang) : '—'} → ${r.afterStatus ? statusWord(r.afterStatus, lang) : '—'})` : ''}${r.reason ? ` — ${r.reason}` : ''}`}
          </li>
        ))}
      </ol>
    </section>
  );
}
