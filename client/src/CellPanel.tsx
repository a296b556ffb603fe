/**
 * The side panel of the focused cell: its value, status and proposal, its discrepancies (with the
 * children behind a sum), its history and comments; and what the caller may do with it.
 */
import { useCallback, useEffect, useState } from 'react';
import { formatViNumber, parseViNumber } from '@unionhub/schema/numbers';
import { run } from './api.ts';
import { notANumber, t, type Lang } from './i18n.ts';
import { failureText } from './messages.ts';

export interface CellRef {
  unionCode: string;
  unionName: string;
  indicatorCode: string;
  indicatorLabel: string;
  year: number;
  scenario: 'ACTUAL' | 'TARGET';
}

interface Detail {
  figure: {
    value: number | null;
    status: string;
    version: number;
    proposedValue: number | null;
    revisions?: { change: string; beforeValue: number | null; afterValue: number | null; beforeStatus: string | null; afterStatus: string | null; actor: string; at: string; reason: string | null }[];
    comments?: { author: string; at: string; text: string }[];
  } | null;
  discrepancies?: { id: number; rule: { labelVi: string; labelEn: string }; indicator: { code: string }; state: string; difference: number | null; message: string; drillDown: { union: { code: string; name: string }; value: number | null }[] }[];
}

// History, comments and discrepancies only for those who may read unapproved work (not viewers).
const DETAIL = `query ($u: String!, $i: String!, $y: Int!, $s: Scenario!, $full: Boolean!) {
  figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: $s) {
    value status version proposedValue
    revisions @include(if: $full) { change beforeValue afterValue beforeStatus afterStatus actor at reason }
    comments @include(if: $full) { author at text }
  }
  discrepancies(root: $u, year: $y, scenario: $s, states: [OPEN, EXPLAINED]) @include(if: $full) {
    id rule { labelVi labelEn } indicator { code } state difference message drillDown { union { code name } value }
  }
}`;

/** `version`: the cell's version as the sheet holds it; when a write or a live update moves it, the panel reloads. */
export function CellPanel({ cell, version, lang, can, onChanged }: { cell: CellRef; version: number | undefined; lang: Lang; can: (op: 'comment' | 'submit' | 'approve' | 'edit' | 'readUnapproved') => boolean; onChanged: () => void }) {
  const [detail, setDetail] = useState<(Detail & { discrepancies: NonNullable<Detail['discrepancies']> }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [proposed, setProposed] = useState('');
  const full = can('readUnapproved');
  const key = { unionCode: cell.unionCode, indicatorCode: cell.indicatorCode, year: cell.year, scenario: cell.scenario };

  const load = useCallback(() => {
    run<Detail>(DETAIL, { u: cell.unionCode, i: cell.indicatorCode, y: cell.year, s: cell.scenario, full })
      .then((d) => setDetail({ ...d, discrepancies: (d.discrepancies ?? []).filter((x) => x.indicator.code === cell.indicatorCode || x.message.includes(cell.indicatorCode)) }))
      .catch((e: Error) => setError(failureText(e, lang)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the language only words a refusal; it is no reason to reload
  }, [cell.unionCode, cell.indicatorCode, cell.year, cell.scenario, full, version]);
  useEffect(load, [load]);

  const act = async (query: string, variables: Record<string, unknown>) => {
    try {
      await run(query, variables, true);
      setText('');
      setProposed('');
      load();
      onChanged();
    } catch (e) {
      setError(failureText(e, lang));
    }
  };
  const move = (kind: string, reason?: string) =>
    act(`mutation ($c: CellKey!${reason !== undefined ? ', $r: String!' : ''}) { ${kind}(selection: { cells: [$c] }${reason !== undefined ? ', reason: $r' : ''}) { movedCount } }`, { c: key, r: reason });

  /** A correction to an approved cell waits as a proposal; the approved value stays in force until approved. */
  const propose = () => {
    const parsed = parseViNumber(proposed);
    if (!parsed.ok || parsed.value === null) return setError(parsed.ok ? t('propose', lang) : notANumber(proposed, lang));
    void act('mutation ($c: CellKey!, $v: Float!, $e: Int!, $r: String) { proposeFigure(cell: $c, value: $v, expectedVersion: $e, reason: $r) { version } }', {
      c: key, v: parsed.value, e: detail!.figure!.version, r: text.trim() || null,
    });
  };
  const decide = (kind: 'explain' | 'accept' | 'waive', id: number) =>
    act(`mutation ($id: Int!, $t: String!) { ${kind}Discrepancy(id: $id, text: $t) { state } }`, { id, t: text });

  const f = detail?.figure;
  const statusWord = (status: string) => t(status.toLowerCase() as 'draft' | 'submitted' | 'approved', lang);
  return (
    <aside className="cell-panel" aria-label={t('cellPanel', lang)}>
      <h3>{cell.unionName}</h3>
      <p>
        {cell.indicatorLabel} — {cell.year} ({t(cell.scenario === 'ACTUAL' ? 'actual' : 'target', lang)})
      </p>
      {error && <p role="alert">{error}</p>}
      {!detail && !error && <p>{t('loading', lang)}</p>}
      {detail && (
        <>
          <p className="value">
            <strong>{formatViNumber(f?.value ?? null)}</strong> <span className={`status st-${f?.status.toLowerCase()}`}>{f ? statusWord(f.status) : '—'}</span>
            {f?.proposedValue !== null && f?.proposedValue !== undefined && <span> · {t('proposal', lang)}: {formatViNumber(f.proposedValue)}</span>}
          </p>
          {can('comment') && (
            <section className="comment-box">
              <textarea aria-label={t('commentOrReason', lang)} value={text} onChange={(e) => setText(e.target.value)} rows={2} />
              {f && (
                <button type="button" disabled={!text.trim()} onClick={() => void act('mutation ($c: CellKey!, $t: String!) { commentFigure(cell: $c, text: $t) { version } }', { c: key, t: text })}>
                  {t('comment', lang)}
                </button>
              )}
            </section>
          )}
          <div className="actions">
            {f?.status === 'DRAFT' && can('submit') && <button type="button" onClick={() => void move('submitFigures')}>{t('submit', lang)}</button>}
            {(f?.status === 'SUBMITTED' || f?.proposedValue != null) && can('approve') && <button type="button" onClick={() => void move('approveFigures')}>{t('approve', lang)}</button>}
            {(f?.status === 'SUBMITTED' || f?.proposedValue != null) && can('approve') && (
              <button type="button" disabled={!text.trim()} onClick={() => void move('sendBackFigures', text)}>{t('sendBack', lang)}</button>
            )}
          </div>
          {f?.status === 'APPROVED' && can('edit') && (
            <div className="proposal-form">
              <input aria-label={t('propose', lang)} inputMode="decimal" value={proposed} onChange={(e) => setProposed(e.target.value)} placeholder={formatViNumber(f.value)} size={10} />
              <button type="button" disabled={!proposed.trim()} onClick={propose}>{t('propose', lang)}</button>
            </div>
          )}
          {detail.discrepancies.length > 0 && (
            <section>
              <h4>{t('discrepancies', lang)}</h4>
              {detail.discrepancies.map((d) => (
                <div key={d.id} className="discrepancy">
                  <div>
                    <strong>{lang === 'vi' ? d.rule.labelVi : d.rule.labelEn}</strong> ({t(`state.${d.state.toLowerCase()}` as 'state.open', lang)}) — {d.message}
                  </div>
                  <div className="actions">
                    {can('comment') && <button type="button" disabled={!text.trim()} onClick={() => void decide('explain', d.id)}>{t('explain', lang)}</button>}
                    {can('approve') && <button type="button" disabled={!text.trim()} onClick={() => void decide('accept', d.id)}>{t('accept', lang)}</button>}
                    {can('approve') && <button type="button" disabled={!text.trim()} onClick={() => void decide('waive', d.id)}>{t('waive', lang)}</button>}
                  </div>
                  {d.drillDown.length > 0 && (
                    <ul className="drill-down">
                      {d.drillDown.map((c) => (
                        <li key={c.union.code}>
                          {c.union.name}: {formatViNumber(c.value)}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              ))}
            </section>
          )}
          {f?.revisions && (
            <section>
              <h4>{t('history', lang)}</h4>
              <ol className="history">
                {f.revisions.map((r, k) => (
                  <li key={k}>
                    {new Date(r.at).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')} · {r.actor} · {t(`change.${r.change}` as 'change.value', lang)}
                    {r.change === 'comment' ? `: ${r.reason}` : `: ${formatViNumber(r.beforeValue)} → ${formatViNumber(r.afterValue)}${r.beforeStatus !== r.afterStatus ? ` (${r.beforeStatus ? statusWord(r.beforeStatus) : '—'} → ${r.afterStatus ? statusWord(r.afterStatus) : '—'})` : ''}${r.reason ? ` — ${r.reason}` : ''}`}
                  </li>
                ))}
              </ol>
            </section>
          )}
        </>
      )}
    </aside>
  );
}
