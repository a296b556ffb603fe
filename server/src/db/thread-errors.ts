/**
 * A refusal or a failure crossing from a worker thread to the main thread: classes do not survive
 * the structured clone, so they go as data and are made again on arrival with their code, message
 * and details (and a refused batch with each cell's refusal).
 */
import type { ErrorCode } from '@unionhub/schema';
import { CellBatchError, DomainError } from '../domain/errors.js';

interface DomainErrorData {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export type ThreadError =
  | { kind: 'domain'; error: DomainErrorData }
  | { kind: 'cells'; errors: DomainErrorData[] }
  | { kind: 'other'; message: string; code?: string };

const domainData = (e: DomainError): DomainErrorData => ({ code: e.code, message: e.message, details: e.details });
const domainError = (d: DomainErrorData) => new DomainError(d.code as ErrorCode, d.message, d.details);

export function errorToThread(e: unknown): ThreadError {
  if (e instanceof DomainError) return { kind: 'domain', error: domainData(e) };
  if (e instanceof CellBatchError) return { kind: 'cells', errors: e.errors.map(domainData) };
  const code = (e as { code?: unknown })?.code;
  return { kind: 'other', message: e instanceof Error ? e.message : String(e), ...(typeof code === 'string' ? { code } : {}) };
}

export function errorFromThread(t: ThreadError): Error {
  if (t.kind === 'domain') return domainError(t.error);
  if (t.kind === 'cells') return new CellBatchError(t.errors.map(domainError) as never);
  return Object.assign(new Error(t.message), t.code ? { code: t.code } : {});
}
