/**
 * Limits on what one GraphQL request may ask for, as Yoga plugins: tokens (while parsing),
 * depth and aliases (as validation rules), an estimated cost (with the variables, before anything
 * runs), and a cap on the objects an answer holds (counted while it runs). Each refusal
 * carries its code; `codedErrors` makes sure every other error that reaches a client has one too.
 */
import {
  defaultFieldResolver, GraphQLError, Kind, parse,
  type ASTVisitor, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField,
  type GraphQLSchema, type GraphQLType, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext, type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Knex } from '@mikro-orm/knex';
import { ERROR_CODES, type ErrorCode } from '@unionhub/schema';
import type { Limits } from '../config.js';
import { treeShape, type TreeShape } from '../domain/unions.js';
import { isAsyncIterable, wrapStream } from './streams.js';
import { valueRefusal, type ValueProblem } from './values.js';

/** A list field with neither a declared bound (`maxItems`) nor a `limit` argument is counted as this many items. */
export const DEFAULT_LIST_SIZE = 10;

function refusal(code: ErrorCode, message: string, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/** Walk an operation's selections, following fragments once per path (cycles are another rule's error). */
function depthOf(ctx: ValidationContext, set: SelectionSetNode, seen: Set<string>): number {
  let deepest = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      // Introspection's ofType chains follow a type's wrappers (a few at most): they do not nest data.
      const own = sel.name.value === 'ofType' ? 0 : 1;
      deepest = Math.max(deepest, sel.selectionSet ? own + depthOf(ctx, sel.selectionSet, seen) : 1);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(ctx, sel.selectionSet, seen));
    } else {
      const fragment = ctx.getFragment(sel.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      deepest = Math.max(deepest, depthOf(ctx, fragment.selectionSet, new Set(seen).add(fragment.name.value)));
    }
  }
  return deepest;
}

export function maxDepthRule(max: number) {
  return (ctx: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const depth = depthOf(ctx, node.selectionSet, new Set());
      if (depth > max) ctx.reportError(refusal('QUERY_TOO_DEEP', `The query is ${depth} levels deep; at most ${max} are allowed`));
    },
  });
}

export function maxAliasesRule(max: number) {
  return (ctx: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: {
        leave() {
          if (aliases > max) ctx.reportError(refusal('TOO_MANY_ALIASES', `The request uses ${aliases} aliases; at most ${max} are allowed`));
        },
      },
    };
  };
}

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
function isList(type: GraphQLType): boolean {
  return String(type).replace(/!$/, '').startsWith('[');
}

function namedType(type: GraphQLType): GraphQLCompositeType {
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
      if (!sel.selectionSet) continue;
      const def = fieldsOf(parent)?.[sel.name.value];
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

function operationOf(op: Pick<Operation, 'document' | 'operationName'>): OperationDefinitionNode | undefined {
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
function useCostLimit(limits: Limits): Plugin {
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

/**
 * What no argument may carry, checked before an operation runs (values.ts): NUL in text, a year
 * outside what any request may name.
 */
const valueError = (p: ValueProblem) => new GraphQLError(p.message, { extensions: { code: 'VALIDATION', fields: [p.field], http: { status: 400 } } });

function useValueGuards(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = valueRefusal(args.document, args.variableValues ?? {});
      if (refused) setResultAndStopExecution({ errors: [valueError(refused)] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = valueRefusal(args.document, args.variableValues ?? {});
      if (refused) setResultAndStopExecution({ errors: [valueError(refused)] });
    },
  };
}

/** Per operation: list items its answer may still hold. */
interface Budget { left: number; cap: number; over: boolean }
const budgets = new WeakMap<object, Budget>();
const counted = new WeakSet<object>();

const tooLarge = (cap: number) => refusal('RESPONSE_TOO_LARGE', `The answer would hold more than ${cap} objects; ask for less (a smaller limit, depth or subtree)`);

/**
 * Wrap each resolver of a list of objects (once per schema) to count the items it returns against
 * the operation's budget; past it, this and every later list resolver throws at once, so the work
 * below stops early (each list is counted before anything under it is resolved).
 */
function countListItems(schema: GraphQLSchema): void {
  if (counted.has(schema)) return;
  counted.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !('isTypeOf' in type) || !('getFields' in type)) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const item = namedType(field.type);
      if (!isList(field.type) || !('getFields' in item || 'getTypes' in item)) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const budget = budgets.get(context as object);
        if (!budget) return resolve(source, args, context, info);
        if (budget.over) throw tooLarge(budget.cap);
        const spend = (items: unknown) => {
          if (Array.isArray(items) && (budget.left -= items.length) < 0) {
            budget.over = true;
            throw tooLarge(budget.cap);
          }
          return items;
        };
        const result = resolve(source, args, context, info);
        return result instanceof Promise ? result.then(spend) : spend(result);
      };
    }
  }
}

/**
 * MAX_RESULT_ITEMS: a query whose answer outgrows it is stopped and answered with one RESPONSE_TOO_LARGE.
 * Not a mutation: once it has written, its answer must say so (its lists are bounded by the estimate:
 * the cells it was given, the selection it moved).
 */
function useResultCap(limits: Limits): Plugin {
  return {
    onExecute({ args }) {
      if (operationOf(args)?.operation === 'mutation') return;
      countListItems(args.schema);
      const budget: Budget = { left: limits.MAX_RESULT_ITEMS, cap: limits.MAX_RESULT_ITEMS, over: false };
      budgets.set(args.contextValue as object, budget);
      return {
        onExecuteDone({ result, setResult }) {
          budgets.delete(args.contextValue as object);
          if (budget.over && !(Symbol.asyncIterator in (result as object))) setResult({ errors: [tooLarge(budget.cap)] });
        },
      };
    },
    // A subscription's answers are counted one event at a time: an event over the cap is replaced, the stream goes on.
    onSubscribe({ args }) {
      countListItems(args.schema);
      const budget: Budget = { left: limits.MAX_RESULT_ITEMS, cap: limits.MAX_RESULT_ITEMS, over: false };
      budgets.set(args.contextValue as object, budget);
      return {
        onSubscribeResult: () => ({
          onNext({ setResult }) {
            if (budget.over) setResult({ errors: [tooLarge(budget.cap)] });
            budget.left = budget.cap;
            budget.over = false;
          },
          onEnd: () => void budgets.delete(args.contextValue as object),
        }),
      };
    },
  };
}

/** Parse with a token limit; a syntax error is a BAD_REQUEST, too many tokens TOO_COMPLEX. */
function useTokenLimit(maxTokens: number): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parse(source, { ...options, maxTokens });
        } catch (e) {
          const message = (e as Error).message;
          if (/\d+ tokens\. Parsing aborted/.test(message)) throw refusal('TOO_COMPLEX', `The query has more than ${maxTokens} tokens`);
          throw refusal('BAD_REQUEST', message);
        }
      });
    },
  };
}

function useLimitRules(limits: Limits): Plugin {
  const rules = [maxDepthRule(limits.MAX_QUERY_DEPTH), maxAliasesRule(limits.MAX_ALIASES)];
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}

type Coded = { message: string; extensions?: Record<string, unknown> };

/** Yoga's own codes for requests graphql refused, mapped onto ours. */
const FOREIGN_CODES: Record<string, ErrorCode> = { GRAPHQL_VALIDATION_FAILED: 'BAD_REQUEST', GRAPHQL_PARSE_FAILED: 'BAD_REQUEST', BAD_USER_INPUT: 'BAD_REQUEST' };

/** The code an error without one of ours gets: requests Yoga or graphql refused are BAD_REQUEST, the rest INTERNAL. */
function codeFor(error: Coded): ErrorCode {
  if (/^Batching is limited/.test(error.message)) return 'BATCH_TOO_LARGE';
  const given = error.extensions?.code;
  if (typeof given === 'string' && given in ERROR_CODES) return given as ErrorCode;
  if (typeof given === 'string' && FOREIGN_CODES[given]) return FOREIGN_CODES[given];
  const status = (error.extensions?.http as { status?: number } | undefined)?.status;
  if (status === 413) return 'TOO_LARGE';
  if (status && status >= 400 && status < 500) return 'BAD_REQUEST';
  // graphql's own validation and coercion errors may carry no status; they have locations, not a path.
  if ('locations' in error && (error as { locations?: unknown }).locations && !(error as { path?: unknown }).path) return 'BAD_REQUEST';
  return 'INTERNAL';
}

/** What never leaves the server inside `extensions`. */
const PRIVATE = new Set(['originalError', 'stack', 'exception', 'stacktrace']);

function withCode(error: unknown): unknown {
  const e = error as Coded & GraphQLError;
  if (!e || typeof e !== 'object') return error;
  const extensions = e.extensions ?? {};
  const code = codeFor(e);
  if (extensions.code === code && !Object.keys(extensions).some((k) => PRIVATE.has(k))) return error;
  const kept = Object.fromEntries(Object.entries(extensions).filter(([k]) => !PRIVATE.has(k)));
  return new GraphQLError(e.message, {
    nodes: e.nodes, source: e.source, positions: e.positions, path: e.path,
    extensions: { ...kept, code },
  });
}

/**
 * A plugin that passes every error of every result through `map` — batched results too, and with
 * `streams` each event of a subscription.
 */
export function mapErrors(map: (error: unknown) => unknown, streams = false): Plugin {
  const mapResult = <T>(result: T): T => {
    const r = result as { errors?: unknown[] };
    if (!r || typeof r !== 'object' || !Array.isArray(r.errors)) return result;
    return { ...r, errors: r.errors.map(map) } as T;
  };
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(mapResult) as never);
      else if (isAsyncIterable(result)) {
        if (streams) setResult(wrapStream(result, mapResult) as never);
      } else if (result && typeof result === 'object') setResult(mapResult(result));
    },
  };
}

/** Every error that leaves the server has an `extensions.code`, including Yoga's and graphql's own. */
export const codedErrors: Plugin = mapErrors(withCode);

export function limitPlugins(limits: Limits): Plugin[] {
  return [useTokenLimit(limits.MAX_TOKENS), useLimitRules(limits), useValueGuards(), useCostLimit(limits), useResultCap(limits)];
}

