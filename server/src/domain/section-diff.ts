/**
 * A readable diff between two kept versions of a section: word by word over their plain texts
 * (the `diff` package's diffWordsWithSpace, so line breaks and spaces stay where they were).
 */
import { diffWordsWithSpace } from 'diff';
import type { Db } from './db.js';
import { DomainError, said } from './errors.js';
import { versionTexts } from './section-history.js';

export type DiffKind = 'SAME' | 'ADDED' | 'REMOVED';
export interface DiffPart {
  kind: DiffKind;
  text: string;
}

/** What changed from `before` to `after`, as consecutive parts (removed before added where a word was replaced). */
export function diffTexts(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((c) => ({ kind: c.added ? 'ADDED' : c.removed ? 'REMOVED' : 'SAME', text: c.value }));
}

/** The diff between two versions of a stored section (0 is the empty text before the first save). */
export async function diffVersions(db: Db, sectionId: number | null, from: number, to: number): Promise<DiffPart[]> {
  const texts = sectionId === null ? new Map<number, string>() : await versionTexts(db, sectionId, [from, to].filter((v) => v > 0));
  texts.set(0, '');
  for (const v of [from, to]) {
    if (!texts.has(v)) throw new DomainError('NOT_FOUND', `No version ${v} of this section`, { http: { status: 404 }, ...said('section.noVersion', { version: v }) });
  }
  return diffTexts(texts.get(from)!, texts.get(to)!);
}
