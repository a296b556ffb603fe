/**
 * Import of a unit's workbook (the export's layout): pick the file → the server's preview (counts,
 * the changes, rejected cells by sheet/row/column) → apply. The upload and the answer show progress:
 * XMLHttpRequest reports the bytes sent; then the server checks (preview) or writes (apply).
 */
import { useState } from 'react';
import { formatViNumber } from '@unionhub/schema/numbers';
import { csrfToken } from './api.ts';
import { t, type Lang } from './i18n.ts';
import { failureText, sayKey } from './messages.ts';
import type { MessageParams } from '@unionhub/schema/messages';

interface Preview {
  sheet: string;
  rows: number;
  counts: Record<'new' | 'change' | 'proposal' | 'unchanged' | 'blank' | 'rejected', number>;
  changes: { kind: string; row: number; unionCode: string; indicatorCode: string; year: number; scenario: string; value: number | null; currentValue: number | null }[];
  rejects: { sheet: string; row: number; column: string; reason: string; key?: string; params?: MessageParams }[];
  token: string;
}

type Phase = { step: 'uploading'; sent: number; total: number } | { step: 'checking' | 'writing' };

/** POST the file with upload progress; resolve with the JSON answer or reject with its message. */
function upload<T>(url: string, file: File, onPhase: (p: Phase) => void, serverStep: 'checking' | 'writing'): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('x-csrf-token', csrfToken());
    xhr.upload.onprogress = (e) => onPhase({ step: 'uploading', sent: e.loaded, total: e.total || file.size });
    xhr.upload.onload = () => onPhase({ step: serverStep });
    xhr.onload = () => {
      let body: { message?: string } | null = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 200) resolve(body as T);
      else reject(Object.assign(new Error(body?.message ?? `HTTP ${xhr.status}`), { body }));
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(file);
  });
}

export function Import({ lang }: { lang: Lang }) {
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [result, setResult] = useState<{ written: number; proposed: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');

  const go = async (action: 'preview' | 'apply') => {
    if (!file) return;
    setError(null);
    setResult(null);
    // Shown at once: a small file may be sent and answered before the first progress event.
    setPhase({ step: 'uploading', sent: 0, total: file.size });
    try {
      if (action === 'preview') {
        setPreview(null);
        setPreview(await upload<Preview>('/imports/preview', file, setPhase, 'checking'));
      } else {
        const q = new URLSearchParams({ token: preview!.token, ...(reason.trim() ? { reason: reason.trim() } : {}) });
        setResult(await upload<{ written: number; proposed: number }>(`/imports/apply?${q}`, file, setPhase, 'writing'));
        setPreview(null);
      }
    } catch (e) {
      setError(e);
    } finally {
      setPhase(null);
    }
  };

  const writes = preview ? preview.counts.new + preview.counts.change + preview.counts.proposal : 0;
  return (
    <section className="files-section" data-testid="import">
      <h2>{t('import.title', lang)}</h2>
      <p className="files-note">{t('import.hint', lang)}</p>
      <div className="files-form">
        <input type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setPreview(null); setResult(null); setError(null); }} />
        <button type="button" disabled={!file || phase !== null} onClick={() => go('preview')}>{t('import.preview', lang)}</button>
      </div>
      {phase && (
        <div className="import-progress" role="status">
          {phase.step === 'uploading' ? (
            <>
              {t('import.uploading', lang)} <progress max={phase.total} value={phase.sent} /> {Math.round((100 * phase.sent) / Math.max(1, phase.total))}%
            </>
          ) : (
            <>
              {t(`import.${phase.step}` as const, lang)}… <progress />
            </>
          )}
        </div>
      )}
      {error !== null && <p role="alert">{failureText(error, lang)}</p>}
      {result && <p className="import-done" role="status">{t('import.done', lang)}: {result.written} {t('import.rows', lang)}, {result.proposed} {t('import.proposed', lang)}.</p>}
      {preview && (
        <div className="import-preview">
          <p>
            {preview.sheet}: {formatViNumber(preview.rows)} {t('import.rows', lang)} —{' '}
            {(['new', 'change', 'proposal', 'unchanged', 'blank', 'rejected'] as const).map((k) => (
              <span key={k} className={`count count-${k}`} data-count={k}>{t(`import.${k}` as const, lang)}: <strong>{formatViNumber(preview.counts[k])}</strong>{' '}</span>
            ))}
          </p>
          {preview.rejects.length > 0 && (
            <>
              <p role="alert">{t('import.fixFirst', lang)}</p>
              <table className="progress-table import-rejects">
                <tbody>
                  {preview.rejects.slice(0, 200).map((r) => (
                    <tr key={`${r.sheet}${r.row}${r.column}`}><td>{r.sheet}!{r.column}{r.row}</td><td>{sayKey(r.key, r.params ?? {}, lang, r.reason)}</td></tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {preview.changes.length > 0 && (
            <table className="progress-table import-changes">
              <thead><tr><th>{t('import.cell', lang)}</th><th /><th>{t('import.current', lang)}</th><th>{t('import.value', lang)}</th></tr></thead>
              <tbody>
                {preview.changes.slice(0, 200).map((c) => (
                  <tr key={c.row}>
                    <td>{c.row}: {c.unionCode} · {c.indicatorCode} · {c.year} · {c.scenario}</td>
                    <td>{t(`import.${c.kind as 'new' | 'change' | 'proposal'}` as const, lang)}</td>
                    <td>{formatViNumber(c.currentValue)}</td>
                    <td>{formatViNumber(c.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {preview.rejects.length === 0 && writes > 0 && (
            <div className="files-form">
              <label>{t('import.reason', lang)} <input value={reason} onChange={(e) => setReason(e.target.value)} size={40} /></label>
              <button type="button" disabled={phase !== null} onClick={() => go('apply')}>{t('import.apply', lang)} ({writes})</button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
