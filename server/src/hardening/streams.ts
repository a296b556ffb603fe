/**
 * A cap on the subscriptions (SSE streams) one caller holds open: MAX_STREAMS_PER_CALLER per user
 * — whatever sessions or tokens it uses — or per address for a caller without credentials. Each
 * open stream holds a connection, a listener on the event bus and its filters; without a cap one
 * caller could hold thousands. The next one is refused with 429 RATE_LIMITED; a slot is freed when
 * a stream ends (the client closes it, or the server does).
 *
 * Counted in the subgraph, where the caller is known: a subscription through the hub is one stream
 * here too (the hub forwards the caller's credentials), so it is counted once.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';

export function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * The same stream with each item mapped, calling `onEnd` once when it ends however it ends
 * (finished, returned by the client going away, thrown). An object, not a generator: a generator
 * closed before its first `next` would neither run its `finally` nor close the source.
 */
export function wrapStream<T, U = T>(source: AsyncIterable<T>, map: (item: T) => U, onEnd: () => void = () => {}): AsyncIterableIterator<U> {
  const inner = source[Symbol.asyncIterator]();
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  const step = async (next: Promise<IteratorResult<T>>): Promise<IteratorResult<U>> => {
    try {
      const r = await next;
      if (r.done) {
        end();
        return { done: true, value: undefined };
      }
      return { done: false, value: map(r.value) };
    } catch (e) {
      end();
      throw e;
    }
  };
  return {
    next: () => step(inner.next()),
    return: async () => {
      end();
      await inner.return?.();
      return { done: true, value: undefined };
    },
    throw: async (error?: unknown) => {
      end();
      if (inner.throw) return step(inner.throw(error));
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export function useStreamCap(max: number): Plugin<Context> {
  const open = new Map<string, number>();
  const release = (key: string) => {
    const n = (open.get(key) ?? 1) - 1;
    if (n > 0) open.set(key, n);
    else open.delete(key);
  };
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const ctx = args.contextValue;
      const key = ctx.access.caller ? `user:${ctx.access.caller.userId}` : `address:${ctx.address}`;
      setSubscribeFn(async (subscribeArgs) => {
        // Checked and taken in one synchronous step: concurrent subscriptions cannot both take the last slot.
        const held = open.get(key) ?? 0;
        if (held >= max) {
          return {
            errors: [new GraphQLError(`At most ${max} subscriptions may be open at once; close one first`, {
              extensions: { code: 'RATE_LIMITED', http: { status: 429 } },
            })],
          };
        }
        open.set(key, held + 1);
        let result: Awaited<ReturnType<typeof subscribeFn>>;
        try {
          result = await subscribeFn(subscribeArgs);
        } catch (e) {
          release(key);
          throw e;
        }
        if (isAsyncIterable(result)) return wrapStream(result, (r) => r, () => release(key));
        release(key);
        return result;
      });
    },
  };
}
