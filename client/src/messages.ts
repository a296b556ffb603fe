/**
 * Server refusals in the page's language: an error's `extensions.key` and `params` rendered through the
 * catalogue of schema/src/messages.ts. An error without a key says its code's template (in Vietnamese,
 * with the server's English detail after it); an unknown code falls back to the server's message.
 */
import { renderMessage, type MessageParams } from '@unionhub/schema/messages';
import type { GqlError } from './api.ts';
import type { Lang } from './i18n.ts';

/** The params of a skip reason or an import reject as GraphQL lists them. */
export type ParamList = readonly { name: string; text?: string | null; number?: number | null }[];

export const paramsOf = (list: ParamList | null | undefined): MessageParams =>
  Object.fromEntries((list ?? []).map((p) => [p.name, p.number ?? p.text ?? null]));

/** A key with its params (a skip reason, an import reject); `fallback` when the key is unknown. */
export function sayKey(key: string | null | undefined, params: MessageParams, lang: Lang, fallback: string): string {
  return (key && renderMessage(key, params, lang)) || fallback;
}

/** Where a refusal is: a cell of the sheet or a row of an imported file, said before the reason. */
function placeOf(ext: Record<string, unknown>, lang: Lang): string {
  if (ext.sheet !== undefined && ext.row !== undefined && ext.column !== undefined) return renderMessage('import.at', ext as MessageParams, lang) ?? '';
  if (ext.unionCode !== undefined && ext.indicatorCode !== undefined && ext.year !== undefined) return renderMessage('cell.prefix', ext as MessageParams, lang) ?? '';
  return '';
}

export function errorText(error: GqlError, lang: Lang): string {
  const ext = (error.extensions ?? {}) as Record<string, unknown>;
  const key = typeof ext.key === 'string' ? ext.key : null;
  const said = key ? renderMessage(key, (ext.params ?? {}) as MessageParams, lang) : null;
  if (said !== null) return placeOf(ext, lang) + said;
  const code = typeof ext.code === 'string' ? ext.code : null;
  const generic = code && lang === 'vi' ? renderMessage(code, {}, lang) : null;
  return generic ? `${generic} (${error.message})` : error.message;
}

/**
 * A whole failed request as text: the errors `run` rejects with (or an HTTP refusal's JSON body
 * `{ errors }`), one line each; a thrown error without any says its own message.
 */
export function failureText(failure: unknown, lang: Lang): string {
  const f = failure as { errors?: GqlError[]; body?: { errors?: GqlError[] }; message?: string } | null;
  const errors = f?.errors ?? f?.body?.errors;
  if (errors?.length) return errors.map((e) => errorText(e, lang)).join('\n');
  return f?.message ?? String(failure);
}
