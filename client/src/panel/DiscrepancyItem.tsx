/**
 * One discrepancy in the panel, from structured data in the page's language: the union it is on,
 * the rule, both compared sides and their difference (vi-VN numbers), the reporter's explanation
 * with its author and time, the decisions the caller may take, and a hierarchy's children.
 */
import { formatViNumber } from '@unionhub/schema/numbers';
import { t, type Lang } from '../i18n.ts';
import type { PanelDiscrepancies } from './useCellDetail.ts';
import type { DecisionKind } from './usePanelActions.ts';

type Discrepancy = PanelDiscrepancies[number];

const pick = (lang: Lang, vi: string, en: string) => (lang === 'vi' ? vi : en);
const when = (at: string, lang: Lang) => new Date(at).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB');

export function DiscrepancyItem({ d, lang, may, decide }: { d: Discrepancy; lang: Lang; may: { explain: boolean; decide: boolean; withText: boolean }; decide: (kind: DecisionKind, id: number) => void }) {
  const r = d.rule;
  return (
    <div className={`discrepancy severity-${d.severity}`} data-id={d.id}>
      <div className="discrepancy-head">
        <strong className="union">{d.union.name}</strong>
        <span className={`state state-${d.state.toLowerCase()}`}>{t(`state.${d.state.toLowerCase()}` as 'state.open', lang)}</span>
      </div>
      <div className="rule">
        {t(d.severity === 'warning' ? 'panel.warning' : 'panel.error', lang)}: {pick(lang, r.labelVi, r.labelEn)}
        <span className="indicator"> · {pick(lang, d.indicator.labelVi, d.indicator.labelEn)}</span>
      </div>
      <dl className="sides">
        <dt>{pick(lang, r.leftLabelVi, r.leftLabelEn)}</dt>
        <dd className="left">{formatViNumber(d.leftValue)}</dd>
        <dt>{pick(lang, r.rightLabelVi, r.rightLabelEn)}</dt>
        <dd className="right">{formatViNumber(d.rightValue)}</dd>
        <dt>{t('panel.difference', lang)}</dt>
        <dd className="difference">{formatViNumber(d.difference)}</dd>
      </dl>
      {d.explanation ? (
        <blockquote className="explanation">
          <p>{d.explanation}</p>
          <footer>
            {t('panel.explainedBy', lang)} {d.explainedBy ?? '—'}
            {d.explainedAt && `, ${when(d.explainedAt, lang)}`}
          </footer>
        </blockquote>
      ) : (
        <p className="no-explanation">{t('panel.noExplanation', lang)}</p>
      )}
      <div className="actions">
        {may.explain && <button type="button" disabled={!may.withText} onClick={() => decide('explain', d.id)}>{t('explain', lang)}</button>}
        {may.decide && <button type="button" disabled={!may.withText} onClick={() => decide('accept', d.id)}>{t('accept', lang)}</button>}
        {may.decide && <button type="button" disabled={!may.withText} onClick={() => decide('waive', d.id)}>{t('waive', lang)}</button>}
      </div>
      {d.drillDown.length > 0 && (
        <details className="drill-down">
          <summary>{t('panel.childrenValues', lang)}</summary>
          <ul>
            {d.drillDown.map((c) => (
              <li key={c.union.code}>
                {c.union.name}: {formatViNumber(c.value)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
