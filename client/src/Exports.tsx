/**
 * Downloads of approved figures (CSV, XLSX, JSON) for a subtree, years and scenario. Plain links:
 * the browser streams the file; the session's CSRF token rides in the URL since a link sends no headers.
 */
import { useState } from 'react';
import { FIRST_YEAR, LAST_YEAR, YEARS } from '@unionhub/schema/periods';
import { csrfToken } from './api.ts';
import type { Lang } from './i18n.ts';
import { Import } from './Import.tsx';

const L = {
  title: { vi: 'Xuất số liệu đã duyệt', en: 'Export approved figures' },
  root: { vi: 'Mã đơn vị (cả cấp dưới)', en: 'Unit code (with its subtree)' },
  years: { vi: 'Năm', en: 'Years' },
  scenario: { vi: 'Loại số liệu', en: 'Scenario' },
  all: { vi: 'Thực hiện và chỉ tiêu', en: 'Actual and target' },
  actual: { vi: 'Thực hiện', en: 'Actual' },
  target: { vi: 'Chỉ tiêu', en: 'Target' },
  indicators: { vi: 'Mã chỉ tiêu (để trống: tất cả)', en: 'Indicator codes (empty: all)' },
  note: {
    vi: 'Tệp chỉ gồm các ô đã duyệt; số ô chưa duyệt được ghi ở trang "Ghi chú" (XLSX), trường notApproved (JSON) và X-Not-Approved-Cells (CSV: tiêu đề của HEAD, trailer của GET).',
    en: 'Files hold approved cells only; how many are not approved yet is on the "Ghi chú" sheet (XLSX), in notApproved (JSON) and in X-Not-Approved-Cells (CSV: the headers of a HEAD request, the trailers of the GET).',
  },
} as const;

export function exportUrl(format: 'csv' | 'xlsx' | 'json', p: { root: string; from: number; to: number; scenario: string; indicators: string }): string {
  const q = new URLSearchParams({ root: p.root.trim() || 'TLD', years: `${p.from}-${p.to}`, scenario: p.scenario, csrf: csrfToken() });
  const indicators = p.indicators.split(/[\s,]+/).filter(Boolean).join(',');
  if (indicators) q.set('indicators', indicators);
  return `/exports/figures.${format}?${q}`;
}

export function Exports({ lang }: { lang: Lang }) {
  const [root, setRoot] = useState('TLD');
  const [from, setFrom] = useState(FIRST_YEAR);
  const [to, setTo] = useState(2017 <= LAST_YEAR ? 2017 : LAST_YEAR);
  const [scenario, setScenario] = useState('all');
  const [indicators, setIndicators] = useState('');
  const params = { root, from, to, scenario, indicators };
  return (
    <section className="files-section" data-testid="exports">
      <h2>{L.title[lang]}</h2>
      <div className="files-form">
        <label>{L.root[lang]} <input value={root} onChange={(e) => setRoot(e.target.value)} size={10} name="root" /></label>
        <label>
          {L.years[lang]}{' '}
          <select value={from} onChange={(e) => { const y = Number(e.target.value); setFrom(y); setTo(Math.max(y, to)); }} aria-label="from">
            {YEARS.map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
          –
          <select value={to} onChange={(e) => { const y = Number(e.target.value); setTo(y); setFrom(Math.min(from, y)); }} aria-label="to">
            {YEARS.map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </label>
        <label>
          {L.scenario[lang]}{' '}
          <select value={scenario} onChange={(e) => setScenario(e.target.value)} name="scenario">
            <option value="all">{L.all[lang]}</option>
            <option value="actual">{L.actual[lang]}</option>
            <option value="target">{L.target[lang]}</option>
          </select>
        </label>
        <label>{L.indicators[lang]} <input value={indicators} onChange={(e) => setIndicators(e.target.value)} placeholder="members, grassroots" name="indicators" /></label>
      </div>
      <p className="files-links">
        {(['xlsx', 'csv', 'json'] as const).map((f) => (
          <a key={f} href={exportUrl(f, params)} download data-format={f}>⬇ {f.toUpperCase()}</a>
        ))}
      </p>
      <p className="files-note">{L.note[lang]}</p>
    </section>
  );
}

/** The files page: exports and the import side by side. */
export function Files({ lang }: { lang: Lang }) {
  return (
    <div className="files">
      <Exports lang={lang} />
      <Import lang={lang} />
    </div>
  );
}
