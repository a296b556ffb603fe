/**
 * The GraphQL client: same origin, session cookie, and the CSRF token echoed from its cookie. One
 * urql Client per page: queries and mutations over fetch, subscriptions over graphql-sse's single
 * connection mode (/graphql/stream) — one event stream per page whatever it follows, so live
 * updates in several tabs never take the six connections a browser opens to a host over HTTP/1.1
 * from the page's own queries. Refusals for the rate limit are retried with back-off.
 */
import { Client, CombinedError, createRequest, fetchExchange, makeOperation, subscriptionExchange, type AnyVariables, type DocumentInput, type Exchange, type Operation, type OperationResult } from 'urql';
import { createClient as createSseClient } from 'graphql-sse';
import { delay, filter, fromValue, makeSubject, merge, mergeMap, pipe, share, subscribe as subscribeTo, takeUntil } from 'wonka';
import { ERROR_CODES } from '@unionhub/schema';
import { t, type Lang } from './i18n.ts';
import type { ResultOf, TadaDocumentNode, VariablesOf } from '@unionhub/schema/graphql';
import { DownloadTicketMutation } from '@unionhub/schema/documents';

export function csrfToken(): string {
  return decodeURIComponent(/(?:^|; )uh_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
}

/** Refusals retried before the caller gets the error, and the waits' bounds. */
export const MAX_RETRIES = 4;
const BASE_WAIT_MS = 500;
const MAX_WAIT_MS = 30_000;

/** Retry-After: seconds, or an HTTP date; null when absent or unreadable. */
function retryAfterMs(header: string | null | undefined): number | null {
  if (header == null || header === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const backoff = (attempt: number) => Math.min(MAX_WAIT_MS, BASE_WAIT_MS * 2 ** attempt);

/**
 * How long to wait before sending a refused operation again; null when it is not to be retried.
 * A 429 with Retry-After was refused at the server's door before anything ran, so any operation may
 * go again; a query answered RATE_LIMITED inside GraphQL too. A mutation's own RATE_LIMITED (a
 * sign-in's back-off) is the user's answer, not the transport's.
 */
function refusalWait(result: OperationResult, attempt: number): number | null {
  const error = result.error;
  if (!error) return null;
  const response = error.response as Response | undefined;
  const header = response?.status === 429 ? retryAfterMs(response.headers?.get('retry-after')) : null;
  if (header !== null) return Math.min(MAX_WAIT_MS, Math.max(header, backoff(attempt)));
  const limited = error.graphQLErrors.length > 0 && error.graphQLErrors.every((e) => e.extensions?.code === ERROR_CODES.RATE_LIMITED);
  if (!limited || result.operation.kind !== 'query') return null;
  const given = Number(error.graphQLErrors[0]!.extensions?.retryAfter);
  return Math.min(MAX_WAIT_MS, Math.max(Number.isFinite(given) ? given * 1000 : 0, backoff(attempt)));
}

/** The page's language for messages made here (the App sets <html lang>; Vietnamese by default). */
const pageLang = (): Lang => (document.documentElement.lang === 'en' ? 'en' : 'vi');

/**
 * Sends again what the rate limit refused, after Retry-After (and a growing back-off), at most
 * MAX_RETRIES times; then the caller gets one clear RATE_LIMITED error. An operation torn down
 * while it waits is not sent again.
 */
export const refusalRetryExchange: Exchange = ({ forward }) => (operations$) => {
  const ops$ = pipe(operations$, share);
  const { source: retries$, next: retry } = makeSubject<Operation>();
  const delayed$ = pipe(
    retries$,
    mergeMap((op) => pipe(
      fromValue(op),
      delay(op.context.refusalWait as number),
      takeUntil(pipe(ops$, filter((o) => o.kind === 'teardown' && o.key === op.key))),
    )),
  );
  return pipe(
    merge([ops$, delayed$]),
    forward,
    share,
    filter((result) => {
      const attempt = (result.operation.context.refusals as number | undefined) ?? 0;
      const wait = refusalWait(result, attempt);
      if (wait === null) return true;
      if (attempt >= MAX_RETRIES) {
        result.error = new CombinedError({
          graphQLErrors: [{ message: t('transport.gaveUp', pageLang()), extensions: { code: ERROR_CODES.RATE_LIMITED, attempts: attempt + 1 } }],
          response: result.error?.response,
        });
        return true;
      }
      retry(makeOperation(result.operation.kind, result.operation, { ...result.operation.context, refusals: attempt + 1, refusalWait: wait }));
      return false;
    }),
  );
};

/** Subscriptions the server has accepted (its 202 to the operation's POST), by urql operation key. */
const accepted = new Set<number>();
const acceptWaiters = new Map<number, Set<() => void>>();
const ACCEPT_EXTENSION = 'clientKey';

function markAccepted(key: number): void {
  accepted.add(key);
  for (const w of acceptWaiters.get(key) ?? []) w();
  acceptWaiters.delete(key);
}

function whenAccepted(key: number, fn: () => void): () => void {
  if (accepted.has(key)) {
    queueMicrotask(fn);
    return () => {};
  }
  const waiters = acceptWaiters.get(key) ?? acceptWaiters.set(key, new Set()).get(key)!;
  waiters.add(fn);
  return () => waiters.delete(fn);
}

/** The last Retry-After the stream endpoint answered, for graphql-sse's reconnection wait. */
let streamRetryAfter: number | null = null;

/** graphql-sse's requests, watched: a POST answered 202 is an accepted subscription; a 429 tells how long to wait. */
const watchedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (res.status === 429) streamRetryAfter = retryAfterMs(res.headers.get('retry-after'));
  if (init?.method === 'POST' && res.status === 202 && typeof init.body === 'string') {
    const key = (JSON.parse(init.body) as { extensions?: Record<string, unknown> }).extensions?.[ACCEPT_EXTENSION];
    if (typeof key === 'number') markAccepted(key);
  }
  return res;
};

/**
 * One event stream for the page's subscriptions. Lazy: opened with the first subscription, closed
 * after the last. A dropped stream is opened again and its subscriptions sent again.
 */
const streams = createSseClient({
  url: '/graphql/stream',
  singleConnection: true,
  headers: () => ({ 'x-csrf-token': csrfToken() }),
  fetchFn: watchedFetch,
  retryAttempts: 10,
  retry: async (retries) => {
    const wait = Math.max(streamRetryAfter ?? 0, backoff(retries + 1)) + Math.random() * 300;
    streamRetryAfter = null;
    await new Promise((resolve) => setTimeout(resolve, wait));
  },
  onNonLazyError: () => {},
});

export const client = new Client({
  url: '/graphql',
  exchanges: [
    refusalRetryExchange,
    subscriptionExchange({
      forwardSubscription: (request, operation) => ({
        subscribe: (sink) => {
          const unsubscribe = streams.subscribe(
            { query: request.query ?? '', variables: request.variables, extensions: { ...request.extensions, [ACCEPT_EXTENSION]: operation.key } },
            sink,
          );
          return {
            unsubscribe: () => {
              accepted.delete(operation.key);
              unsubscribe();
            },
          };
        },
      }),
    }),
    fetchExchange,
  ],
  requestPolicy: 'network-only',
  fetchOptions: () => ({ headers: { 'x-csrf-token': csrfToken() } }),
});

export interface GqlError {
  message: string;
  extensions?: { code?: string; index?: number; key?: string; params?: Record<string, string | number | boolean | null>; [k: string]: unknown };
}

function toError(error: CombinedError): Error & { errors: GqlError[] } {
  const errors: GqlError[] = error.graphQLErrors.length
    ? error.graphQLErrors.map((e) => ({ message: e.message, extensions: e.extensions as GqlError['extensions'] }))
    : [{ message: error.networkError?.message ?? error.message }];
  return Object.assign(new Error(errors.map((e) => e.message).join('; ')), { errors });
}

const isMutation = (query: DocumentInput<unknown, AnyVariables>): boolean =>
  typeof query === 'string'
    ? /^\s*mutation\b/.test(query)
    : query.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation');

/**
 * Run a query or mutation (a string or a typed document; a document's mutation is sent as one);
 * resolve with data or reject with the GraphQL errors.
 */
export async function run<T = unknown, V extends AnyVariables = AnyVariables>(query: DocumentInput<T, V>, variables: V = {} as V, mutation = false): Promise<T> {
  const result = mutation || isMutation(query as DocumentInput<unknown, AnyVariables>)
    ? await client.mutation(query, variables).toPromise()
    : await client.query(query, variables).toPromise();
  if (result.error) throw toError(result.error);
  return result.data as T;
}

/**
 * Follow a download link of ours (/exports/…, /reports/…): a link cannot carry the CSRF header, so
 * ask for a short-lived ticket for exactly this path first. The file is fetched, not navigated to:
 * a refused download (4xx with {code, message}) would otherwise be dropped by the browser without
 * a word; the refusal is thrown with the server's message.
 */
export async function download(path: string): Promise<void> {
  const ticket = await client.mutation(DownloadTicketMutation, { path }).toPromise();
  if (ticket.error || !ticket.data) throw ticket.error ? toError(ticket.error) : new Error('no ticket');
  const res = await fetch(ticket.data.downloadTicket.url, { credentials: 'same-origin' });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { code?: string; message?: string; errors?: GqlError[] } | null;
    // The body's coded errors travel with it, so the page words them in its own language.
    throw Object.assign(new Error(body?.message ?? `${res.status} ${res.statusText}`), { code: body?.code ?? `HTTP_${res.status}`, body });
  }
  const name = fileName(res.headers.get('content-disposition') ?? '');
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download; free it once that has started.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** The file name of a Content-Disposition header: RFC 5987's UTF-8 form first, else the quoted one. */
function fileName(header: string): string {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (utf8) return decodeURIComponent(utf8);
  return /filename="([^"]+)"/.exec(header)?.[1] ?? '';
}

/** A link's click: the download through a ticket; a refusal is shown by `onError`. */
export function downloadOnClick(onError: (message: string, failure: unknown) => void) {
  return (e: { preventDefault(): void; currentTarget: { getAttribute(name: string): string | null } }) => {
    e.preventDefault();
    download(e.currentTarget.getAttribute('href')!).catch((err: Error) => onError(err.message, err));
  };
}

/**
 * Subscribe (a string or a typed document) over the page's one event stream. Resolves once the
 * server has accepted the subscription, so a caller can start the work it wants to follow; rejects
 * when it refuses it. Each event's `data` is handed on until the signal aborts; errors after
 * acceptance go to `onError` when given.
 */
export function subscribe<T = unknown, V extends AnyVariables = AnyVariables>(
  query: DocumentInput<T, V>,
  onData: (data: T) => void,
  signal: AbortSignal,
  variables: V = {} as V,
  onError?: (error: Error & { errors: GqlError[] }) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new DOMException('Aborted', 'AbortError'));
      return;
    }
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      stopWaiting();
      if (error) reject(error);
      else resolve();
    };
    const stopWaiting = whenAccepted(createRequest(query, variables).key, () => settle());
    const { unsubscribe } = pipe(
      client.subscription(query, variables),
      subscribeTo((result) => {
        if (result.error) {
          const error = toError(result.error);
          if (settled) onError?.(error);
          else settle(error);
          return;
        }
        settle();
        if (result.data) onData(result.data as T);
      }),
    );
    signal.addEventListener('abort', () => {
      unsubscribe();
      settle(new DOMException('Aborted', 'AbortError'));
    }, { once: true });
  });
}

/** For the transport's browser tests: the page's own helpers, over its one client. */
(globalThis as { unionhubTransport?: unknown }).unionhubTransport = { run, subscribe };

/** A typed document (schema/src/documents): its variables and result checked against the schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document; its own types come from gql.tada
export function request<D extends TadaDocumentNode<any, any>>(doc: D, variables: VariablesOf<D>): Promise<ResultOf<D>> {
  return run<ResultOf<D>>(doc as DocumentInput<ResultOf<D>, AnyVariables>, variables as AnyVariables);
}
