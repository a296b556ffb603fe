/**
 * Limits on what one GraphQL request may ask for, as Yoga plugins: tokens (while parsing),
 * depth, aliases and an estimated cost (as validation rules, before anything runs). Each refusal
 * carries its code; `codedErrors` makes sure every other error that reaches a client has one too.
 */
import {
  GraphQLError, Kind, parse,
  type ASTVisitor, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField,
  type GraphQLType, type SelectionSetNode, type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERROR_CODES, type ErrorCode } from '@unionhub/schema';
import type { Limits } from '../config.js';

/** A list field without a `limit` argument is counted as this many items. */
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

/** How many items a list field is expected to return: its literal `limit`, its default `limit`, or a fixed guess. */
function listSize(node: FieldNode, def: GraphQLField<unknown, unknown>): number {
  const arg = node.arguments?.find((a) => a.name.value === 'limit');
  if (arg?.value.kind === Kind.INT) return Math.max(1, Number(arg.value.value));
  const declared = def.args.find((a) => a.name === 'limit')?.defaultValue;
  return typeof declared === 'number' && !arg ? Math.max(1, declared) : DEFAULT_LIST_SIZE;
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

/** Fields resolved, estimated: 1 per field, a list multiplying what lies below it. */
function costOf(ctx: ValidationContext, set: SelectionSetNode, parent: GraphQLCompositeType | undefined, seen: Set<string>): number {
  let total = 0;
  const schema = ctx.getSchema();
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      total += 1;
      if (!sel.selectionSet) continue;
      const def = fieldsOf(parent)?.[sel.name.value];
      if (!def) {
        // Introspection and unknown fields: unknown ones are refused by another rule; count the rest plainly.
        const meta = sel.name.value === '__schema' ? schema.getType('__Schema') : sel.name.value === '__type' ? schema.getType('__Type') : undefined;
        total += costOf(ctx, sel.selectionSet, meta as GraphQLCompositeType | undefined, seen);
        continue;
      }
      const below = costOf(ctx, sel.selectionSet, namedType(def.type), seen);
      total += isList(def.type) ? listSize(sel, def) * below : below;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const on = sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
      total += costOf(ctx, sel.selectionSet, on, seen);
    } else {
      const fragment: FragmentDefinitionNode | null | undefined = ctx.getFragment(sel.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      const on = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
      total += costOf(ctx, fragment.selectionSet, on, new Set(seen).add(fragment.name.value));
    }
  }
  return total;
}

export function maxCostRule(max: number) {
  return (ctx: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const root = node.operation === 'query' ? ctx.getSchema().getQueryType()
        : node.operation === 'mutation' ? ctx.getSchema().getMutationType() : ctx.getSchema().getSubscriptionType();
      const cost = costOf(ctx, node.selectionSet, root ?? undefined, new Set());
      if (cost > max) ctx.reportError(refusal('TOO_COMPLEX', `The query would resolve about ${cost} fields; at most ${max} are allowed`));
    },
  });
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
  const rules = [maxDepthRule(limits.MAX_QUERY_DEPTH), maxAliasesRule(limits.MAX_ALIASES), maxCostRule(limits.MAX_COMPLEXITY)];
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

function codeResult<T>(result: T): T {
  const r = result as { errors?: unknown[] };
  if (!r || typeof r !== 'object' || !Array.isArray(r.errors)) return result;
  return { ...r, errors: r.errors.map(withCode) } as T;
}

/** Every error that leaves the server has an `extensions.code`, including Yoga's and graphql's own. */
export const codedErrors: Plugin = {
  onResultProcess({ result, setResult }) {
    if (Array.isArray(result)) setResult(result.map(codeResult) as never);
    else if (result && typeof result === 'object' && !(Symbol.asyncIterator in result)) setResult(codeResult(result));
  },
};

export function limitPlugins(limits: Limits): Plugin[] {
  return [useTokenLimit(limits.MAX_TOKENS), useLimitRules(limits)];
}

