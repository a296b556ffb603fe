/**
 * A part of an answer that arrives already written as JSON (a grid worker's `Grid.table`, issue 17):
 * the HTTP answer is the rest of the result, stringified as usual, with those bytes put in their
 * place. Stringifying a national sheet's rows and encoding them as UTF-8 was a fifth of the main
 * thread's work per read, and the main thread serves the writes.
 *
 * Anything else that turns the result into JSON (a test's own executor, a subscription) gets the
 * parsed value from `toJSON`: the bytes are spliced only by the answer's own `stringify` (yoga's
 * `result.stringify`), which this plugin sets.
 */
import { randomBytes } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { ITEMS_HELD } from '../hardening/result-cap.js';

/** Stands in the JSON text for a part while it is stringified: unguessable, so no string of the answer can be taken for it. */
const MARK = `\u0000raw-json:${randomBytes(12).toString('hex')}:`;
let splicing: RawJson[] | null = null;

export class RawJson {
  constructor(
    /** UTF-8 JSON. */
    readonly bytes: Uint8Array,
    /** How many items it holds (the answer cap counts them, result-cap.ts). */
    readonly items: number,
  ) {}

  get [ITEMS_HELD](): number {
    return this.items;
  }

  toJSON(): unknown {
    if (!splicing) return JSON.parse(new TextDecoder().decode(this.bytes));
    return MARK + (splicing.push(this) - 1);
  }
}

/** The result as JSON bytes, each RawJson's bytes in place of its mark (or the plain text if it holds none). */
export function stringifyWithRaw(result: unknown): string | Buffer {
  const parts: RawJson[] = [];
  splicing = parts;
  let text: string;
  try {
    text = JSON.stringify(result);
  } finally {
    splicing = null;
  }
  if (parts.length === 0) return text;
  const chunks: Uint8Array[] = [];
  let from = 0;
  parts.forEach((part, i) => {
    const mark = JSON.stringify(MARK + i);
    const at = text.indexOf(mark, from);
    if (at < 0) throw new Error('A raw JSON part was not found in the answer');
    chunks.push(Buffer.from(text.slice(from, at)), part.bytes);
    from = at + mark.length;
  });
  chunks.push(Buffer.from(text.slice(from)));
  return Buffer.concat(chunks);
}

/** Every result is stringified by `stringifyWithRaw` (yoga calls `result.stringify` when there is one). */
export function useRawJson(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        if (!(Symbol.asyncIterator in (result as object))) setResult({ ...result, stringify: stringifyWithRaw } as unknown as typeof result);
      },
    }),
  };
}
