/**
 * A subtree's headline figures: how many unions are expected and a bar per status. Each bar carries
 * its label and number as text (the bar itself is decoration), so it reads without the picture.
 */
import { SUBMISSION_STATUSES, submissionStatusLabel, type SubmissionStatus } from '@unionhub/schema';
import { t, type Lang } from '../i18n.ts';
import { num, percent } from '../format.ts';
import type { Overview } from './useRoundData.ts';

type Completeness = Overview['completeness'];

const COUNT: Record<SubmissionStatus, (c: Completeness) => number> = {
  ON_TIME: (c) => c.onTime,
  LATE: (c) => c.late,
  MISSING: (c) => c.missing,
  RETURNED: (c) => c.returned,
};

function Bar({ label, n, of, lang, className, testId }: { label: string; n: number; of: number; lang: Lang; className: string; testId: string }) {
  const width = of > 0 ? `${Math.min(100, (n / of) * 100)}%` : '0';
  return (
    <li className={`status-bar ${className}`} data-testid={testId} data-count={n}>
      <span className="status-bar-label">{label}</span>
      <span className="status-bar-track" aria-hidden="true">
        <span className="status-bar-fill" style={{ width }} />
      </span>
      <span className="status-bar-count">
        <strong>{num(n, lang)}</strong> <span className="status-bar-share">({percent(n, of, lang)})</span>
      </span>
    </li>
  );
}

export function StatusBars({ completeness: c, lang }: { completeness: Completeness; lang: Lang }) {
  return (
    <section className="round-headline" aria-labelledby="round-headline-title" data-testid="round-headline">
      <h2 id="round-headline-title">
        {t('round.headline', lang)} — {c.union.name}
      </h2>
      <p className="round-expected" data-testid="round-expected" data-count={c.expected}>
        {t('round.expected', lang)}: <strong>{num(c.expected, lang)}</strong> {t('round.unionsShort', lang)}
      </p>
      <ul className="status-bars">
        {SUBMISSION_STATUSES.map((s) => (
          <Bar key={s.status} label={submissionStatusLabel(s.status, lang)} n={COUNT[s.status](c)} of={c.expected} lang={lang} className={`status-${s.status}`} testId={`bar-${s.status}`} />
        ))}
      </ul>
      <ul className="status-bars cells">
        <Bar label={t('round.cellsFilled', lang)} n={c.cellsFilled} of={c.cellsExpected} lang={lang} className="cells-filled" testId="bar-cells-filled" />
        <Bar label={t('round.cellsApproved', lang)} n={c.cellsApproved} of={c.cellsExpected} lang={lang} className="cells-approved" testId="bar-cells-approved" />
      </ul>
    </section>
  );
}
