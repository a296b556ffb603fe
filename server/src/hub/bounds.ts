/**
 * The cost estimate at the hub, as exact as our subgraph's: the supergraph is built from SDL, so
 * its fields carry none of the `maxItems` bounds our schema declares next to each list field (the
 * hierarchy's fan-out, subtree sizes, the catalogue), and the hub has no database to measure the
 * hierarchy with. This lends the supergraph our fields' bounds (same type and field name) and the
 * hub's operations our database, so `limitPlugins` estimates a query at the hub exactly as
 * /graphql would. A department's list fields keep the plain estimate (their `limit`, else 10).
 */
import type { GraphQLField, GraphQLSchema } from 'graphql';
import type { Knex } from '@mikro-orm/knex';
import type { Plugin } from 'graphql-yoga';
import { schema as ours } from '../graphql/index.js';

const lent = new WeakSet<GraphQLSchema>();

type Fields = Record<string, GraphQLField<unknown, unknown>>;
const fieldsOf = (schema: GraphQLSchema, name: string): Fields | undefined => {
  const type = schema.getType(name) as { getFields?: () => Fields } | undefined;
  return type?.getFields?.();
};

function lendBounds(supergraph: GraphQLSchema): void {
  if (lent.has(supergraph)) return;
  lent.add(supergraph);
  for (const name of Object.keys(supergraph.getTypeMap())) {
    const theirs = fieldsOf(supergraph, name);
    const mine = name.startsWith('__') ? undefined : fieldsOf(ours, name);
    if (!theirs || !mine) continue;
    for (const [field, def] of Object.entries(theirs)) {
      const maxItems = mine[field]?.extensions?.maxItems;
      if (maxItems) (def as { extensions: Record<string, unknown> }).extensions = { ...def.extensions, maxItems };
    }
  }
}

/** Before `limitPlugins` in the hub's plugins. */
export function useOurBounds(db: Knex | undefined): Plugin {
  return {
    onContextBuilding({ extendContext }) {
      if (db) extendContext({ db } as never);
    },
    onExecute({ args }) {
      lendBounds(args.schema);
    },
    onSubscribe({ args }) {
      lendBounds(args.schema);
    },
  };
}
