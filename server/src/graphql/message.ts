/**
 * A message as data (schema/src/messages.ts): a key and its params, beside the English text, so a
 * client can say it in its page's language. Params are a list: a number stays a number (formatted by
 * the client), anything else is text.
 */
import type { MessageParams } from '@unionhub/schema';
import { builder } from './builder.js';

interface Param {
  name: string;
  value: MessageParams[string];
}

export const MessageParamRef = builder.objectRef<Param>('MessageParam').implement({
  description: 'One named value a message says (a cell, a value, a limit…).',
  fields: (t) => ({
    name: t.exposeString('name'),
    text: t.string({ nullable: true, description: 'The value as text, unless it is a number.', resolve: (p) => (p.value === null || typeof p.value === 'number' ? null : String(p.value)) }),
    number: t.float({ nullable: true, description: 'The value when it is a number.', resolve: (p) => (typeof p.value === 'number' ? p.value : null) }),
  }),
});

export const paramList = (params: MessageParams): Param[] => Object.entries(params).map(([name, value]) => ({ name, value }));
