/**
 * Import of a unit's workbook (the export's layout): pick the file → the server's preview (counts,
 * the changes, rejected cells by sheet/row/column) → apply. The upload and the answer show progress:
 * XMLHttpRequest reports the bytes sent; then the server checks (preview) or writes (apply).
 */
import { useState } from 'react';
import { formatViNumber } from '@unionhub/schema/numbers';
import { csrfToken } from './api.ts';
import type { Lang } from './i18n.ts';

const L = {
  title: { vi: 'Nhập tệp Excel của đơn vị', en: 'Import a unit workbook' },
  hint: {
    vi: 'Tệp .xlsx theo mẫu của tệp xuất (có thể sửa số, thêm dòng). Ô đã duyệt có số khác sẽ thành đề xuất sửa.',
    en: 'An .xlsx in the export layout (edit values, add rows). A different value for an approved cell becomes a proposal.',
  },
  preview: { vi: 'Xem trước', en: 'Preview' },
  apply: { vi: 'Áp dụng', en: 'Apply' },
  uploading: { vi: 'Đang tải lên', en: 'Uploading' },
  checking: { vi: 'Đang kiểm tra', en: 'Checking' },
  writing: { vi: 'Đang ghi', en: 'Writing' },
  rows: { vi: 'dòng', en: 'rows' },
  new: { vi: 'Số mới', en: 'New values' },
  change: { vi: 'Sửa ô chưa duyệt', en: 'Changes to unapproved cells' },
  proposal: { vi: 'Đề xuất sửa ô đã duyệt', en: 'Proposals for approved cells' },
  unchanged: { vi: 'Không đổi', en: 'Unchanged' },
  blank: { vi: 'Để trống', en: 'Blank' },
  rejected: { vi: 'Bị từ chối', en: 'Rejected' },
  fixFirst: { vi: 'Sửa các ô bị từ chối rồi xem trước lại: tệp có ô lỗi không được ghi.', en: 'Fix the rejected cells and preview again: a file with a bad cell writes nothing.' },
  done: { vi: 'Đã ghi', en: 'Written' },
  proposed: { vi: 'đề xuất', en: 'proposed' },
  reason: { vi: 'Lý do (ghi vào lịch sử)', en: 'Reason (kept in the history)' },
  cell: { vi: 'Ô', en: 'Cell' },
  value: { vi: 'Số trong tệp', en: 'In the file' },
  current: { vi: 'Hiện tại', en: 'Now' },
} as const;

interface Preview {
  sheet: string;
  rows: number;
  counts: Record<'new' | 'change' | 'proposal' | 'unchanged' | 'blank' | 'rejected', number>;
  changes: { kind: string; row: number; unionCode: string; indicatorCode: string; year: number; scenario: string; value: number | null; currentValue: number | null }[];
  rejects: { sheet: string; row: number; column: string; reason: string }[];
  token: string;
}

type Phase = { step: 'uploading'; sent: number; total: number } | { step: 'checking' | 'writing' };

/** POST the file with upload progress; resolve with the JSON answer or reject with its message. */
function upload(url: string, file: File, onPhase: (p: Phase) => void, serverStep: 'checking' | 'writing'): Promise<any> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('x-csrf-token', csrfToken());
    xhr.upload.onprogress = (e) => onPhase({ step: 'uploading', sent: e.loaded, total: e.total || file.size });
    xhr.upload.onload = () => onPhase({ step: serverStep });
    xhr.onload = () => {
      let body: any = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 200) resolve(body);
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
  const [error, setError] = useState<string | null>(null);
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
        setPreview(await upload('/imports/preview', file, setPhase, 'checking'));
      } else {
        const q = new URLSearchParams({ token: preview!.token, ...(reason.trim() ? { reason: reason.trim() } : {}) });
        setResult(await upload(`/imports/apply?${q}`, file, setPhase, 'writing'));
        setPreview(null);
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPhase(null);
    }
  };

  const writes = preview ? preview.counts.new + preview.counts.change + preview.counts.proposal : 0;
  return (
    <section className="files-section" data-testid="import">
      <h2>{L.title[lang]}</h2>
      <p className="files-note">{L.hint[lang]}</p>
      <div className="files-form">
        <input type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setPreview(null); setResult(null); setError(null); }} />
        <button type="button" disabled={!file || phase !== null} onClick={() => go('preview')}>{L.preview[lang]}</button>
      </div>
      {phase && (
        <div className="import-progress" role="status">
          {phase.step === 'uploading' ? (
            <>
              {L.uploading[lang]} <progress max={phase.total} value={phase.sent} /> {Math.round((100 * phase.sent) / Math.max(1, phase.total))}%
            </>
          ) : (
            <>
              {L[phase.step][lang]}… <progress />
            </>
          )}
        </div>
      )}
      {error && <p role="alert">{error}</p>}
      {result && <p className="import-done" role="status">{L.done[lang]}: {result.written} {L.rows[lang]}, {result.proposed} {L.proposed[lang]}.</p>}
      {preview && (
        <div className="import-preview">
          <p>
            {preview.sheet}: {formatViNumber(preview.rows)} {L.rows[lang]} —{' '}
            {(['new', 'change', 'proposal', 'unchanged', 'blank', 'rejected'] as const).map((k) => (
              <span key={k} className={`count count-${k}`} data-count={k}>{L[k][lang]}: <strong>{formatViNumber(preview.counts[k])}</strong>{' '}</span>
            ))}
          </p>
          {preview.rejects.length > 0 && (
            <>
              <p role="alert">{L.fixFirst[lang]}</p>
              <table className="progress-table import-rejects">
                <tbody>
                  {preview.rejects.slice(0, 200).map((r) => (
                    <tr key={`${r.sheet}${r.row}${r.column}`}><td>{r.sheet}!{r.column}{r.row}</td><td>{r.reason}</td></tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {preview.changes.length > 0 && (
            <table className="progress-table import-changes">
              <thead><tr><th>{L.cell[lang]}</th><th /><th>{L.current[lang]}</th><th>{L.value[lang]}</th></tr></thead>
              <tbody>
                {preview.changes.slice(0, 200).map((c) => (
                  <tr key={c.row}>
                    <td>{c.row}: {c.unionCode} · {c.indicatorCode} · {c.year} · {c.scenario}</td>
                    <td>{L[c.kind as 'new' | 'change' | 'proposal'][lang]}</td>
                    <td>{formatViNumber(c.currentValue)}</td>
                    <td>{formatViNumber(c.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {preview.rejects.length === 0 && writes > 0 && (
            <div className="files-form">
              <label>{L.reason[lang]} <input value={reason} onChange={(e) => setReason(e.target.value)} size={40} /></label>
              <button type="button" disabled={phase !== null} onClick={() => go('apply')}>{L.apply[lang]} ({writes})</button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
