/**
 * zod at the GraphQL edge: what GraphQL's types cannot say (lengths, formats, list sizes, ranges)
 * is checked before a resolver does any work; a refusal is a VALIDATION error naming the field.
 * Domain rules (catalogue years, versions, values) stay in the domain, with their per-cell errors;
 * these bounds are wider than the domain's, so they only stop what no domain rule should see.
 * Each field's schema sits next to its resolver (server/src/schema/*.ts); the pieces are here.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { LIMITS } from '../config.js';

/** A union code as the seeds and imports write them (P06, P06-H01, TLD…). */
export const unionCode = z.string().max(40).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a unit code such as P06-H01');
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
  throw new DomainError('VALIDATION', issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '), { fields: field });
}
