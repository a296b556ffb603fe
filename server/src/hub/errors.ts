/**
 * The hub's errors, coded and masked like the subgraph's: a subgraph's own refusal with one of our
 * codes passes as it is; anything else a subgraph or the gateway produced (a department's foreign
 * code, an HTTP failure, a non-GraphQL answer, a timeout) is a fault: INTERNAL with a plain message,
 * logged here — its text may carry upstream addresses or bodies. Never `serviceName`, the upstream
 * request or response. `codedErrors` (after this) codes what graphql and Yoga refused.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERROR_CODES } from '@unionhub/schema';
import { mapErrors } from '../hardening/coded-errors.js';

/** Codes the gateway runtime and its HTTP transport give upstream failures. */
const GATEWAY_FAULTS = new Set([
  'DOWNSTREAM_SERVICE_ERROR', 'SUBREQUEST_HTTP_ERROR', 'RESPONSE_VALIDATION_FAILED', 'INTERNAL_SERVER_ERROR',
  'GATEWAY_TIMEOUT', 'TIMEOUT_ERROR', 'ETIMEDOUT', 'SCHEMA_RELOAD', 'SHUTTING_DOWN',
]);
/** Extensions the gateway adds that describe the upstream call. */
const UPSTREAM_DETAILS = ['serviceName', 'request', 'response'];

type ErrorLike = GraphQLError & { extensions?: Record<string, unknown> };

function hubError(error: unknown): unknown {
  const e = error as ErrorLike;
  if (!e || typeof e !== 'object' || typeof e.message !== 'string') return error;
  const extensions = { ...(e.extensions ?? {}) };
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  const ours = code !== undefined && code in ERROR_CODES;
  // A refusal graphql or Yoga made at the hub has no path and is coded by `codedErrors`.
  const fault = !ours && ((code !== undefined && GATEWAY_FAULTS.has(code)) || (e.path !== undefined && e.path.length > 0));
  if (!fault && !UPSTREAM_DETAILS.some((k) => k in extensions)) return error;
  if (fault) console.error('[hub] upstream fault:', code ?? '(no code)', e.message, extensions.serviceName ?? '');
  for (const k of UPSTREAM_DETAILS) delete extensions[k];
  return new GraphQLError(fault ? 'A service behind the hub failed; try again later' : e.message, {
    nodes: e.nodes, source: e.source, positions: e.positions, path: e.path,
    extensions: fault ? { code: ERROR_CODES.INTERNAL } : extensions,
  });
}

/** Before `codedErrors` in the hub's plugins; subscription events too. */
export const hubErrors: Plugin = mapErrors(hubError, true);
