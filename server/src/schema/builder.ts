import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { Context } from '../context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string };
  };
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

builder.scalarType('DateTime', {
  description: 'An instant as an ISO-8601 string in UTC.',
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new TypeError('DateTime must be an ISO-8601 string');
    return v;
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const ScenarioEnum = builder.enumType('Scenario', {
  values: { ACTUAL: { value: 'actual' as const }, TARGET: { value: 'target' as const } },
});

export const FigureStatusEnum = builder.enumType('FigureStatus', {
  values: {
    DRAFT: { value: 'draft' as const },
    SUBMITTED: { value: 'submitted' as const },
    APPROVED: { value: 'approved' as const },
  },
});
