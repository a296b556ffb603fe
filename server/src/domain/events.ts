/**
 * What a write tells listeners. Each domain write returns its events beside its result; the
 * server publishes them in one place (server/src/events.ts) once the transaction has committed,
 * so nobody hears of a change that was rolled back. Plain data: no GraphQL, no HTTP here.
 */
import type { FigureRow } from './figures.js';
import type { NotificationRow } from './notifications.js';

export type DomainEvent =
  /** Cells written, moved through approval, or given a proposal; each row carries its union's path for filtering. */
  | { kind: 'figuresChanged'; actor: string; figures: FigureRow[] }
  /** Discrepancies found, resolved, re-opened or decided (their rows are read when published, after the commit). */
  | { kind: 'discrepanciesChanged'; ids: number[] }
  /** A stage of a report generation the client follows by the job id it chose. */
  | { kind: 'reportProgress'; jobId: string; stage: string; fraction: number }
  /** Notifications delivered (one row per recipient user); each listener hears only its own. */
  | { kind: 'notificationAdded'; notifications: NotificationRow[] }
  /** A union's submission in a round was submitted, returned or extended (issue 14): its trail grew by one event. */
  | { kind: 'roundChanged'; roundId: number; unionCode: string; unionPath: string; change: 'SUBMITTED' | 'RETURNED' | 'EXTENDED' }
  /** A union's written-report section was saved, submitted, approved, sent back, commented or tagged (issue 15). */
  | { kind: 'sectionChanged'; unionCode: string; unionPath: string; section: string; version: number; change: 'SAVED' | 'SUBMITTED' | 'APPROVED' | 'RETURNED' | 'COMMENTED' | 'TAGGED' };

/** A write's result with what it tells listeners. */
export interface WithEvents {
  events: DomainEvent[];
}

/** Where a long write (report generation) sends its progress as it goes. */
export type EmitEvents = (events: DomainEvent[]) => void;

export const figuresChanged = (actor: string, figures: FigureRow[]): DomainEvent[] =>
  figures.length ? [{ kind: 'figuresChanged', actor, figures }] : [];

/** The discrepancies a re-check changed (none when it changed nothing or did not run). */
export const discrepanciesChanged = (report: { changedIds: number[] } | null | undefined): DomainEvent[] =>
  report?.changedIds.length ? [{ kind: 'discrepanciesChanged', ids: report.changedIds }] : [];
