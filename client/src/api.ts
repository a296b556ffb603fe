/** The GraphQL client: same origin, session cookie, and the CSRF token echoed from its cookie. */
import { Client, fetchExchange } from 'urql';
import { print, type DocumentNode } from 'graphql';
import type { ResultOf, TadaDocumentNode, VariablesOf } from '@unionhub/schema/graphql';

export function csrfToken(): string {
  return decodeURIComponent(/(?:^|; )uh_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
}

export const client = new Client({
  url: '/graphql',
  exchanges: [fetchExchange],
  requestPolicy: 'network-only',
  fetchOptions: () => ({ headers: { 'x-csrf-token': csrfToken() } }),
});

export interface GqlError {
  message: string;
  extensions?: { code?: string; index?: number; key?: string; params?: Record<string, string | number | boolean | null>; [k: string]: unknown };
}

/** Run a query or mutation; resolve with data or reject with the GraphQL errors. */
export async function run<T>(query: string, variables: Record<string, unknown> = {}, mutation = false): Promise<T> {
  const result = mutation ? await client.mutation(query, variables).toPromise() : await client.query(query, variables).toPromise();
  if (result.error) {
    const errors: GqlError[] = result.error.graphQLErrors.length
      ? result.error.graphQLErrors.map((e) => ({ message: e.message, extensions: e.extensions as GqlError['extensions'] }))
      : [{ message: result.error.networkError?.message ?? result.error.message }];
    throw Object.assign(new Error(errors.map((e) => e.message).join('; ')), { errors });
  }
  return result.data as T;
}

/**
 * Follow a download link of ours (/exports/…, /reports/…): a link cannot carry the CSRF header, so
 * ask for a short-lived ticket for exactly this path first, then let the browser fetch the file.
 */
export async function download(path: string): Promise<void> {
  const d = await run<{ downloadTicket: { url: string } }>('mutation ($p: String!) { downloadTicket(path: $p) { url } }', { p: path }, true);
  const a = document.createElement('a');
  a.href = d.downloadTicket.url;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

/** A link's click: the download through a ticket; a refusal is shown by `onError`. */
export function downloadOnClick(onError: (message: string, failure: unknown) => void) {
  return (e: { preventDefault(): void; currentTarget: { getAttribute(name: string): string | null } }) => {
    e.preventDefault();
    download(e.currentTarget.getAttribute('href')!).catch((err: Error) => onError(err.message, err));
  };
}

/**
 * Subscribe over server-sent events (GraphQL over SSE, the session cookie and CSRF header as for
 * queries). Resolves once the server has answered, so a caller can start the work it wants to follow;
 * each event's `data` is handed on until the signal aborts.
 */
export async function subscribe<T>(query: string | DocumentNode, onData: (data: T) => void, signal: AbortSignal): Promise<void> {
  const text = typeof query === 'string' ? query : print(query);
  const res = await fetch(`/graphql?query=${encodeURIComponent(text)}`, { headers: { accept: 'text/event-stream', 'x-csrf-token': csrfToken() }, signal });
  const reader = res.body!.getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += new TextDecoder().decode(value);
      const events = buffer.split('\n\n');
      buffer = events.pop()!;
      for (const e of events) {
        const data = /^data: (.+)$/m.exec(e)?.[1];
        const parsed = data ? (JSON.parse(data) as { data?: T }).data : undefined;
        if (parsed) onData(parsed);
      }
    }
  })().catch(() => undefined); // closed on abort (unmount, sign-out)
}

/** A typed document (schema/src/documents): its variables and result checked against the schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document; its own types come from gql.tada
export async function request<D extends TadaDocumentNode<any, any>>(doc: D, variables: VariablesOf<D>): Promise<ResultOf<D>> {
  const op = doc.definitions.find((d) => d.kind === 'OperationDefinition');
  return run<ResultOf<D>>(doc as unknown as string, variables as Record<string, unknown>, op?.kind === 'OperationDefinition' && op.operation === 'mutation');
}
