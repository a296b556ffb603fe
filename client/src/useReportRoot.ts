/**
 * Which union the report page reports on: TLĐ for a caller who reads it, else the highest union the
 * caller's grants name (a province's reviewer opens its province); any other through the picker.
 */
import { useEffect, useState } from 'react';
import { run } from './api.ts';

export interface ReportRoot {
  code: string;
  name: string;
}

export function useReportRoot(onError: (e: unknown) => void): [ReportRoot | null, (r: ReportRoot) => void] {
  const [root, setRoot] = useState<ReportRoot | null>(null);
  useEffect(() => {
    let current = true;
    run<{ me: { grants: { union: { code: string; name: string; level: number } }[] } }>('query ReportRoot { me { grants { union { code name level } } } }')
      .then((d) => {
        const top = [...d.me.grants].sort((a, b) => a.union.level - b.union.level)[0]?.union;
        if (current) setRoot(top ? { code: top.code, name: top.name } : { code: 'TLD', name: '' });
      })
      .catch((e: unknown) => current && onError(e));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read once: the caller's grants do not change under the page
  }, []);
  return [root, setRoot];
}
