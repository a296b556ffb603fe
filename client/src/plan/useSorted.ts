/** A table's sort: by a column, each click on the same column flips the direction; missing values last. */
import { useMemo, useState } from 'react';

export function useSorted<R, K extends string>(rows: readonly R[], valueOf: (row: R, key: K) => number | string | null, initial: K) {
  const [sort, setSort] = useState<{ key: K; desc: boolean }>({ key: initial, desc: false });
  const sorted = useMemo(() => {
    const out = [...rows];
    out.sort((a, b) => {
      const x = valueOf(a, sort.key);
      const y = valueOf(b, sort.key);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      const c = x < y ? -1 : x > y ? 1 : 0;
      return sort.desc ? -c : c;
    });
    return out;
  }, [rows, valueOf, sort]);
  const sortBy = (key: K) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }));
  return { sorted, sort, sortBy };
}
