/**
 * The server's one event bus. Domain writes return their events (domain/events.ts); resolvers and
 * HTTP routes hand them to `publish` once the write has returned, that is after its transaction
 * committed. Subscriptions read the channels below, each filtering for its viewer where it is.
 */
import type { Knex } from '@mikro-orm/knex';
import { getEventListeners, setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';
import type { DomainEvent } from './domain/events.js';
import type { FigureRow } from './domain/figures.js';
import { discrepanciesByIds } from './domain/discrepancies.js';
import type { DiscrepancyRow } from './domain/reconcile.js';
import type { NotificationRow } from './domain/notifications.js';

export interface FiguresChanged {
  actor: string;
  /** Each carries its union's path, to filter by subtree and by what each listener may see. */
  figures: FigureRow[];
}

export interface ReportProgress {
  stage: string;
  fraction: number;
}

type Channels = {
  figuresChanged: [FiguresChanged];
  discrepanciesChanged: [DiscrepancyRow[]];
  /** Keyed by the job id: a subscription hears only its own generation. */
  reportProgress: [jobId: string, payload: ReportProgress];
  /** One per recipient; each subscription keeps its caller's own. */
  notificationAdded: [NotificationRow];
  /** A union's submission in a round moved (issue 14): for a future subscription of the round's screen. */
  roundChanged: [Extract<DomainEvent, { kind: 'roundChanged' }>];
  /** A written-report section moved (issue 15): for the writing and compiling screens. */
  sectionChanged: [Extract<DomainEvent, { kind: 'sectionChanged' }>];
};

export function createEventBus(db: Knex, onRelayError: (e: Error) => void = () => {}) {
  // One listener per open subscription: their number is bounded per caller (MAX_STREAMS_PER_CALLER),
  // not by Node's leak warning at 10.
  const eventTarget = new EventTarget();
  setMaxListeners(0, eventTarget);
  const pubsub = createPubSub<Channels>({ eventTarget });
  /** Hand events to this instance's subscriptions. Discrepancies are read now, as they stand after the commit. */
  const deliver = async (events: readonly DomainEvent[]) => {
    for (const e of events) {
      if (e.kind === 'figuresChanged') pubsub.publish('figuresChanged', { actor: e.actor, figures: e.figures });
      // Read only for someone here who listens: a write's answer waited for a read nobody used.
      else if (e.kind === 'discrepanciesChanged') {
        if (getEventListeners(eventTarget, 'discrepanciesChanged').length > 0) pubsub.publish('discrepanciesChanged', await discrepanciesByIds(db, e.ids));
      }
      else if (e.kind === 'notificationAdded') for (const n of e.notifications) pubsub.publish('notificationAdded', n);
      else if (e.kind === 'roundChanged') pubsub.publish('roundChanged', e);
      else if (e.kind === 'sectionChanged') pubsub.publish('sectionChanged', e);
      else pubsub.publish('reportProgress', e.jobId, { stage: e.stage, fraction: e.fraction });
    }
  };
  /** Where events also go: the other instances (server/src/cluster.ts), when there are any. */
  const relays = new Set<(e: DomainEvent) => Promise<void>>();
  return {
    subscribe: pubsub.subscribe,
    /** Publish a committed write's events, in order: here, then to the other instances. */
    async publish(events: readonly DomainEvent[]): Promise<void> {
      await deliver(events);
      for (const relay of relays) {
        for (const e of events) {
          // The write has committed and its own instance heard it: a relay failure is told, not thrown at the writer.
          await relay(e).catch((err: Error) => onRelayError(err));
        }
      }
    },
    /** Events another instance published (they are not relayed again). */
    receive: deliver,
    addRelay(relay: (e: DomainEvent) => Promise<void>): () => void {
      relays.add(relay);
      return () => void relays.delete(relay);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
