/**
 * Typed GraphQL documents (gql.tada) from the printed `schema.graphql`: a document that no longer
 * matches the schema fails the type check. `pnpm print-schema` rewrites `graphql-env.d.ts`.
 * Fragments are not masked: a screen reads the fields its fragments spread directly.
 */
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.js';
import type { GridTableRow, PackedGridCells } from './grid-cells.js';

export const graphql = initGraphQLTada<{ introspection: introspection; scalars: { DateTime: string; GridCells: PackedGridCells; GridTable: GridTableRow[] }; disableMasking: true }>();
export type { ResultOf, VariablesOf, TadaDocumentNode } from 'gql.tada';
