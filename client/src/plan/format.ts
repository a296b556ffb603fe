/** How the plan tab writes its numbers: counts through ../format.ts, rates as "3,5 %". */
import { num } from '../format.ts';
import type { Lang } from '../i18n.ts';

export const count = (n: number | null | undefined, lang: Lang): string => (n === null || n === undefined ? '—' : num(Math.round(n), lang));
export const rate = (r: number | null | undefined, lang: Lang): string => (r === null || r === undefined ? '—' : `${num(Math.round(r * 10) / 10, lang)} %`);

export const PLAN_YEARS = [2018, 2019, 2020, 2021, 2022, 2023] as const;
export const PLAN_INDICATORS = ['members', 'grassroots'] as const;
/** What can be allocated: the gap view's indicators, and a ratio goal (coverage %, allocated as its numerator). */
export const ALLOCATION_INDICATORS = [...PLAN_INDICATORS, 'coverage'] as const;
