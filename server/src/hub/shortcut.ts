/**
 * A query that only our subgraph can answer goes to it whole, as the client wrote it, and its answer
 * is the hub's: the gateway would otherwise split it into a plan, delegate the same selection to
 * our subgraph and execute the whole query a second time over the supergraph to copy the answer
 * (completing every list element again), which cost more than our subgraph's own work (issue 17).
 *
 * "Only our subgraph": every field selected — in every operation and fragment of the document — is
 * one the supergraph's `@join__` directives say our subgraph resolves by itself (not `external`,
 * not overridden by another subgraph, no `requires`, the same type there), or `__typename`; no
 * introspection (that is the supergraph's), no @defer/@stream. Queries only: a mutation or a
 * subscription takes the gateway's path. Everything else the hub does to a request is unchanged:
 * its door (rate limit, body size), CSRF prevention, the limits at validation (with our bounds),
 * the result cap and the errors' coding and masking on the answer. The call itself is the one the
 * gateway makes (the same headers: identity, request id, the client's address).
 *
 * A POSTed query is judged earlier still, at the hub's door (`ownQueryAtDoor`): our /graphql serves
 * it as it serves its own clients (the same limits, CSRF prevention, coded errors), and the gateway
 * never sees it. `useOwnQueries` is for what the door does not read: a GET, a batch.
 */
import {
  getOperationAST, GraphQLError, Kind, parse, print,
  type ConstDirectiveNode, type DocumentNode, type ExecutionResult, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

const argOf = (d: ConstDirectiveNode, name: string) => d.arguments?.find((a) => a.name.value === name)?.value;
const stringArg = (d: ConstDirectiveNode, name: string) => {
  const v = argOf(d, name);
  return v && (v.kind === Kind.STRING || v.kind === Kind.ENUM) ? v.value : undefined;
};
const trueArg = (d: ConstDirectiveNode, name: string) => {
  const v = argOf(d, name);
  return v?.kind === Kind.BOOLEAN && v.value;
};

/** "Type.field" of every field the supergraph says `graph` resolves on its own. */
export function fieldsResolvedBy(supergraphSdl: string, graph: string): Set<string> {
  const doc = parse(supergraphSdl);
  let id: string | undefined;
  for (const def of doc.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    id = def.values?.find((v) => v.directives?.some((d) => d.name.value === 'join__graph' && stringArg(d, 'name') === graph))?.name.value;
  }
  const fields = new Set<string>();
  if (!id) return fields;
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const types = (def.directives ?? []).filter((d) => d.name.value === 'join__type' && stringArg(d, 'graph') === id);
    if (types.length === 0 || types.some((d) => trueArg(d, 'isInterfaceObject'))) continue;
    for (const field of def.fields ?? []) {
      const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
      const mine = joins.filter((d) => stringArg(d, 'graph') === id);
      const type = print(field.type);
      const resolved = joins.length === 0 || (mine.length > 0 && mine.every((d) =>
        !trueArg(d, 'external') && !trueArg(d, 'usedOverridden') && !argOf(d, 'requires') && (stringArg(d, 'type') ?? type) === type));
      if (resolved && !joins.some((d) => stringArg(d, 'override') === graph)) fields.add(`${def.name.value}.${field.name.value}`);
    }
  }
  return fields;
}

/** The named type of a field, read by shape (the gateway's schema may come from another copy of graphql). */
function fieldType(schema: GraphQLSchema, parent: string, field: string): string | undefined {
  let type = (schema.getType(parent) as { getFields?: () => Record<string, { type: unknown }> } | undefined)?.getFields?.()[field]?.type as { ofType?: unknown; name?: string } | undefined;
  while (type?.ofType) type = type.ofType as typeof type;
  return type?.name;
}

/** Is every field the operation selects (through its fragments too) one of `fields`? Queries only. */
export function answeredBy(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, fields: Set<string>): boolean {
  const operation = getOperationAST(document, operationName);
  const root = schema.getQueryType()?.name;
  if (operation?.operation !== 'query' || !root) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const walked = new Set<string>();
  const walk = (type: string, set: SelectionSetNode): boolean => set.selections.every((s) => {
    if (s.directives?.some((d) => d.name.value === 'defer' || d.name.value === 'stream')) return false;
    if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.typeCondition?.name.value ?? type, s.selectionSet);
    if (s.kind === Kind.FRAGMENT_SPREAD) {
      const f = fragments.get(s.name.value);
      if (!f) return false;
      if (walked.has(f.name.value)) return true;
      walked.add(f.name.value);
      return walk(f.typeCondition.name.value, f.selectionSet);
    }
    if (s.name.value === '__typename') return true;
    if (!fields.has(`${type}.${s.name.value}`)) return false;
    if (!s.selectionSet) return true;
    const inner = fieldType(schema, type, s.name.value);
    return inner !== undefined && walk(inner, s.selectionSet);
  });
  return walk(root, operation.selectionSet);
}

/** Our subgraph's answer, as JSON. */
export interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/**
 * `call(request, body)`: our subgraph's answer (JSON) to a GraphQL request body, called with the
 * headers the gateway sends it for the client's `request`.
 */
export function useOwnQueries(fields: Set<string>, call: (request: Request, body: string) => Promise<Answer>): GatewayPlugin {
  // Yoga hands the same document object for the same query text (its parse cache).
  const verdicts = new WeakMap<DocumentNode, Map<string, boolean>>();
  const verdict = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined) => {
    const byName = verdicts.get(document) ?? verdicts.set(document, new Map()).get(document)!;
    const key = operationName ?? '';
    if (!byName.has(key)) byName.set(key, answeredBy(schema, document, operationName, fields));
    return byName.get(key)!;
  };
  return {
    onExecute({ args, setExecuteFn }) {
      const ctx = args.contextValue as { request?: Request; params?: { query?: unknown } };
      if (!ctx.request || !verdict(args.schema, args.document, args.operationName)) return;
      const request = ctx.request;
      const query = typeof ctx.params?.query === 'string' ? ctx.params.query : print(args.document);
      setExecuteFn(async (a) => {
        const answer = await call(request, JSON.stringify({ query, variables: a.variableValues ?? undefined, operationName: a.operationName ?? undefined }));
        return {
          ...(answer.data !== undefined ? { data: answer.data } : {}),
          ...(answer.errors ? { errors: answer.errors.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })) } : {}),
        } as ExecutionResult;
      });
    },
  };
}

/** Bodies larger than this go to the gateway unread here (a sheet's largest read is well below it). */
const DOOR_BODY_MAX = 256 * 1024;
/** Verdicts kept by query text; past it the cache starts again (a client sending endless new texts costs one parse each). */
const DOOR_VERDICTS_MAX = 1_000;
/** Only texts up to this long are kept (so the cache holds at most ~16 MB); a longer one is judged each time, its parse bounded by MAX_TOKENS. */
const DOOR_KEPT_TEXT_MAX = 16 * 1024;

/**
 * The same verdict at the hub's door, before the gateway: does this POST body hold one query wholly
 * ours? Then our /graphql serves the request itself, as for a client of /graphql — the gateway would
 * only parse and validate it again over the supergraph, call us in this process and copy our answer.
 * `schema` is our subgraph's (its types are the supergraph's for every field in `fields`).
 * Anything it cannot read (a batch, a GET, bad JSON, a query over `maxTokens`) is the gateway's.
 */
export function ownQueryAtDoor(fields: Set<string>, schema: GraphQLSchema, maxTokens: number): (body: Buffer | undefined) => boolean {
  const verdicts = new Map<string, boolean>();
  const verdictOf = (query: string, operationName: string | undefined) => {
    const key = `${operationName ?? ''}\n${query}`;
    let v = verdicts.get(key);
    if (v === undefined) {
      try {
        v = answeredBy(schema, parse(query, { maxTokens }), operationName, fields);
      } catch {
        v = false;
      }
      if (key.length > DOOR_KEPT_TEXT_MAX) return v;
      if (verdicts.size >= DOOR_VERDICTS_MAX) verdicts.clear();
      verdicts.set(key, v);
    }
    return v;
  };
  return (body) => {
    if (!body || body.length > DOOR_BODY_MAX) return false;
    let params: unknown;
    try {
      params = JSON.parse(body.toString('utf8'));
    } catch {
      return false;
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return false;
    const { query, operationName } = params as { query?: unknown; operationName?: unknown };
    if (typeof query !== 'string' || (operationName !== undefined && operationName !== null && typeof operationName !== 'string')) return false;
    return verdictOf(query, operationName ?? undefined);
  };
}
