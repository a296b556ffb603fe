/**
 * The allocation screen: a goal for 2023 (typed as in the sheet, "10.000.000", or a coverage % such
 * as "80"), a key and a root; Preview shows per union today, forecast, allocated and the growth per
 * year — for a ratio goal also each union's forecast denominator and the ratio its allocation
 * implies — the sum below the root against the goal, and every union with a note (no data for the
 * key, a forecast not stored or stale: stated, never a silent zero); Apply writes exactly that
 * preview, or says that targets changed and offers to preview again.
 */
import { useState } from 'react';
import { ALLOCATION_KEYS, indicator as catalogueIndicator, indicatorLabel } from '@unionhub/schema';
import { t, notANumber, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { ALLOCATION_INDICATORS, count, rate } from './format.ts';
import { useAllocation, type AllocationKey, type Preview } from './useAllocation.ts';

const KEY_ENUM: Record<string, AllocationKey> = { forecastWorkers: 'FORECAST_WORKERS', members: 'MEMBERS', equalGrowth: 'EQUAL_GROWTH' };

export function AllocationView({ lang, root, rootName }: { lang: Lang; root: string; rootName: string }) {
  const { state, preview, apply } = useAllocation();
  const [goal, setGoal] = useState('');
  const [key, setKey] = useState<AllocationKey>('MEMBERS');
  const [indicator, setIndicator] = useState<string>('members');
  const run = () => void preview(goal, key, root, indicator);
  return (
    <section className="plan-allocation" aria-label={t('plan.allocation', lang)}>
      <form className="plan-controls" onSubmit={(e) => { e.preventDefault(); run(); }}>
        <label>{t('plan.indicator', lang)}{' '}
          <select name="indicator" value={indicator} onChange={(e) => setIndicator(e.target.value)}>{ALLOCATION_INDICATORS.map((i) => <option key={i} value={i}>{t(`plan.indicator.${i}`, lang)}</option>)}</select>
        </label>
        <label>{t('plan.goal', lang)}{' '}<input name="goal" inputMode="numeric" value={goal} onChange={(e) => setGoal(e.target.value)} /></label>
        <label>{t('plan.key', lang)}{' '}
          <select name="key" value={key} onChange={(e) => setKey(e.target.value as AllocationKey)}>
            {ALLOCATION_KEYS.map((k) => <option key={k.code} value={KEY_ENUM[k.code]}>{lang === 'vi' ? k.labelVi : k.labelEn}</option>)}
          </select>
        </label>
        <span>{t('plan.root', lang)}: <strong>{rootName}</strong></span>
        <button type="submit" disabled={state.busy}>{t('plan.preview', lang)}</button>
      </form>
      {state.badGoal !== null && <p role="alert">{notANumber(state.badGoal, lang)}</p>}
      {state.conflict && (
        <p role="alert" className="plan-conflict">{t('plan.conflict', lang)}{' '}<button type="button" onClick={run}>{t('plan.previewAgain', lang)}</button></p>
      )}
      {state.failure !== null && !state.conflict && <p role="alert">{failureText(state.failure, lang)}</p>}
      {state.preview && <PreviewTable lang={lang} preview={state.preview} />}
      {state.preview && !state.applied && <button type="button" className="plan-apply" disabled={state.busy} onClick={() => void apply()}>{t('plan.apply', lang)}</button>}
      {state.applied && (
        <p role="status" className="plan-applied">
          {t('plan.applied', lang)}: {count(state.applied.proposed, lang)} {t('plan.appliedProposed', lang)}, {count(state.applied.written, lang)} {t('plan.appliedWritten', lang)}, {count(state.applied.unchanged, lang)} {t('plan.appliedUnchanged', lang)}
        </p>
      )}
    </section>
  );
}

const labelOf = (code: string, lang: Lang) => {
  const def = catalogueIndicator(code);
  return def ? indicatorLabel(def, 2023, lang) : code;
};

const noteText = (n: Preview['rows'][number]['notes'][number], lang: Lang) =>
  `${lang === 'vi' ? n.textVi : n.textEn}${n.indicator ? ` (${labelOf(n.indicator, lang)})` : ''}`;

function PreviewTable({ lang, preview }: { lang: Lang; preview: Preview }) {
  const shown = preview.rows.filter((r) => r.depth <= 1);
  const sum = preview.rows.filter((r) => r.depth === 1).reduce((s, r) => s + r.allocated, 0);
  const noted = preview.rows.filter((r) => r.notes.length > 0);
  const ratio = preview.ratio;
  const words = ['plan.union', 'plan.today', 'plan.forecast', 'plan.allocated', ...(ratio ? ['plan.denominatorForecast', 'plan.impliedRatio'] as const : []), 'plan.growthPerYear', 'plan.neededRate', 'plan.notes'] as const;
  return (
    <div className="plan-preview">
      {ratio && (
        <p className="plan-ratio" role="status">
          {t('plan.ratioGoal', lang)}: <strong>{rate(preview.goal, lang)}</strong> {t('plan.ratioOf', lang)} {labelOf(ratio.denominator, lang)}{' '}
          ({count(preview.rows[0]?.denominatorForecast, lang)}) = <strong>{count(preview.allocatedGoal, lang)}</strong>, {t('plan.ratioWrites', lang)} <em>{labelOf(preview.writes, lang)}</em>
        </p>
      )}
      <p className="plan-sum" role="status">
        {t('plan.total', lang)}: <strong>{count(sum, lang)}</strong> — {sum === preview.allocatedGoal ? t('plan.equalsGoal', lang) : t('plan.notGoal', lang)} ({count(preview.allocatedGoal, lang)})
      </p>
      <table className="plan-table">
        <thead><tr>{words.map((w) => <th key={w}>{t(w, lang)}</th>)}</tr></thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.union.code} className={r.depth === 0 ? 'plan-total' : undefined} data-union={r.union.code}>
              <th scope="row">{r.union.name}</th>
              <td>{count(r.today, lang)}</td>
              <td>{count(r.forecast, lang)}</td>
              <td>{count(r.allocated, lang)}</td>
              {ratio && <td>{count(r.denominatorForecast, lang)}</td>}
              {ratio && <td className="plan-implied">{rate(r.impliedRatio, lang)}</td>}
              <td>{count(r.growthPerYear, lang)}</td>
              <td>{rate(r.growthRate, lang)}</td>
              <td>{r.notes.map((n) => noteText(n, lang)).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {noted.length > 0 && (
        <details className="plan-notes" open={noted.length <= 10}>
          <summary>{t('plan.notesTitle', lang)}: {noted.length}</summary>
          <ul>{noted.map((r) => <li key={r.union.code}><strong>{r.union.name}</strong> ({r.union.code}): {r.notes.map((n) => noteText(n, lang)).join('; ')}</li>)}</ul>
        </details>
      )}
    </div>
  );
}
