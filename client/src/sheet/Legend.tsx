/** What the colours and marks mean, and the keys that are not obvious. */
import { t, type Lang } from '../i18n.ts';

export function Legend({ lang }: { lang: Lang }) {
  return (
    <div className="sheet-legend" aria-label={t('legend', lang)}>
      <span><i className="swatch st-draft" /> {t('draft', lang)}</span>
      <span><i className="swatch st-submitted" /> {t('submitted', lang)}</span>
      <span><i className="swatch st-approved" /> {t('approved', lang)}</span>
      <span><i className="swatch has-discrepancy" /> {t('legendDiscrepancy', lang)}</span>
      <span><i className="swatch has-proposal" /> {t('legendProposal', lang)}</span>
      <span className="keys">{t('legendKeys', lang)}</span>
    </div>
  );
}
