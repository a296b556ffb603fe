/**
 * Values no GraphQL argument may carry, whatever the field: checked once for the whole request
 * (variables deep, and the document's literals) instead of in every resolver.
 * - NUL in text: PostgreSQL cannot hold it (its driver fails the query).
 * - A year outside 1900–2100: years are small integers in the database (PostgreSQL's smallint
 *   fails the query past 32767), and no request has a reason to name one.
 */
import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';

const YEAR_KEYS = new Set(['year', 'years']);
const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

const badYear = (v: unknown) => v !== null && v !== undefined && !(Number.isInteger(v) && (v as number) >= MIN_YEAR && (v as number) <= MAX_YEAR);

function yearProblem(value: unknown, path: string): string | null {
  const list = Array.isArray(value) ? value : [value];
  return list.some(badYear) ? `${path}: a year lies in ${MIN_YEAR}–${MAX_YEAR}` : null;
}

/** A variable's JSON, deep: NUL anywhere, and the years under keys named year/years. */
function inVariable(value: unknown, path: string, key: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? `${path}: text may not contain the NUL character` : null;
  if (YEAR_KEYS.has(key)) {
    const problem = yearProblem(value, path);
    if (problem) return problem;
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v) => [key, v]) : value && typeof value === 'object' ? Object.entries(value) : [];
  for (const [k, v] of entries) {
    const found = inVariable(v, Array.isArray(value) ? `${path}[]` : `${path}.${k}`, k);
    if (found) return found;
  }
  return null;
}

/** A literal argument's value, with variables it names read from the request. */
function literal(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.INT: return Number(node.value);
    case Kind.FLOAT: return Number(node.value);
    case Kind.LIST: return node.values.map((v) => literal(v, variables));
    case Kind.VARIABLE: return variables[node.name.value];
    case Kind.NULL: return null;
    default: return undefined;
  }
}

/** The first problem of the request's arguments, as a message naming where it is; null when none. */
export function valueRefusal(document: DocumentNode, variables: Record<string, unknown>): string | null {
  const fromVariables = inVariable(variables, '$', '');
  if (fromVariables) return fromVariables;
  let found: string | null = null;
  visit(document, {
    StringValue(node) {
      if (!found && node.value.includes('\u0000')) found = 'A string of the query contains the NUL character';
    },
    Argument(node) {
      if (!found && YEAR_KEYS.has(node.name.value)) found = yearProblem(literal(node.value, variables), node.name.value);
    },
    ObjectField(node) {
      if (!found && YEAR_KEYS.has(node.name.value)) found = yearProblem(literal(node.value, variables), node.name.value);
    },
  });
  return found;
}
