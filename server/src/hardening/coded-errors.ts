/**
 * Every error that leaves the server carries a code of schema/src/errors.ts and nothing private:
 * our refusals are made coded (`refusal`), Yoga's, graphql's and the gateway's are mapped.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERROR_CODES, type ErrorCode } from '@unionhub/schema';
import { isAsyncIterable, wrapStream } from './streams.js';

export function refusal(code: ErrorCode, message: string, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
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

/**
 * A plugin that passes every error of every result through `map` — batched results too, and with
 * `streams` each event of a subscription.
 */
export function mapErrors(map: (error: unknown) => unknown, streams = false): Plugin {
  const mapResult = <T>(result: T): T => {
    const r = result as { errors?: unknown[] };
    if (!r || typeof r !== 'object' || !Array.isArray(r.errors)) return result;
    return { ...r, errors: r.errors.map(map) } as T;
  };
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(mapResult) as never);
      else if (isAsyncIterable(result)) {
        if (streams) setResult(wrapStream(result, mapResult) as never);
      } else if (result && typeof result === 'object') setResult(mapResult(result));
    },
  };
}

/** Every error that leaves the server has an `extensions.code`, including Yoga's and graphql's own. */
export const codedErrors: Plugin = mapErrors(withCode);

/** One result with every error coded as `codedErrors` does (for answers that skip Yoga's result processing). */
export function codeResult<T>(result: T): T {
  const r = result as { errors?: unknown[] };
  if (!r || typeof r !== 'object' || !Array.isArray(r.errors)) return result;
  return { ...r, errors: r.errors.map(withCode) } as T;
}
