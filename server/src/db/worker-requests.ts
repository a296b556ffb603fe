/**
 * A worker thread's loop over its requests (grid-worker.ts, writer-worker.ts): each message is run,
 * and a failure — the work's, or the answer's that cannot be sent — is answered by `fail`. On
 * `{ close: true }` the connection and the port close once the requests in flight are answered,
 * never in the middle of a statement: node-sqlite3 calling back into a thread being torn down aborts
 * the whole process (seen in CI).
 */
import type { MessagePort } from 'node:worker_threads';
import type { Knex } from '@mikro-orm/knex';

export function serveRequests<M>(port: MessagePort, db: Knex, run: (ask: M) => Promise<void>, fail: (ask: M, e: unknown) => void): void {
  let inFlight = 0;
  let closing = false;
  const finish = async () => {
    await db.destroy();
    port.close();
  };
  port.on('message', (ask: M | { close: true }) => {
    if (typeof ask === 'object' && ask !== null && 'close' in ask) {
      closing = true;
      if (inFlight === 0) void finish();
      return;
    }
    inFlight++;
    run(ask)
      .catch((e: unknown) => fail(ask, e))
      .finally(() => {
        if (--inFlight === 0 && closing) void finish();
      });
  });
}
