/** A from–to pair of year pickers over the years the catalogue knows. */
import { YEARS } from '@unionhub/schema/periods';
import { t, type Lang } from './i18n.ts';

export interface Years {
  from: number;
  to: number;
}

export const yearsOf = (r: Years): number[] => YEARS.filter((y) => y >= r.from && y <= r.to);

export function YearRange({ value, onChange, lang }: { value: Years; onChange: (r: Years) => void; lang: Lang }) {
  return (
    <span className="year-range">
      {t('years', lang)}{' '}
      <select aria-label={t('yearFrom', lang)} value={value.from} onChange={(e) => { const from = Number(e.target.value); onChange({ from, to: Math.max(from, value.to) }); }}>
        {YEARS.map((y) => <option key={y} value={y}>{y}</option>)}
      </select>
      –
      <select aria-label={t('yearTo', lang)} value={value.to} onChange={(e) => { const to = Number(e.target.value); onChange({ from: Math.min(value.from, to), to }); }}>
        {YEARS.map((y) => <option key={y} value={y}>{y}</option>)}
      </select>
    </span>
  );
}
