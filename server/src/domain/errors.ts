/**
 * Errors the domain raises, each with a stable code from schema/errors.ts. The GraphQL layer
 * turns them into GraphQL errors with `extensions.code`; nothing here knows about GraphQL.
 */
import type { ErrorCode, MessageKey, MessageParams } from '@unionhub/schema';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A batch refused as a whole: one error per bad cell, `index` being the cell's place in the batch. */
export class CellBatchError extends Error {
  constructor(readonly errors: (DomainError & { details: { index: number } })[]) {
    super(`${errors.length} cell(s) refused; nothing was written`);
    this.name = 'CellBatchError';
  }
}

/** What a refusal says as data: a key of schema/src/messages.ts and its params, spread into an error's details. */
export type Said = {
  key: MessageKey;
  params: MessageParams;
};

export const said = (key: MessageKey, params: MessageParams = {}): Said => ({ key, params });
