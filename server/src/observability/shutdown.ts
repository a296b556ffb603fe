/**
 * Graceful shutdown (SIGTERM in main.ts): stop accepting connections, let the requests in flight
 * and the write group running finish, end SSE streams with a `retry:` hint so clients reconnect
 * (to another instance, or this one restarted), then close the hub, the scheduler and the
 * database — all within the grace period. Past it, what is still open is cut.
 */
import type { Logger } from 'pino';
import type { App } from '../app.js';
import { writesIdle } from '../domain/write-queue.js';

export interface ShutdownOptions {
  graceMs: number;
  log: Logger;
  /** Closed before the app (the hub answers through it). */
  hub?: { close(): Promise<void> } | null;
  closeDatabase(): Promise<void>;
  /** What the SSE `retry:` field asks clients to wait before reconnecting. */
  retryMs?: number;
}

/** Whether everything in flight finished within the grace period (false: some requests were cut). */
export async function shutdown(app: App, { graceMs, log, hub, closeDatabase, retryMs = 1_000 }: ShutdownOptions): Promise<{ clean: boolean }> {
  // Keep a quarter of the grace (at most 2 s) for closing the hub, the scheduler and the database.
  const drainMs = graceMs - Math.min(2_000, graceMs / 4);
  log.info({ inFlight: app.traffic.inFlight(), streams: app.traffic.streams(), graceMs }, 'shutting down');
  const closed = new Promise<void>((resolve) => app.server.close(() => resolve()));
  app.traffic.refuseKeepAlive();
  app.server.closeIdleConnections();
  app.traffic.closeStreams(retryMs);
  let timer: NodeJS.Timeout | undefined;
  const clean = await Promise.race([
    // A write answered only after its group commits, so the requests' end covers their writes; a write whose
    // caller went away still finishes with its group.
    app.traffic.idle().then(() => writesIdle(app.db)).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
  ]);
  clearTimeout(timer);
  if (!clean) log.warn({ inFlight: app.traffic.inFlight() }, 'grace period over: cutting the requests still in flight');
  app.server.closeAllConnections();
  await closed;
  await hub?.close();
  await app.close();
  await closeDatabase();
  log.info({ clean }, 'stopped');
  return { clean };
}
