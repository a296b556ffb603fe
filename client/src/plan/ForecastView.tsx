/**
 * A root's forecasts: per union the method the backtest chose and why ("damped trend: 1.8 % …"),
 * every method's backtest error, staleness with "Recompute", the values per year with the overrides
 * in force beside the computed value, and — for reviewers — an override with a reason.
 */
import { useCallback, useState } from 'react';
import { t, notANumber, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { count, PLAN_INDICATORS, PLAN_YEARS, rate } from './format.ts';
import { useForecastActions } from './useForecastActions.ts';
import { useForecasts, type ForecastRow } from './usePlanData.ts';

export function ForecastView({ lang, root, reviews }: { lang: Lang; root: string; reviews: boolean }) {
  const [indicator, setIndicator] = useState<string>('members');
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const forecasts = useForecasts(root, indicator, version);
  const actions = useForecastActions(reload);
  const rows = forecasts.data ?? [];
  const stale = rows.some((f) => f.stale);
  return (
    <section className="plan-forecasts" aria-label={t('plan.forecasts', lang)}>
      <div className="plan-controls">
        <label>{t('plan.indicator', lang)}{' '}
          <select value={indicator} onChange={(e) => setIndicator(e.target.value)}>{[...PLAN_INDICATORS, 'workers'].map((i) => <option key={i} value={i}>{t(`plan.indicator.${i as 'members'}`, lang)}</option>)}</select>
        </label>
        <span className={stale ? 'plan-flag' : 'muted'}>{stale ? t('plan.stale', lang) : rows.length ? t('plan.fresh', lang) : ''}</span>
        <button type="button" disabled={actions.state.busy} onClick={() => void actions.recompute(root)}>{t('plan.recompute', lang)}</button>
      </div>
      {actions.state.done && <p role="status">{t(actions.state.done, lang)}</p>}
      {actions.state.failure !== null && <p role="alert">{failureText(actions.state.failure, lang)}</p>}
      {actions.state.badValue !== null && <p role="alert">{notANumber(actions.state.badValue, lang)}</p>}
      {forecasts.error !== null && <p role="alert">{failureText(forecasts.error, lang)}</p>}
      {forecasts.data && rows.length === 0 && <p>{t('plan.noForecasts', lang)}</p>}
      {rows.length > 0 && (
        <table className="plan-table">
          <thead><tr><th>{t('plan.union', lang)}</th><th>{t('plan.method', lang)}</th>{PLAN_YEARS.map((y) => <th key={y}>{y}</th>)}<th>{t('plan.why', lang)}</th></tr></thead>
          <tbody>{rows.map((f) => <ForecastLine key={f.union.code} f={f} lang={lang} />)}</tbody>
        </table>
      )}
      {reviews && rows.length > 0 && <OverrideForm lang={lang} rows={rows} busy={actions.state.busy} onSave={(o) => void actions.override({ ...o, indicator })} />}
    </section>
  );
}

function ForecastLine({ f, lang }: { f: ForecastRow; lang: Lang }) {
  const errors = f.methods.filter((m) => m.mape !== null).map((m) => `${t(`plan.method.${m.method}`, lang)}: ${rate(m.mape, lang)}`).join(', ');
  return (
    <tr data-union={f.union.code}>
      <th scope="row">{f.union.name}{f.stale && <span className="plan-flag">{t('plan.stale', lang)}</span>}</th>
      <td>{f.method ? t(`plan.method.${f.method}`, lang) : '—'}</td>
      {PLAN_YEARS.map((y) => {
        const o = f.overrides.filter((x) => x.year === y).at(-1);
        const computed = f.computedValues.find((v) => v.year === y)?.value ?? null;
        return (
          <td key={y}>
            {count(f.values.find((v) => v.year === y)?.value ?? null, lang)}
            {o && (
              <span className={`plan-override override-${o.state}`} title={`${o.reason} — ${t('plan.by', lang)} ${o.by}, ${o.at}`}>
                {' '}({t('plan.computed', lang)} {count(computed, lang)}; {lang === 'vi' ? o.stateVi : o.stateEn}: {count(o.value, lang)} — {o.reason}, {o.by})
              </span>
            )}
          </td>
        );
      })}
      <td>{lang === 'vi' ? f.explanationVi : f.explanationEn}{errors && <div className="muted">{t('plan.error', lang)}: {errors}</div>}</td>
    </tr>
  );
}

function OverrideForm({ lang, rows, busy, onSave }: { lang: Lang; rows: ForecastRow[]; busy: boolean; onSave: (o: { unionCode: string; year: number; valueText: string; reason: string }) => void }) {
  const [unionCode, setUnion] = useState(rows[0]!.union.code);
  const [year, setYear] = useState(2023);
  const [valueText, setValue] = useState('');
  const [reason, setReason] = useState('');
  return (
    <form className="plan-controls plan-override-form" onSubmit={(e) => { e.preventDefault(); onSave({ unionCode, year, valueText, reason }); }}>
      <strong>{t('plan.override', lang)}</strong>
      <select aria-label={t('plan.union', lang)} value={unionCode} onChange={(e) => setUnion(e.target.value)}>{rows.map((f) => <option key={f.union.code} value={f.union.code}>{f.union.name}</option>)}</select>
      <select aria-label={t('plan.year', lang)} value={year} onChange={(e) => setYear(Number(e.target.value))}>{PLAN_YEARS.map((y) => <option key={y} value={y}>{y}</option>)}</select>
      <label>{t('plan.overrideValue', lang)}{' '}<input inputMode="numeric" value={valueText} onChange={(e) => setValue(e.target.value)} /></label>
      <label>{t('plan.overrideReason', lang)}{' '}<input value={reason} onChange={(e) => setReason(e.target.value)} /></label>
      <button type="submit" disabled={busy}>{t('plan.overrideSave', lang)}</button>
    </form>
  );
}
