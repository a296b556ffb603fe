/**
 * Our /graphql for this process's federation hub, without a socket: the gateway's calls to its own
 * subgraph go to our Yoga directly instead of over loopback HTTP (issue 17: the round trip, its
 * client and server halves, cost the hub more than the rest of its work).
 *
 * What the HTTP door (app.ts) does for a hub call, step by step, and what happens here instead:
 * - request id, log line, metrics: the same — a record under the id the hub forwards (its own), one
 *   `request` line for /graphql when the answer is out, naming the caller the hub's line borrows;
 * - client address: the same rule — believed only with this process's hub secret (address.ts); a
 *   call without it is refused;
 * - rate limit: not charged, as over HTTP: the hub's request was charged at its door, under the
 *   client's key;
 * - CORS: nothing to do, the gateway sends no Origin;
 * - body size and GET parameter checks: they guard bytes read off a socket; these are the gateway's,
 *   made from a request whose body size was checked and whose query was bounded (tokens, depth,
 *   aliases, cost) at the hub's door.
 * Yoga then does all it does for /graphql: CSRF prevention, authentication from the forwarded
 * authorization or cookie (with its x-csrf-token), the limits, coded and masked errors.
 */
import type { Traffic } from './observability/request.js';
import { vouchedClient } from './hardening/address.js';

/** What the door needs of our Yoga (app.ts `createGraphQL`): the `address` stands for the Node request. */
export interface InProcessYoga {
  fetch(request: Request, serverContext: { address: string }): Promise<Response> | Response;
  fetchAPI: { Request: typeof Request; Response: typeof Response; ReadableStream: typeof ReadableStream };
}

/** A `fetch` reaching /graphql of this process, for the hub's calls (hub/index.ts). */
export type InProcessFetch = (url: string, init: RequestInit) => Promise<Response>;

export function inProcessDoor(yoga: InProcessYoga, traffic: Traffic): InProcessFetch {
  return async (url, init) => {
    const request = new yoga.fetchAPI.Request(url, init);
    const address = vouchedClient(request.headers);
    if (address === null) throw new Error('a call to /graphql in this process without the hub secret');
    const { end } = traffic.beginInProcess(request, new URL(url).pathname, true);
    let response: Response;
    try {
      response = await yoga.fetch(request, { address });
    } catch (e) {
      end(500, true);
      throw e;
    }
    // A JSON answer is complete here; a stream (subscriptions, SSE) is logged when it ends, however it ends.
    if (!response.body || !/text\/event-stream/.test(response.headers.get('content-type') ?? '')) {
      end(response.status, false);
      return response;
    }
    return watchBody(response, init.signal, (aborted) => end(response.status, aborted), yoga.fetchAPI);
  };
}

/**
 * The same response, calling `ended` once when its body has been read to the end, or was cancelled
 * by its reader, or the call's signal aborted it (the hub's client went away): the stream under it is
 * cancelled then, which ends the subscription and frees its slot (streams.ts).
 */
function watchBody(response: Response, signal: AbortSignal | null | undefined, ended: (aborted: boolean) => void, api: InProcessYoga['fetchAPI']): Response {
  const reader = response.body!.getReader();
  const stop = (reason?: unknown) => {
    ended(true);
    reader.cancel(reason).catch(() => {});
  };
  signal?.addEventListener('abort', () => stop(signal.reason), { once: true });
  const body = new api.ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          ended(false);
          controller.close();
        } else controller.enqueue(value);
      } catch (e) {
        ended(true);
        controller.error(e);
      }
    },
    cancel: stop,
  });
  return new api.Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
