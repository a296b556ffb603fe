/** Stable codes carried in `extensions.code` of every GraphQL error UnionHub raises. */
export const ERROR_CODES = {
  VALIDATION: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  LOCKED: 'LOCKED',
  FORBIDDEN: 'FORBIDDEN',
  FORBIDDEN_TRANSITION: 'FORBIDDEN_TRANSITION',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  RATE_LIMITED: 'RATE_LIMITED',
  /** Not a GraphQL request at all: unreadable JSON, a syntax error, unknown fields, wrong variable types. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** Request limits (server/src/hardening/limits.ts), each configurable in server/src/config.ts. */
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_COMPLEX: 'TOO_COMPLEX',
  /** An answer that grew past MAX_RESULT_ITEMS objects while it ran: stopped, and refused whole (no partial data). */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  INTERNAL: 'INTERNAL',
  /** An upload that is not an .xlsx in the export layout (broken, foreign or another kind of file). */
  BAD_FILE: 'BAD_FILE',
  /** A request body or an upload over its size limit (HTTP 413; MAX_BODY_BYTES, MAX_UPLOAD_BYTES). */
  TOO_LARGE: 'TOO_LARGE',
  /** A unit's report submitted while something still blocks it (blank expected cells, open discrepancies): `extensions.blockers` lists each. */
  INCOMPLETE: 'INCOMPLETE',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Why a cell of a transition (submit, approve, send back, re-open) did not move, when what can move
 * moves (a unit-year, a subtree, or a list of cells with `lenient`): `TransitionPayload.reasons` and
 * `.skipped` carry the code, a strict list's refusal carries it as `extensions.reason`. The client
 * words each in the page's language from the code and its parameters (the cell's status).
 */
export const SKIP_REASONS = {
  /** The cell does not exist. */
  NO_SUCH_CELL: 'NO_SUCH_CELL',
  /** The caller's roles do not allow this transition on the cell's union. */
  NOT_ALLOWED: 'NOT_ALLOWED',
  /** Already approved, with no proposal to decide. */
  ALREADY_APPROVED: 'ALREADY_APPROVED',
  /** A draft without a value: nothing to submit or approve. */
  NO_VALUE: 'NO_VALUE',
  /** The transition does not apply to the cell's status (params: status, withProposal). */
  WRONG_STATUS: 'WRONG_STATUS',
  /** An unresolved error-severity discrepancy is about the cell ("approve all that pass"). */
  BLOCKED_BY_DISCREPANCY: 'BLOCKED_BY_DISCREPANCY',
  /** Four-eyes: the caller wrote the value or proposed the correction. */
  WRITTEN_BY_YOU: 'WRITTEN_BY_YOU',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;
