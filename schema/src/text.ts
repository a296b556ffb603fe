/** Fold Vietnamese text for accent-insensitive search: "Bắc Kạn" → "bac kan". */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Characters a name must not hold: C0 and C1 controls (NUL, tab, newline, DEL, U+0080–U+009F)
 * and the bidirectional marks, embeddings, overrides and isolates (U+200E/U+200F, U+202A–U+202E,
 * U+2066–U+2069), which make a name read differently from what it is ("Trojan Source").
 * The one check every name (users, tokens, unions…) goes through.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this check's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}
