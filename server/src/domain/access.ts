/**
 * What a caller may do where. A grant covers its union's subtree; the operations of every
 * grant whose union is an ancestor-or-self of a figure's union apply to that figure.
 */
import { roleOperations, type Operation, type Role } from '@unionhub/schema';

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

export class Access {
  constructor(readonly caller: Caller | null) {}

  get authenticated(): boolean {
    return this.caller !== null;
  }

  /** May do `op` on the union at `path` (a union path, "/TLD/P06/P06-H01/"). */
  can(op: Operation, path: string): boolean {
    return !!this.caller?.grants.some((g) => path.startsWith(g.path) && roleOperations(g.role).includes(op));
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

  /** Filter rows carrying a union path and a status down to what the caller may see. */
  filter<T>(rows: T[], pathOf: (r: T) => string, statusOf: (r: T) => string | null): T[] {
  /** May do `op` somewhere: some grant's role has it (an upload is refused up front without `edit` anywhere). */
  canAnywhere(op: Operation): boolean {
    return !!this.caller?.grants.some((g) => roleOperations(g.role).includes(op));
  }

    return rows.filter((r) => {
      const v = this.visibility(pathOf(r));
      return v === 'all' || (v === 'approved' && statusOf(r) === 'approved');
    });
  }
}

/** Full access, for scripts and seeds acting on the system's behalf. */
export const SYSTEM_ACCESS = new Access({ userId: 0, username: 'system', displayName: 'System', grants: [{ id: 0, role: 'admin', unionCode: 'TLD', path: '/' }] });
