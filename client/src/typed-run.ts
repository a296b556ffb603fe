/**
 * Typed documents (from @unionhub/schema/documents) through the urql client: results and variables
 * are checked against the schema. Errors are thrown as `run` in api.ts throws them.
 */
import { print } from 'graphql';
import type { ResultOf, TadaDocumentNode, VariablesOf } from '@unionhub/schema/graphql';
import type { CombinedError } from 'urql';
import { client, subscribe, type GqlError } from './api.ts';

type Doc = TadaDocumentNode<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any document; its own types flow through ResultOf/VariablesOf

function failure(error: CombinedError): Error {
  const errors: GqlError[] = error.graphQLErrors.length
    ? error.graphQLErrors.map((e) => ({ message: e.message, extensions: e.extensions as GqlError['extensions'] }))
    : [{ message: error.networkError?.message ?? error.message }];
  return Object.assign(new Error(errors.map((e) => e.message).join('; ')), { errors });
}

export async function query<D extends Doc>(doc: D, variables: VariablesOf<D>): Promise<ResultOf<D>> {
  const result = await client.query(doc, variables).toPromise();
  if (result.error) throw failure(result.error);
  return result.data as ResultOf<D>;
}

export async function mutate<D extends Doc>(doc: D, variables: VariablesOf<D>): Promise<ResultOf<D>> {
  const result = await client.mutation(doc, variables).toPromise();
  if (result.error) throw failure(result.error);
  return result.data as ResultOf<D>;
}

/** A subscription document without variables, through api.ts's `subscribe` (one function to swap for the transport). */
export function follow<D extends Doc>(doc: D, onData: (data: ResultOf<D>) => void, signal: AbortSignal): Promise<void> {
  return subscribe<ResultOf<D>>(print(doc), onData, signal);
}
