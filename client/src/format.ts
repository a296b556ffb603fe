/**
 * Numbers, shares and instants as the pages say them: numbers in the page's language through the
 * schema's formatters, instants in Vietnam's time zone (a deadline is the end of a day in Hà Nội,
 * a notification's time is the department's, whatever zone the browser runs in).
 */
import { formatEnNumber, formatViNumber } from '@unionhub/schema/numbers';
import { ROUND_TIME_ZONE } from '@unionhub/schema';
import type { Lang } from './i18n.ts';

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');

export const num = (n: number, lang: Lang): string => (lang === 'vi' ? formatViNumber(n) : formatEnNumber(n));

/** A share of a whole as a percentage with one decimal; "—" when there is no whole. */
export function percent(part: number, whole: number, lang: Lang): string {
  if (whole <= 0) return '—';
  const p = Math.round((part / whole) * 1000) / 10;
  return lang === 'vi' ? `${formatViNumber(p, 1)} %` : `${formatEnNumber(p, 1)}%`;
}

/** An instant with its time (a submission, an event, a notification). */
export const when = (iso: string, lang: Lang): string =>
  new Date(iso).toLocaleString(locale(lang), { timeZone: ROUND_TIME_ZONE.name, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The day of an instant (a deadline: the end of that day). */
export const day = (iso: string, lang: Lang): string =>
  new Date(iso).toLocaleDateString(locale(lang), { timeZone: ROUND_TIME_ZONE.name, day: '2-digit', month: '2-digit', year: 'numeric' });
