/**
 * zod at the GraphQL edge: what GraphQL's types cannot say (lengths, formats, list sizes, ranges)
 * is checked before a resolver does any work; a refusal is a VALIDATION error naming the field.
 * Domain rules (catalogue years, versions, values) stay in the domain, with their per-cell errors;
 * these bounds are wider than the domain's, so they only stop what no domain rule should see.
 * Each field's schema sits next to its resolver (server/src/graphql/*.ts); the pieces are here.
 */
import { z } from 'zod';
import { FIRST_YEAR, INDICATORS, LAST_YEAR, YEARS } from '@unionhub/schema';
import { DomainError, said, type Said } from '../domain/errors.js';
import { LIMITS } from '../config.js';

/** A union code as the seeds and imports write them (P06, P06-H01, TLD…). */
export const unionCode = z.string().max(40).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a unit code such as P06-H01');
/** The subtree a read names (`root` of the round's fields and of its chase-list download): one check, one refusal. */
export const RootArgs = z.object({ root: unionCode });
/** An indicator code of the catalogue's shape (members, members.women…). */
export const indicatorCode = z.string().max(64).regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'must be an indicator code such as members.women');
/** Any year a request may name; the catalogue's own span is the domain's check. */
export const year = z.number().int().min(1900).max(2100);
export const years = z.array(year).min(1).max(50);
/** Free text a person typed (reasons, comments, explanations). */
export const text = (max = 4_000) => z.string().max(max);
export const optionalText = (max = 4_000) => text(max).nullish();
export const cellBatch = <T extends z.ZodType>(cell: T) => z.array(cell).max(LIMITS.MAX_CELLS_PER_WRITE, `at most ${LIMITS.MAX_CELLS_PER_WRITE} cells per request`);
export const cellKey = z.object({ unionCode, indicatorCode, year: z.number().int(), scenario: z.string() });
export const limit = (max: number) => z.number().int().min(1).max(max);
/** A list of indicator codes: at most one per indicator of the catalogue. */
export const indicatorCodes = z.array(indicatorCode).max(INDICATORS.length, `at most ${INDICATORS.length} indicators`);
/** An import's preview token (32 hex digits; any other short word is simply not the plan's: CONFLICT). */
export const importToken = z.string().max(64).regex(/^[A-Za-z0-9]*$/, 'must be the token of a preview');

/**
 * Years as a URL writes them ("2014-2017", "2014,2016"), bounded before anything is expanded: the
 * raw length, the number of parts, and both ends of each range compared as numbers with the
 * catalogue's span; only then is a range expanded (to at most the catalogue's years).
 */
export const yearRanges = z
  .string()
  .max(120, 'at most 120 characters')
  .transform((raw, ctx) => {
    const fail = (message: string) => (ctx.addIssue({ code: 'custom', message }), z.NEVER);
    const parts = raw.split(',', YEARS.length + 1);
    if (parts.length > YEARS.length) return fail(`at most ${YEARS.length} years or ranges`);
    const out = new Set<number>();
    for (const part of parts) {
      const m = /^(\d{4})(?:-(\d{4}))?$/.exec(part);
      if (!m) return fail('a list like 2014-2017 or 2014,2016');
      const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
      if (from < FIRST_YEAR || to > LAST_YEAR || from > to) return fail(`${part}: years must lie in ${FIRST_YEAR}–${LAST_YEAR}, a range's first year not after its last`);
      for (let y = from; y <= to; y++) out.add(y);
    }
    return [...out].sort((a, b) => a - b);
  });
export const offset = z.number().int().min(0).max(10_000_000);

/**
 * Check a resolver's arguments (the resolver goes on with its own typed args: a schema need only
 * name the fields it bounds); the first problems become one VALIDATION error with the fields' paths.
 */
export function checkArgs(schema: z.ZodType, args: unknown): void {
  const parsed = schema.safeParse(args);
  if (parsed.success) return;
  const issues = parsed.error.issues.slice(0, 5);
  const field = issues.map((i) => i.path.join('.')).filter(Boolean);
  throw new DomainError('VALIDATION', issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '), { fields: field, ...issueSaid(issues[0]!) });
}

/** The first problem as a message key: too long, too short, out of range, or the checker's own words. */
function issueSaid(issue: { code: string; path: PropertyKey[]; message: string; origin?: unknown; maximum?: unknown; minimum?: unknown }): Said {
  const field = issue.path.map(String).join('.') || 'arguments';
  const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
  if (issue.origin === 'string' && issue.code === 'too_big') return said('input.tooLong', { field, limit });
  if (issue.origin === 'string' && issue.code === 'too_small') return said(limit <= 1 ? 'input.required' : 'input.tooShort', { field, limit });
  if ((issue.origin === 'number' || issue.origin === 'int') && issue.code === 'too_big') return said('input.tooHigh', { field, limit });
  if ((issue.origin === 'number' || issue.origin === 'int') && issue.code === 'too_small') return said('input.tooLow', { field, limit });
  if (issue.origin === 'array' && issue.code === 'too_big') return said('input.tooMany', { field, limit });
  return said('input.invalid', { field, detail: issue.message });
}
