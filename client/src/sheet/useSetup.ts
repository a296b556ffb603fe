/**
 * Once per screen (the sheet, the rounds tab): the caller's grants and the indicators. Read once on
 * mount, not again when the language switches: the labels come in both languages and the view picks.
 */
import { useEffect, useMemo, useState } from 'react';
import { SheetSetupQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { request } from '../api.ts';
import type { Lang } from '../i18n.ts';
import type { Grant } from './permissions.ts';
import type { Indicator } from './types.ts';

export type SetupData = ResultOf<typeof SheetSetupQuery>;

/** The caller's grants as permissions.ts reads them: roles in lower case, the union's code as the path. */
export const grantsOf = (setup: SetupData | null): Grant[] => (setup?.me.grants ?? []).map((g) => ({ role: g.role.toLowerCase(), path: g.union.code }));

export const indicatorLabel = (i: { labelVi: string; labelEn: string }, lang: Lang): string => (lang === 'vi' ? i.labelVi : i.labelEn);

/** The setup as the server gave it (null while it loads), or why it could not be read. */
export function useSetupData(): { data: SetupData | null; error: unknown } {
  const [state, setState] = useState<{ data: SetupData | null; error: unknown }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    request(SheetSetupQuery, {})
      .then((data) => live && setState({ data, error: null }))
      .catch((error: unknown) => live && setState({ data: null, error }));
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** The sheet's view of the setup: grants for permissions.ts, indicators labelled in the page's language. */
export function useSetup(lang: Lang, onError: (e: unknown) => void): { grants: Grant[]; indicators: Indicator[] } {
  const { data, error } = useSetupData();
  useEffect(() => {
    if (error !== null) onError(error);
  }, [error, onError]);
  const grants = useMemo(() => grantsOf(data), [data]);
  const indicators = useMemo(
    () => (data?.indicators ?? []).map((i) => ({ code: i.code, label: indicatorLabel(i, lang), computed: i.computed, targeted: i.targeted, category: i.category })),
    [data, lang],
  );
  return { grants, indicators };
}
