import type { Knex } from '@mikro-orm/knex';
import { DomainError } from './domain/errors.js';
import { figuresByCells, type CellKey, type FigureRow } from './domain/figures.js';
import type { UnionRow } from './domain/unions.js';
import { childrenOf, unionsByCodes, unionsByIds, yearSpan } from './domain/unions.js';
import { Access, type AccessPolicy } from './domain/access.js';
import { callerFromSession, callerFromToken } from './domain/auth.js';
import { Loader } from './loader.js';
import type { EventBus } from './events.js';


export const SESSION_COOKIE = 'uh_session';
/** Readable by the page, sent back as the x-csrf-token header (double submit). */
export const CSRF_COOKIE = 'uh_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface Context {
  db: Knex;
  /** The server's one event bus: publish a write's events after it returned (events.ts). */
  bus: EventBus;
  access: Access;
  /** The signed-in username; every revision's actor. */
  actor: string;
  address: string;
  sessionToken: string | null;
  /** Set-Cookie values to add to the response. */
  cookies: string[];
  unionById: Loader<number, UnionRow>;
  unionByCode: Loader<string, UnionRow>;
  /** Children by "parentId|year" ("parentId|" for every year), batched per year. */
  childrenOf: Loader<string, UnionRow[]>;
  /** Cells by cellLoaderKey(…): `_entities` asks for many at once; they are read in one query. */
  figureByCell: Loader<string, FigureRow>;
  /**
   * The request's instant: the server's clock (config.ts CLOCK, or a test's) read once when the context
   * is built, so every field of one request judges on time / late at the same moment.
   */
  now: () => Date;
}

export function readCookie(header: string | null, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    // A cookie that is not valid percent-encoding is no credential (and must not throw: the rate guard reads it first).
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

function refuse(code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string, status: number) {
  return new DomainError(code, message, { http: { status }, key: code === 'UNAUTHENTICATED' ? 'auth.signInFirst' : 'auth.forbidden', params: {} });
}

/**
 * Who is calling: a bearer token (programs) or a session cookie (the client). A cookie request
 * must carry the CSRF token of its session in a header; a bad token is refused, never anonymous.
 */
/** `address`: the client's, as `clientAddress` (hardening/address.ts) works it out. */
export async function createContext(db: Knex, bus: EventBus, request: Request, address = 'unknown', policy?: AccessPolicy, now: () => Date = () => new Date()): Promise<Context> {
  let access = new Access(null, policy);
  let sessionToken: string | null = null;
  const authorization = request.headers.get('authorization');
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    const caller = m ? await callerFromToken(db, m[1]!) : null;
    if (!caller) throw refuse('UNAUTHENTICATED', 'The API token is invalid, expired or revoked', 401);
    access = new Access(caller, policy);
  } else {
    sessionToken = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
    if (sessionToken) {
      const session = await callerFromSession(db, sessionToken);
      if (session) {
        if (request.headers.get(CSRF_HEADER) !== session.csrfToken) {
          throw refuse('FORBIDDEN', `A signed-in request must send its ${CSRF_HEADER} header`, 403);
        }
        access = new Access(session.caller, policy);
      } else sessionToken = null; // expired or signed out: anonymous
    }
  }
  const at = now().getTime();
  return {
    db,
    bus,
    access,
    actor: access.caller?.username ?? 'anonymous',
    address,
    sessionToken,
    cookies: [],
    now: () => new Date(at),
    unionById: new Loader(async (ids) => {
      const rows = new Map((await unionsByIds(db, ids)).map((u) => [u.id, u]));
      return ids.map((id) => rows.get(id));
    }),
    unionByCode: new Loader(async (codes) => {
      const rows = new Map((await unionsByCodes(db, codes)).map((u) => [u.code, u]));
      return codes.map((c) => rows.get(c));
    }),
    figureByCell: new Loader(async (keys) => {
      const cells = keys.map((k): CellKey => {
        const [unionCode, indicatorCode, year, scenario] = JSON.parse(k) as [string, string, number, CellKey['scenario']];
        return { unionCode, indicatorCode, year, scenario };
      });
      const rows = new Map((await figuresByCells(db, cells)).map((f) => [cellLoaderKey(f), f]));
      return keys.map((k) => rows.get(k));
    }),
    childrenOf: new Loader(async (keys) => {
      const byYear = new Map<string, number[]>();
      for (const k of keys) {
        const [id, year] = k.split('|');
        (byYear.get(year!) ?? byYear.set(year!, []).get(year!)!).push(Number(id));
      }
      const found = new Map<string, UnionRow[]>();
      for (const [year, ids] of byYear) {
        for (const child of await childrenOf(db, ids, yearSpan(year === '' ? null : Number(year)))) {
          const key = `${child.parentId}|${year}`;
          (found.get(key) ?? found.set(key, []).get(key)!).push(child);
        }
      }
      return keys.map((k) => found.get(k) ?? []);
    }),
  };
}

/** A cell's key for `figureByCell` (JSON, so no code can forge a separator). */
export const cellLoaderKey = (k: CellKey): string => JSON.stringify([k.unionCode, k.indicatorCode, k.year, k.scenario]);

/** For subscriptions: does a union path lie under `rootCode` (everything when none is given)? */
export async function underRoot(ctx: Context, rootCode: string | null | undefined): Promise<(path: string) => boolean> {
  if (!rootCode) return () => true;
  const root = await ctx.unionByCode.load(rootCode);
  if (!root) throw new DomainError('NOT_FOUND', `Unknown union "${rootCode}"`, { key: 'union.unknown', params: { union: rootCode } });
  return (path) => path.startsWith(root.path);
}
