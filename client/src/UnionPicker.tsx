/**
 * A union picker: type part of a name (with or without diacritics: "ha noi", "Hà Nội") or of a
 * code, see the matching unions the caller may read with their parent and level, pick one with the
 * arrow keys and Enter or a click; Escape closes the list. The search is the server's (findUnions),
 * so it sees every union, not the few the page has loaded. ARIA 1.2 combobox with a listbox popup.
 */
import { useEffect, useId, useReducer, useState } from 'react';
import type { ResultOf } from '@unionhub/schema/graphql';
import { UNION_LEVELS } from '@unionhub/schema';
import { FindUnionsQuery } from '@unionhub/schema/documents';
import { client } from './api.ts';
import { t, type Lang } from './i18n.ts';

export type PickedUnion = ResultOf<typeof FindUnionsQuery>['findUnions'][number];

export interface UnionPickerProps {
  lang: Lang;
  onPick: (union: PickedUnion) => void;
  placeholder?: string;
}

/** How many matches the list shows, and how long typing must pause before the server is asked. */
const SHOWN = 12;
const PAUSE_MS = 150;

interface Search {
  matches: PickedUnion[];
  /** The text the matches are for (an answer to an older text is dropped). */
  forText: string;
  error: string | null;
}

/** The server's matches for `text`, asked once typing pauses; the latest text wins. */
function useUnionSearch(text: string): Search {
  const [search, setSearch] = useState<Search>({ matches: [], forText: '', error: null });
  useEffect(() => {
    const wanted = text.trim();
    if (!wanted) return;
    let current = true;
    const timer = setTimeout(() => {
      void client.query(FindUnionsQuery, { text: wanted, limit: SHOWN }).toPromise().then((r) => {
        if (!current) return;
        setSearch({ matches: r.data?.findUnions ?? [], forText: text, error: r.error ? (r.error.graphQLErrors[0]?.message ?? r.error.message) : null });
      });
    }, PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  return text.trim() ? search : { matches: [], forText: text, error: null };
}

interface ListState {
  text: string;
  open: boolean;
  /** The highlighted option's index, -1 for none. */
  active: number;
}
type ListAction =
  | { type: 'type'; text: string }
  | { type: 'move'; by: number; count: number }
  | { type: 'close' }
  | { type: 'picked'; name: string };

function listReducer(s: ListState, a: ListAction): ListState {
  switch (a.type) {
    case 'type': return { text: a.text, open: a.text.trim() !== '', active: 0 };
    case 'move': {
      if (a.count === 0) return s;
      if (!s.open) return { ...s, open: true, active: 0 };
      return { ...s, active: (s.active + a.by + a.count) % a.count };
    }
    case 'close': return { ...s, open: false };
    case 'picked': return { text: a.name, open: false, active: -1 };
  }
}

const levelLabel = (level: number, lang: Lang) => {
  const l = UNION_LEVELS.find((x) => x.level === level);
  return l ? (lang === 'vi' ? l.labelVi : l.labelEn) : String(level);
};

export function UnionPicker({ lang, onPick, placeholder }: UnionPickerProps) {
  const [state, dispatch] = useReducer(listReducer, { text: '', open: false, active: -1 });
  const search = useUnionSearch(state.text);
  const id = useId();
  const listId = `${id}-list`;
  const fresh = search.forText === state.text;
  const matches = fresh ? search.matches : [];
  const open = state.open && state.text.trim() !== '';
  const active = Math.min(state.active, matches.length - 1);
  const pick = (u: PickedUnion) => {
    dispatch({ type: 'picked', name: u.name });
    onPick(u);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      dispatch({ type: 'move', by: e.key === 'ArrowDown' ? 1 : -1, count: matches.length });
    } else if (e.key === 'Enter' && open && active >= 0 && matches[active]) {
      e.preventDefault();
      pick(matches[active]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      dispatch({ type: 'close' });
    }
  };
  return (
    <div className="union-picker">
      <input
        role="combobox"
        aria-label={placeholder ?? t('picker.label', lang)}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && active >= 0 && matches[active] ? `${id}-${active}` : undefined}
        placeholder={placeholder ?? t('picker.placeholder', lang)}
        value={state.text}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => dispatch({ type: 'type', text: e.target.value })}
        onKeyDown={onKeyDown}
        onBlur={() => dispatch({ type: 'close' })}
      />
      <ul role="listbox" id={listId} className="union-picker-list" hidden={!open} aria-label={t('picker.label', lang)}>
        {matches.map((u, i) => {
          const parent = u.ancestors[u.ancestors.length - 1];
          return (
            <li
              key={u.code}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              // mousedown, not click: the input keeps its focus (its blur would close the list first).
              onMouseDown={(e) => { e.preventDefault(); pick(u); }}
            >
              <span className="union-picker-name">{u.name}</span>
              <span className="union-picker-meta">{u.code} · {levelLabel(u.level, lang)}{parent ? ` · ${parent.name}` : ''}</span>
            </li>
          );
        })}
        {fresh && matches.length === 0 && !search.error && <li className="union-picker-none" aria-disabled="true">{t('picker.none', lang)}</li>}
        {search.error && <li className="union-picker-none" role="alert">{search.error}</li>}
      </ul>
    </div>
  );
}
