/**
 * The passage last selected in one union's text while compiling (its union, the version shown and
 * the text), kept after the selection moves elsewhere — to the draft, say — until another passage is
 * selected. A source's element says whose it is: data-passage-source, data-union, data-union-name, data-version.
 */
import { useCallback, useEffect, useState } from 'react';
import { TagPassageMutation } from '@unionhub/schema/documents';
import { request } from '../api.ts';
import type { Compiled } from './useSectionData.ts';

export interface Passage {
  unionCode: string;
  unionName: string;
  version: number;
  text: string;
}

const sourceOf = (n: Node | null): HTMLElement | null => (n instanceof Element ? n : n?.parentElement ?? null)?.closest<HTMLElement>('[data-passage-source]') ?? null;

export function usePassage() {
  const [passage, setPassage] = useState<Passage | null>(null);
  useEffect(() => {
    const selected = () => {
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed) return;
      const source = sourceOf(sel.anchorNode);
      const text = sel.toString().trim();
      if (!source || source !== sourceOf(sel.focusNode) || text === '') return;
      setPassage({ unionCode: source.dataset.union!, unionName: source.dataset.unionName!, version: Number(source.dataset.version), text });
    };
    document.addEventListener('selectionchange', selected);
    return () => document.removeEventListener('selectionchange', selected);
  }, []);
  return passage;
}

type Tag = Compiled['tags'][number];

/** Tag a passage as good practice; the answer's tag is added to its union's entry. */
export function useTagPassage(section: string | null, onTagged: (unionCode: string, tag: Tag) => void) {
  const [state, setState] = useState<{ busy: boolean; done: boolean; failure: unknown }>({ busy: false, done: false, failure: null });
  const tag = useCallback(
    async (p: Passage) => {
      if (!section) return;
      setState({ busy: true, done: false, failure: null });
      try {
        const r = await request(TagPassageMutation, { unionCode: p.unionCode, section, version: p.version, quote: p.text });
        onTagged(p.unionCode, r.tagPassage);
        setState({ busy: false, done: true, failure: null });
      } catch (failure) {
        setState({ busy: false, done: false, failure });
      }
    },
    [section, onTagged],
  );
  return { state, tag };
}
