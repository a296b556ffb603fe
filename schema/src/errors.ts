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
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;
