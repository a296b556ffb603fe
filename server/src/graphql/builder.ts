import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { GridTableRow, PackedGridCells } from '@unionhub/schema';
import type { RawJson } from './raw-json.js';
import type { Context } from '../context.js';
import { DomainError, said } from '../domain/errors.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  AuthScopes: { authenticated: boolean; administrator: boolean };
  Scalars: {
    DateTime: { Input: string; Output: string };
    GridCells: { Input: never; Output: PackedGridCells };
    GridTable: { Input: never; Output: GridTableRow[] | RawJson };
    /** A written-report section's editor document (graphql/section.ts); checked by domain/section-document.ts. */
    SectionDocument: { Input: unknown; Output: unknown };
  };
}>({
  // scope-auth outermost; federation after the plugins that wrap resolvers.
  plugins: [ScopeAuthPlugin, DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({ authenticated: ctx.access.authenticated, administrator: ctx.access.isAdministrator }),
    unauthorizedError: (_parent, ctx) =>
      ctx.access.authenticated
        ? new DomainError('FORBIDDEN', 'Your roles do not allow this', said('auth.forbidden'))
        : new DomainError('UNAUTHENTICATED', 'Sign in first', said('auth.signInFirst')),
    authorizeOnSubscribe: true,
  },
});

builder.scalarType('DateTime', {
  description: 'An instant as an ISO-8601 string in UTC.',
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new TypeError('DateTime must be an ISO-8601 string');
    return v;
  },
});

builder.scalarType('GridCells', {
  description:
    'A grid row\'s cells in one value, for large reads: `{ values: String, versions: String, statuses: String, proposals: String }`, ' +
    'each parallel to `Grid.columns`; `values` and `versions` have each number followed by a comma (nothing before it: no value), `statuses` has one letter per column (d draft, s submitted, a approved, space: no cell) and ' +
    '`proposals` one per column (1: a correction is pending). The same cells as `values`, `versions`, `statuses` and `proposals`.',
  serialize: (v) => v,
  parseValue: () => {
    throw new TypeError('GridCells is output only');
  },
});

builder.scalarType('GridTable', {
  description:
    'A grid\'s rows in one value, for large reads (the sheet\'s): a list of `{ unionCode, name, level, parentCode, hasChildren, validYears, ' +
    'childYears, readable, approvedOnly, cells }`, each as the `GridRow` field of that name (`cells` a GridCells). The same rows as `Grid.rows`.',
  serialize: (v) => v,
  parseValue: () => {
    throw new TypeError('GridTable is output only');
  },
});

// Everything needs a signed-in caller unless a field says otherwise (signIn).
builder.queryType({ authScopes: { authenticated: true } });
builder.mutationType({ authScopes: { authenticated: true } });
builder.subscriptionType({ authScopes: { authenticated: true } });

/** For federation's resolveReference, which Pothos's scopes do not wrap. */
export function requireCaller(ctx: Context): void {
  if (!ctx.access.authenticated) throw new DomainError('UNAUTHENTICATED', 'Sign in first', said('auth.signInFirst'));
}

export const ScenarioEnum = builder.enumType('Scenario', {
  values: {
    ACTUAL: { value: 'actual' as const },
    TARGET: { value: 'target' as const },
    FORECAST: {
      value: 'forecast' as const,
      description:
        'The stored forecasts 2018–2023 (runForecasts), read-only: read by `figure`, `figures` and `grid` (the reviewers\' overrides in force, ' +
        '`Figure.forecast` says the method and whether it is stale); any other argument naming it is refused (VALIDATION, key forecast.readOnly). ' +
        // Departments' subgraphs declare Scenario with ACTUAL and TARGET (departments/finance.ts); an enum used as input must have
        // the same values in every subgraph, so FORECAST stays out of the hub's supergraph and is read here at /graphql.
        'Not offered through the federation hub.',
      inaccessible: true,
    },
  },
});

export const FigureStatusEnum = builder.enumType('FigureStatus', {
  values: {
    DRAFT: { value: 'draft' as const },
    SUBMITTED: { value: 'submitted' as const },
    APPROVED: { value: 'approved' as const },
  },
});
