/** Times as the page shows them: vi-VN or en-GB day/month order, Hanoi time. */
import type { Lang } from '../i18n.ts';

export const dateTime = (iso: string | null | undefined, lang: Lang): string =>
  iso ? new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' }) : '';
