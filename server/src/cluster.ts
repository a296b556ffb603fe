/**
 * Several instances on one PostgreSQL behave as one (issue 17): each instance LISTENs on two
 * channels on a connection of its own —
 * - `unionhub_events`: every committed write's events, so a subscription on any instance hears a
 *   write made through any other;
 * - `unionhub_callers`: "users, grants, tokens or sessions changed", so every instance empties its
 *   caller cache (a revocation on one is refused at once on the others).
 * A NOTIFY payload is at most 8000 bytes: an event with many rows goes as several, each a valid event.
 * On SQLite (one instance by design) there is nothing to do. A lost listening connection is opened
 * again; what was said meanwhile is not replayed, so the caller cache is emptied on reconnect.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';
import { dialectOf } from './domain/db.js';
import type { DomainEvent } from './domain/events.js';
import { forgetCallersHere, onCallersChanged } from './domain/caller-cache.js';
import type { EventBus } from './events.js';

const EVENTS = 'unionhub_events';
const CALLERS = 'unionhub_callers';
/** Below PostgreSQL's 8000-byte limit, with room for the sender's id. */
const MAX_PAYLOAD = 7000;
const RECONNECT_MS = 1000;

interface Message {
  from: string;
  event: DomainEvent;
}

interface PgConnection {
  query(sql: string, values?: unknown[]): Promise<unknown>;
  on(event: 'notification', listener: (msg: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: (e?: Error) => void): void;
  end(): Promise<void>;
}
interface PgClient {
  acquireRawConnection(): Promise<PgConnection>;
}

/** An event as payloads of at most `max` bytes: its rows split in halves until each part fits. */
export function eventPayloads(from: string, event: DomainEvent, max = MAX_PAYLOAD): string[] {
  const text = JSON.stringify({ from, event } satisfies Message);
  if (Buffer.byteLength(text) <= max) return [text];
  const halves = split(event);
  if (!halves) throw new Error(`An event of kind ${event.kind} does not fit in one notification (${Buffer.byteLength(text)} bytes)`);
  return halves.flatMap((part) => eventPayloads(from, part, max));
}

function split(event: DomainEvent): [DomainEvent, DomainEvent] | null {
  const halve = <T>(rows: T[]): [T[], T[]] | null => (rows.length < 2 ? null : [rows.slice(0, rows.length >> 1), rows.slice(rows.length >> 1)]);
  if (event.kind === 'figuresChanged') {
    const h = halve(event.figures);
    return h && [{ ...event, figures: h[0] }, { ...event, figures: h[1] }];
  }
  if (event.kind === 'discrepanciesChanged') {
    const h = halve(event.ids);
    return h && [{ ...event, ids: h[0] }, { ...event, ids: h[1] }];
  }
  if (event.kind === 'notificationAdded') {
    const h = halve(event.notifications);
    return h && [{ ...event, notifications: h[0] }, { ...event, notifications: h[1] }];
  }
  return null;
}

export interface Cluster {
  /** This instance's id (in its notifications, and the `x-unionhub-instance` header). */
  id: string;
  stop(): Promise<void>;
}

/** Join the instances on the same PostgreSQL; null on SQLite. */
export async function joinCluster(db: Knex, bus: EventBus, onError: (e: Error) => void = () => {}): Promise<Cluster | null> {
  if (dialectOf(db) !== 'postgresql') return null;
  const id = randomUUID();
  let listener: PgConnection | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const receive = (msg: { channel: string; payload?: string }) => {
    if (msg.channel === CALLERS) {
      if (msg.payload !== id) forgetCallersHere(db);
      return;
    }
    const m = JSON.parse(msg.payload ?? '{}') as Message;
    if (m.from !== id) void bus.receive([m.event]).catch(onError);
  };
  const listen = async (): Promise<void> => {
    const conn = await (db.client as PgClient).acquireRawConnection();
    conn.on('notification', receive);
    conn.on('error', (e) => onError(e ?? new Error('listening connection failed')));
    conn.on('end', () => {
      if (listener !== conn || stopped) return;
      listener = null;
      retry = setTimeout(reconnect, RECONNECT_MS);
    });
    await conn.query(`listen ${EVENTS}`);
    await conn.query(`listen ${CALLERS}`);
    listener = conn;
  };
  const reconnect = () => {
    if (stopped) return;
    listen()
      // Whatever changed while deaf: look every caller up afresh.
      .then(() => forgetCallersHere(db))
      .catch((e: Error) => {
        onError(e);
        retry = setTimeout(reconnect, RECONNECT_MS);
      });
  };
  await listen();

  const relayEvent = async (event: DomainEvent) => {
    for (const payload of eventPayloads(id, event)) await db.raw('select pg_notify(?, ?)', [EVENTS, payload]);
  };
  const relayCallers = async () => {
    await db.raw('select pg_notify(?, ?)', [CALLERS, id]);
  };
  const removeRelay = bus.addRelay(relayEvent);
  const removeCallers = onCallersChanged(db, relayCallers);
  return {
    id,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      removeRelay();
      removeCallers();
      const conn = listener;
      listener = null;
      await conn?.end().catch(() => {});
    },
  };
}
