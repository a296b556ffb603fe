/** The GraphQL client: same origin, session cookie, and the CSRF token echoed from its cookie. */
import { Client, fetchExchange } from 'urql';
import { DownloadTicketMutation } from '@unionhub/schema/documents';

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
  extensions?: { code?: string; index?: number; [k: string]: unknown };
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
 * ask for a short-lived ticket for exactly this path first. The file is fetched, not navigated to:
 * a refused download (4xx with {code, message}) would otherwise be dropped by the browser without
 * a word; the refusal is thrown with the server's message.
 */
export async function download(path: string): Promise<void> {
  const ticket = await client.mutation(DownloadTicketMutation, { path }).toPromise();
  if (ticket.error || !ticket.data) throw new Error(ticket.error?.graphQLErrors[0]?.message ?? ticket.error?.message ?? 'no ticket');
  const res = await fetch(ticket.data.downloadTicket.url, { credentials: 'same-origin' });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw Object.assign(new Error(body?.message ?? `${res.status} ${res.statusText}`), { code: body?.code ?? `HTTP_${res.status}` });
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
export function downloadOnClick(onError: (message: string) => void) {
  return (e: { preventDefault(): void; currentTarget: { getAttribute(name: string): string | null } }) => {
    e.preventDefault();
    download(e.currentTarget.getAttribute('href')!).catch((err: Error) => onError(err.message));
  };
}

/**
 * Subscribe over server-sent events (GraphQL over SSE, the session cookie and CSRF header as for
 * queries). Resolves once the server has answered, so a caller can start the work it wants to follow;
 * each event's `data` is handed on until the signal aborts.
 */
export async function subscribe<T>(query: string, onData: (data: T) => void, signal: AbortSignal): Promise<void> {
  const res = await fetch(`/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream', 'x-csrf-token': csrfToken() }, signal });
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
