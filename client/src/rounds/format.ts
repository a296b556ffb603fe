/**
 * Numbers, shares and instants as the round's pages say them: vi-VN numbers through the schema's
 * formatter, instants in the department's time zone (a deadline is the end of a day in Hà Nội,
 * whatever zone the browser runs in).
 */
import { formatViNumber } from '@unionhub/schema/numbers';
import { deadlineInstant, ROUND_TIME_ZONE } from '@unionhub/schema';
import type { Lang } from '../i18n.ts';

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');

export const num = (n: number, lang: Lang): string => (lang === 'vi' ? formatViNumber(n) : n.toLocaleString('en-US'));

/** A share of a whole as a percentage with one decimal; "—" when there is no whole. */
export function percent(part: number, whole: number, lang: Lang): string {
  if (whole <= 0) return '—';
  const p = Math.round((part / whole) * 1000) / 10;
  return lang === 'vi' ? `${formatViNumber(p, 1)} %` : `${p.toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
}

/** An instant with its time (a submission, an event). */
export const when = (iso: string, lang: Lang): string =>
  new Date(iso).toLocaleString(locale(lang), { timeZone: ROUND_TIME_ZONE.name, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The day of an instant (a deadline: the end of that day). */
export const day = (iso: string, lang: Lang): string =>
  new Date(iso).toLocaleDateString(locale(lang), { timeZone: ROUND_TIME_ZONE.name, day: '2-digit', month: '2-digit', year: 'numeric' });

/** A typed date, "20/12/2017" (as the department writes it) or "2017-12-20", as "2017-12-20"; null when it is no real date. */
export function parseDay(input: string): string | null {
  const s = input.trim();
  const vi = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const date = vi ? `${vi[3]}-${vi[2]!.padStart(2, '0')}-${vi[1]!.padStart(2, '0')}` : iso ? s : null;
  return date && deadlineInstant(date) ? date : null;
}
