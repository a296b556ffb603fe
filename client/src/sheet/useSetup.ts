/** Once per sheet: the caller's grants (what the sheet offers) and the indicators in the page's language. */
import { useEffect, useState } from 'react';
import { SheetSetupQuery } from '@unionhub/schema/documents';
import { request } from '../api.ts';
import type { Lang } from '../i18n.ts';
import type { Grant } from './permissions.ts';
import type { Indicator } from './types.ts';

export function useSetup(lang: Lang, onError: (e: unknown) => void): { grants: Grant[]; indicators: Indicator[] } {
  const [setup, setSetup] = useState<{ grants: Grant[]; indicators: Indicator[] }>({ grants: [], indicators: [] });
  useEffect(() => {
    let live = true;
    request(SheetSetupQuery, { lang })
      .then((d) => live && setSetup({ grants: d.me.grants.map((g) => ({ role: g.role.toLowerCase(), path: g.union.code })), indicators: d.indicators }))
      .catch(onError);
    return () => {
      live = false;
    };
  }, [lang, onError]);
  return setup;
}
