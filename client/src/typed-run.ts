/**
 * The panel's and progress view's names for typed documents through api.ts's one client: results and
 * variables are checked against the schema; errors are thrown as `run` throws them.
 */
import type { ResultOf, TadaDocumentNode } from '@unionhub/schema/graphql';
import { subscribe } from './api.ts';

export { request as query, request as mutate } from './api.ts';

/** A subscription document without variables, over the page's one event stream. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document; its own types flow through ResultOf
export function follow<D extends TadaDocumentNode<any, any>>(doc: D, onData: (data: ResultOf<D>) => void, signal: AbortSignal): Promise<void> {
  return subscribe<ResultOf<D>>(doc, onData, signal);
}
