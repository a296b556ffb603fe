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
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;
