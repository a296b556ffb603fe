import type { Knex } from '@mikro-orm/knex';
import { createPubSub } from 'graphql-yoga';
import type { FigureRow } from './domain/figures.js';
import type { UnionRow } from './domain/unions.js';
import { childrenOf, unionsByCodes, unionsByIds, yearSpan } from './domain/unions.js';
import { Loader } from './loader.js';

export interface FiguresChanged {
  actor: string;
  figures: FigureRow[];
  /** Path of each figure's union, to filter by subtree. */
  paths: string[];
}

export const createEvents = () => createPubSub<{ figuresChanged: [FiguresChanged] }>();
export type Events = ReturnType<typeof createEvents>;

export interface Context {
  db: Knex;
  events: Events;
  /** Who is acting. Until sign-in exists this is the `x-actor` header or "anonymous". */
  actor: string;
  unionById: Loader<number, UnionRow>;
  unionByCode: Loader<string, UnionRow>;
  /** Children by "parentId|year" ("parentId|" for every year), batched per year. */
  childrenOf: Loader<string, UnionRow[]>;
}

export function createContext(db: Knex, events: Events, request: Request): Context {
  return {
    db,
    events,
    actor: request.headers.get('x-actor')?.slice(0, 100) || 'anonymous',
    unionById: new Loader(async (ids) => {
      const rows = new Map((await unionsByIds(db, ids)).map((u) => [u.id, u]));
      return ids.map((id) => rows.get(id));
    }),
    unionByCode: new Loader(async (codes) => {
      const rows = new Map((await unionsByCodes(db, codes)).map((u) => [u.code, u]));
      return codes.map((c) => rows.get(c));
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
