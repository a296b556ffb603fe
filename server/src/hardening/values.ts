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

export interface ValueProblem {
  /** The argument or input field, as the caller named it (`cell.year`, `displayName`). */
  field: string;
  message: string;
}

const badYear = (v: unknown) => v !== null && v !== undefined && !(Number.isInteger(v) && (v as number) >= MIN_YEAR && (v as number) <= MAX_YEAR);

/** Named as zod names what it refuses (`years.1`), so both kinds of refusal read alike. */
function yearProblem(value: unknown, field: string): ValueProblem | null {
  const at = Array.isArray(value) ? value.findIndex(badYear) : badYear(value) ? -2 : -1;
  if (at === -1) return null;
  const where = at >= 0 ? `${field}.${at}` : field;
  return { field: where, message: `${where}: a year lies in ${MIN_YEAR}–${MAX_YEAR}` };
}

/** A variable's JSON, deep: NUL anywhere, and the years under keys named year/years. */
function inVariable(value: unknown, field: string, key: string): ValueProblem | null {
  if (typeof value === 'string') return value.includes('\u0000') ? { field, message: `${field}: text may not contain the NUL character` } : null;
  if (YEAR_KEYS.has(key)) {
    const problem = yearProblem(value, field);
    if (problem) return problem;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = inVariable(value[i], `${field}.${i}`, key);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = inVariable(v, `${field}.${k}`, k);
      if (found) return found;
    }
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

/** What the document itself says, kept per parsed document (Yoga's cache hands the same one to each request of a text). */
interface DocumentChecks {
  /** In document order: a NUL in a string literal, or a year argument (its value may name variables). */
  checks: ({ nul: true } | { nul: false; name: string; value: ValueNode })[];
  /** Which argument (or input field) each variable stands for, so a refusal names what the caller sees in the schema. */
  usedAs: Map<string, string>;
}
const checksOf = new WeakMap<DocumentNode, DocumentChecks>();

function documentChecks(document: DocumentNode): DocumentChecks {
  let known = checksOf.get(document);
  if (known) return known;
  known = { checks: [], usedAs: new Map() };
  const { checks, usedAs } = known;
  const check = (name: string, value: ValueNode) => {
    if (value.kind === Kind.VARIABLE && !usedAs.has(value.name.value)) usedAs.set(value.name.value, name);
    if (YEAR_KEYS.has(name)) checks.push({ nul: false, name, value });
  };
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) checks.push({ nul: true });
    },
    Argument: (node) => check(node.name.value, node.value),
    ObjectField: (node) => check(node.name.value, node.value),
  });
  checksOf.set(document, known);
  return known;
}

/** The first problem of the request's arguments, naming where it is; null when none. */
export function valueRefusal(document: DocumentNode, variables: Record<string, unknown>): ValueProblem | null {
  const { checks, usedAs } = documentChecks(document);
  for (const c of checks) {
    if (c.nul) return { field: 'query', message: 'A string of the query contains the NUL character' };
    const found = yearProblem(literal(c.value, variables), c.name);
    if (found) return found;
  }
  for (const [name, value] of Object.entries(variables)) {
    const problem = inVariable(value, usedAs.get(name) ?? `$${name}`, usedAs.get(name) ?? name);
    if (problem) return problem;
  }
  return null;
}
