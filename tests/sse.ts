/**
 * One SSE reader for the tests: subscribe with GET, read events as they arrive (a gateway opens its
 * upstream subscription only once its client reads), decode UTF-8 across chunk borders.
 */
export interface SseStream {
  status: number;
  contentType: string;
  /** A response header (e.g. which instance behind a proxy answered). */
  header(name: string): string | null;
  /** The next event's payload, in order; null once the stream has ended. */
  next(): Promise<any>;
  close(): void;
}

export async function openSse(url: string, query: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(`${url}?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const queue: any[] = [];
  const waiting: ((v: any) => void)[] = [];
  const push = (v: any) => (waiting.length ? waiting.shift()!(v) : queue.push(v));
  void (async () => {
    const reader = res.body!.getReader();
    // One decoder for the whole stream: a Vietnamese letter split across two chunks stays whole.
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const events = buffer.split('\n\n');
      buffer = events.pop()!;
      for (const e of events) {
        const data = /^data: (.+)$/m.exec(e)?.[1];
        if (data) push(JSON.parse(data));
      }
    }
  })().catch(() => undefined).finally(() => push(null));
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    header: (name) => res.headers.get(name),
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r))),
    close: () => controller.abort(),
  };
}
