/**
 * What a caller may do where. A grant covers its union's subtree; the operations of every
 * grant whose union is an ancestor-or-self of a figure's union apply to that figure.
 */
import { roleOperations, type Operation, type Role } from '@unionhub/schema';
import { DomainError, said, type Said } from './errors.js';
import type { FigureRow } from './figures.js';

export interface Grant {
  id: number;
  role: Role;
  unionCode: string;
  /** The granted union's path ("/TLD/P06/"). */
  path: string;
}

export interface Caller {
  userId: number;
  username: string;
  displayName: string;
  grants: Grant[];
}

export type Visibility = 'all' | 'approved' | 'none';

/** A refusal for lack of grants (403); `why` says it as data (default: auth.forbidden). */
export const forbidden = (message: string, why: Said = said('auth.forbidden')) => new DomainError('FORBIDDEN', message, { http: { status: 403 }, ...why });

/** What Access needs of a cell to decide what of it a caller sees. */
export type FigureView = Pick<FigureRow, 'unionPath' | 'status' | 'updatedBy' | 'updatedAt' | 'proposedValue' | 'proposedBy' | 'proposedAt' | 'approvedBy' | 'approvedAt'>;

/** Rules of the deployment, not of a role (config.ts). */
export interface AccessPolicy {
  /** Four-eyes: nobody approves a value or a proposal they wrote themselves (FOUR_EYES, on by default). */
  fourEyes: boolean;
}

export class Access {
  constructor(
    readonly caller: Caller | null,
    readonly policy: AccessPolicy = { fourEyes: true },
  ) {}

  get authenticated(): boolean {
    return this.caller !== null;
  }

  /** May do `op` on the union at `path` (a union path, "/TLD/P06/P06-H01/"). */
  can(op: Operation, path: string): boolean {
    return !!this.caller?.grants.some((g) => path.startsWith(g.path) && roleOperations(g.role).includes(op));
  }

  /** A grant with `op` on a union strictly above the one at `path` (a reviewer above the union). */
  canAbove(op: Operation, path: string): boolean {
    return !!this.caller?.grants.some((g) => path.startsWith(g.path) && g.path !== path && roleOperations(g.role).includes(op));
  }

  /** Refuse (FORBIDDEN, 403) unless the caller may do `op` on the union at `path` — or, with `above`, on a union above it. */
  require(op: Operation, path: string, message: string, opts: { above?: boolean; why?: Said } = {}): void {
    if (!(opts.above ? this.canAbove(op, path) : this.can(op, path))) throw forbidden(message, opts.why);
  }

  /** May do `op` somewhere: some grant's role has it (an upload is refused up front without `edit` anywhere). */
  canAnywhere(op: Operation): boolean {
    return !!this.caller?.grants.some((g) => roleOperations(g.role).includes(op));
  }

  /** Administration of users, grants and tokens needs admin over the whole hierarchy. */
  get isAdministrator(): boolean {
    return !!this.caller?.grants.some((g) => g.role === 'admin' && g.path.split('/').filter(Boolean).length <= 1);
  }

  /** Which figures of the union at `path` the caller may see. */
  visibility(path: string): Visibility {
    if (this.can('readUnapproved', path)) return 'all';
    if (this.can('read', path)) return 'approved';
    return 'none';
  }

  /**
   * May read unapproved data of the union at `path`: draft and submitted values, which status a cell
   * not yet approved is in, proposals and who made them, comments, histories, discrepancies (their
   * sides and drill-downs) and counts of any of these. Without it a caller that reads the union sees
   * approved values and who approved them, and at most how many cells are not approved yet.
   */
  readsUnapproved(path: string): boolean {
    return this.can('readUnapproved', path);
  }

  /** May read the union at `path` at all (its approved figures at least). */
  reads(path: string): boolean {
    return this.can('read', path);
  }

  /**
   * Some grant reading figures lies at or below the union at `path`: the union is on the way down to
   * what the caller may read (a provincial reporter's way from TLĐ to its province).
   */
  readsBelow(path: string): boolean {
    return !!this.caller?.grants.some((g) => g.path.startsWith(path) && roleOperations(g.role).includes('read'));
  }

  /** Four-eyes: may the caller approve what `author` wrote (null: nobody through this system, e.g. the seed)? */
  mayApproveWrittenBy(author: string | null): boolean {
    return !this.policy.fourEyes || author === null || author !== this.caller?.username;
  }

  /** Refuse unless the caller reads unapproved data of the union at `path`. */
  requireUnapproved(path: string, what: string): void {
    if (!this.readsUnapproved(path)) throw new DomainError('FORBIDDEN', `Your roles do not allow reading ${what} here`);
  }

  /**
   * Refuse a subscription to the subtree at `path` ("/" for everything) where the caller can never
   * be shown anything: no grant with `op` on it, above it or below it.
   */
  requireSomethingUnder(path: string, op: 'read' | 'readUnapproved', what: string): void {
    const some = this.caller?.grants.some((g) => (path.startsWith(g.path) || g.path.startsWith(path)) && roleOperations(g.role).includes(op));
    // Refused before the stream starts, so the SSE response is a 403 (not the 500 Yoga gives an error without a status).
    if (!some) throw new DomainError('FORBIDDEN', `Your roles do not allow reading ${what} there`, { http: { status: 403 }, ...said('auth.forbidden') });
  }

  /**
   * A cell as the caller may see it, or null. Who reads only approved figures sees the approved
   * state: no proposal, and the approval as the last change (a proposal moves updatedBy/updatedAt).
   */
  figure<F extends FigureView>(f: F): F | null {
    const v = this.visibility(f.unionPath);
    if (v === 'all') return f;
    if (v === 'none' || f.status !== 'approved') return null;
    return { ...f, proposedValue: null, proposedBy: null, proposedAt: null, updatedBy: f.approvedBy ?? f.updatedBy, updatedAt: f.approvedAt ?? f.updatedAt };
  }

  figures<F extends FigureView>(list: readonly F[]): F[] {
    return list.map((f) => this.figure(f)).filter((f): f is F => f !== null);
  }

  /**
   * The cells of a change the caller is to be told of: a caller that reads only approved figures
   * hears of a cell when its approval is the change (not of a proposal made or rejected beside it).
   */
  changed<F extends FigureView>(list: readonly F[]): F[] {
    return this.figures(list.filter((f) => this.visibility(f.unionPath) === 'all' || f.approvedAt === f.updatedAt));
  }
}

/** Full access, for scripts and seeds acting on the system's behalf. */
export const SYSTEM_ACCESS = new Access({ userId: 0, username: 'system', displayName: 'System', grants: [{ id: 0, role: 'admin', unionCode: 'TLD', path: '/' }] });
