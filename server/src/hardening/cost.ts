/**
 * The estimated cost of an operation: each field 1, a list multiplying what lies below it by the
 * most items it can return — the bound declared beside the field (`maxItems`: the hierarchy's
 * shape measured per database, the catalogue, its arguments), else its `limit`, else
 * DEFAULT_LIST_SIZE — checked with the request's variables before anything runs.
 */
import {
  GraphQLError, Kind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField,
  type GraphQLSchema, type GraphQLType, type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Knex } from '@mikro-orm/knex';
import type { Limits } from '../config.js';
import { treeShape, type TreeShape } from '../domain/unions.js';
import { refusal } from './coded-errors.js';

/** A list field with neither a declared bound (`maxItems`) nor a `limit` argument is counted as this many items. */
export const DEFAULT_LIST_SIZE = 10;

type Args = Record<string, unknown>;

/**
 * The most items a list field can return, from its arguments (variables resolved), the hierarchy's
 * shape, and the arguments of the field above it (grid `rows` reads `grid(depth)`). Declared next to
 * each field with `extensions: maxItems(…)`; the estimate multiplies what lies below by it.
 */
export type ItemBound = (args: Args, shape: TreeShape, parentArgs: Args) => number;
export const maxItems = (bound: ItemBound) => ({ maxItems: bound });

/** A number the request gave, else `fallback` (a non-number is the resolver's or graphql's refusal). */
export const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
/** The length of a list the request gave, else `fallback`. */
export const len = (v: unknown, fallback: number): number => (Array.isArray(v) ? v.length : v === null || v === undefined ? fallback : 1);
/** A `limit` argument, at most `max` (the resolver refuses more, so no more is ever returned). */
export const limitArg = (max: number): ItemBound => (a) => Math.min(max, Math.max(0, num(a.limit, max)));
/**
 * `subtree(depth)`-like fields: the largest subtree of that depth (a depth past the tree's height is
 * the whole height), and no more than the named root's whole subtree when the read names one.
 */
export const subtreeOf = (depth: unknown, shape: TreeShape, root?: unknown): number =>
  Math.min(
    shape.subtree[Math.min(shape.subtree.length - 1, Math.max(0, Math.trunc(num(depth, shape.subtree.length - 1))))] ?? shape.unions,
    (typeof root === 'string' && shape.below.get(root)) || Infinity,
  );

/** List fields the schema does not declare itself (federation's), by "Type.field". */
const ENTITIES = 'Query._entities';
const GENERATED: Record<string, ItemBound> = { [ENTITIES]: (a) => len(a.representations, 1) };

/** Without a database (no hierarchy to measure) every tree bound is the old guess. */
const UNKNOWN_SHAPE: TreeShape = { unions: DEFAULT_LIST_SIZE, fanOut: DEFAULT_LIST_SIZE, ancestors: DEFAULT_LIST_SIZE, subtree: [DEFAULT_LIST_SIZE], successions: DEFAULT_LIST_SIZE, below: new Map() };

/** The hierarchy changes rarely (imports of units): measured once a minute per database. */
const SHAPE_MS = 60_000;
const shapes = new WeakMap<object, { at: number; shape: Promise<TreeShape> }>();

function shapeOf(db: Knex | undefined): Promise<TreeShape> {
  if (!db) return Promise.resolve(UNKNOWN_SHAPE);
  const cached = shapes.get(db);
  if (cached && Date.now() - cached.at < SHAPE_MS) return cached.shape;
  const shape = treeShape(db);
  shapes.set(db, { at: Date.now(), shape });
  shape.catch(() => shapes.delete(db));
  return shape;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Args;
  shape: TreeShape;
  /** Representations asked of `_entities`, over every alias. */
  representations: number;
}

function valueOf(v: ValueNode, vars: Args): unknown {
  switch (v.kind) {
    case Kind.VARIABLE: return vars[v.name.value];
    case Kind.INT: case Kind.FLOAT: return Number(v.value);
    case Kind.STRING: case Kind.ENUM: case Kind.BOOLEAN: return v.value;
    case Kind.NULL: return null;
    case Kind.LIST: return v.values.map((x) => valueOf(x, vars));
    case Kind.OBJECT: return Object.fromEntries(v.fields.map((f) => [f.name.value, valueOf(f.value, vars)]));
  }
}

/** A field's arguments as its resolver will see them: given, from a variable, or the declared default. */
function argsOf(node: FieldNode, def: GraphQLField<unknown, unknown>, vars: Args): Args {
  const out: Args = {};
  for (const a of def.args) {
    const given = node.arguments?.find((x) => x.name.value === a.name);
    const absent = !given || (given.value.kind === Kind.VARIABLE && vars[given.value.name.value] === undefined);
    out[a.name] = absent ? a.defaultValue : valueOf(given.value, vars);
  }
  return out;
}

/** How many items a list field can return: its declared bound, else its `limit`, else a fixed guess. */
function listSize(walk: Walk, parent: GraphQLCompositeType, def: GraphQLField<unknown, unknown>, args: Args, parentArgs: Args): number {
  const key = `${parent.name}.${def.name}`;
  const bound = (def.extensions?.maxItems as ItemBound | undefined) ?? GENERATED[key];
  const size = bound ? bound(args, walk.shape, parentArgs) : 'limit' in args ? num(args.limit, DEFAULT_LIST_SIZE) : DEFAULT_LIST_SIZE;
  if (key === ENTITIES) walk.representations += size;
  return Number.isNaN(size) ? Infinity : Math.max(0, size);
}

// Schema types are read by shape, never with graphql's predicates: graphql can be loaded twice
// (ESM and CJS copies) and its instanceof checks then refuse the other copy's types.
const listTypes = new WeakMap<GraphQLType, boolean>();
export function isList(type: GraphQLType): boolean {
  let list = listTypes.get(type);
  if (list === undefined) listTypes.set(type, (list = String(type).replace(/!$/, '').startsWith('[')));
  return list;
}

export function namedType(type: GraphQLType): GraphQLCompositeType {
  let t: unknown = type;
  while (t && typeof t === 'object' && 'ofType' in t && (t as { ofType: unknown }).ofType) t = (t as { ofType: unknown }).ofType;
  return t as GraphQLCompositeType;
}

function fieldsOf(type: GraphQLCompositeType | undefined): Record<string, GraphQLField<unknown, unknown>> | undefined {
  return type && 'getFields' in type ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>) : undefined;
}

/** Fields resolved, estimated: 1 per field, a list multiplying what lies below it by the most items it can return. */
function costOf(walk: Walk, set: SelectionSetNode, parent: GraphQLCompositeType | undefined, parentArgs: Args, seen: Set<string>): number {
  let total = 0;
  const { schema } = walk;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      total += 1;
      const def = fieldsOf(parent)?.[sel.name.value];
      if (!sel.selectionSet) {
        // A leaf with a bound holds that many fields' worth in one value (Grid.table): counted as them.
        if (def?.extensions?.maxItems && parent) total += Math.max(0, listSize(walk, parent, def, argsOf(sel, def, walk.variables), parentArgs) - 1);
        continue;
      }
      if (!def || !parent) {
        // Introspection and unknown fields: unknown ones are refused by validation; count the rest plainly.
        const meta = sel.name.value === '__schema' ? schema.getType('__Schema') : sel.name.value === '__type' ? schema.getType('__Type') : undefined;
        total += costOf(walk, sel.selectionSet, meta as GraphQLCompositeType | undefined, {}, seen);
        continue;
      }
      const args = argsOf(sel, def, walk.variables);
      const below = costOf(walk, sel.selectionSet, namedType(def.type), args, seen);
      total += isList(def.type) ? listSize(walk, parent, def, args, parentArgs) * below : below;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const on = sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
      total += costOf(walk, sel.selectionSet, on, parentArgs, seen);
    } else {
      const fragment = walk.fragments[sel.name.value];
      if (!fragment || seen.has(fragment.name.value)) continue;
      const on = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
      total += costOf(walk, fragment.selectionSet, on, parentArgs, new Set(seen).add(fragment.name.value));
    }
  }
  return total;
}

interface Operation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Args | null;
}

export function operationOf(op: Pick<Operation, 'document' | 'operationName'>): OperationDefinitionNode | undefined {
  const operations = op.document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return op.operationName ? operations.find((o) => o.name?.value === op.operationName) : operations[0];
}

/**
 * The estimate of the operation about to run, with its variables (a validation rule never sees
 * them, so this runs when execution starts); a refusal, or null when it may run.
 */
export function costRefusal(op: Operation, shape: TreeShape, limits: Pick<Limits, 'MAX_COMPLEXITY' | 'MAX_ENTITY_REPRESENTATIONS'>): GraphQLError | null {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of op.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const node = operationOf(op);
  if (!node) return null; // graphql refuses it itself
  // Variables the request leaves out take the operation's defaults, as execution will.
  const variables: Args = {};
  for (const v of node.variableDefinitions ?? []) if (v.defaultValue) variables[v.variable.name.value] = valueOf(v.defaultValue, {});
  Object.assign(variables, op.variableValues ?? {});
  const root = node.operation === 'query' ? op.schema.getQueryType() : node.operation === 'mutation' ? op.schema.getMutationType() : op.schema.getSubscriptionType();
  const walk: Walk = { schema: op.schema, fragments, variables, shape, representations: 0 };
  const cost = costOf(walk, node.selectionSet, root ?? undefined, {}, new Set());
  if (walk.representations > limits.MAX_ENTITY_REPRESENTATIONS) {
    return refusal('TOO_COMPLEX', `The request asks _entities for ${walk.representations} representations; at most ${limits.MAX_ENTITY_REPRESENTATIONS} are allowed`);
  }
  if (cost > limits.MAX_COMPLEXITY) return refusal('TOO_COMPLEX', `The query would resolve about ${Math.round(Math.min(cost, Number.MAX_SAFE_INTEGER))} fields; at most ${limits.MAX_COMPLEXITY} are allowed`);
  return null;
}

/** The estimate, checked before each operation (queries, mutations, subscriptions) runs, with its variables. */
export function useCostLimit(limits: Limits): Plugin {
  const check = async (args: Operation & { contextValue?: unknown }) =>
    costRefusal(args, await shapeOf((args.contextValue as { db?: Knex } | undefined)?.db), limits);
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const refused = await check(args);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refused = await check(args);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
  };
}
