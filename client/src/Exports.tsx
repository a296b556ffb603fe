/**
 * Downloads of approved figures (CSV, XLSX, JSON) for a subtree, years and scenario. Links the
 * browser streams: a click asks for a short-lived download ticket first (a link sends no headers,
 * and a CSRF token does not belong in a URL).
 */
import { useState } from 'react';
import { FIRST_YEAR, LAST_YEAR } from '@unionhub/schema/periods';
import { downloadOnClick } from './api.ts';
import { t, type Lang } from './i18n.ts';
import { Import } from './Import.tsx';
import { YearRange } from './YearRange.tsx';
import { UnionPicker, type PickedUnion } from './UnionPicker.tsx';
import { failureText } from './messages.ts';

export function exportUrl(format: 'csv' | 'xlsx' | 'json', p: { root: string; from: number; to: number; scenario: string; indicators: string }): string {
  const q = new URLSearchParams({ root: p.root.trim() || 'TLD', years: `${p.from}-${p.to}`, scenario: p.scenario });
  const indicators = p.indicators.split(/[\s,]+/).filter(Boolean).join(',');
  if (indicators) q.set('indicators', indicators);
  return `/exports/figures.${format}?${q}`;
}

export function Exports({ lang }: { lang: Lang }) {
  const [picked, setPicked] = useState<Pick<PickedUnion, 'code' | 'name'> | null>(null);
  const root = picked?.code ?? 'TLD';
  const [from, setFrom] = useState(FIRST_YEAR);
  const [to, setTo] = useState(2017 <= LAST_YEAR ? 2017 : LAST_YEAR);
  const [scenario, setScenario] = useState('all');
  const [indicators, setIndicators] = useState('');
  const [error, setError] = useState<unknown>(null);
  const params = { root, from, to, scenario, indicators };
  return (
    <section className="files-section" data-testid="exports">
      <h2>{t('export.title', lang)}</h2>
      <div className="files-form">
        <div className="files-root">
          <span>{t('export.root', lang)}</span>
          <UnionPicker lang={lang} onPick={(u) => { setPicked(u); setError(null); }} />
          <span className="files-root-picked" data-testid="export-root" data-code={root}>{picked ? `${picked.name} (${picked.code})` : t('export.everything', lang)}</span>
        </div>
        <YearRange value={{ from, to }} onChange={(r) => { setFrom(r.from); setTo(r.to); }} lang={lang} />
        <label>
          {t('export.scenario', lang)}{' '}
          <select value={scenario} onChange={(e) => setScenario(e.target.value)} name="scenario">
            <option value="all">{t('export.all', lang)}</option>
            <option value="actual">{t('export.actual', lang)}</option>
            <option value="target">{t('export.target', lang)}</option>
          </select>
        </label>
        <label>{t('export.indicators', lang)} <input value={indicators} onChange={(e) => setIndicators(e.target.value)} placeholder="members, grassroots" name="indicators" /></label>
      </div>
      <p className="files-links">
        {(['xlsx', 'csv', 'json'] as const).map((f) => (
          <a key={f} href={exportUrl(f, params)} download data-format={f} onClick={(e) => { setError(null); downloadOnClick((_, failure) => setError(failure))(e); }}>⬇ {f.toUpperCase()}</a>
        ))}
      </p>
      {error !== null && <p className="error" role="alert">{t('export.refused', lang)}: {failureText(error, lang)}</p>}
      <p className="files-note">{t('export.note', lang)}</p>
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
