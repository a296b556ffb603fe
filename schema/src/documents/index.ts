/**
 * Every GraphQL document the client sends, typed from `schema.graphql` and shared with the tests and
 * the benchmarks (so a test exercises exactly what the page sends). One file per screen or domain type.
 */
export * from './sheet.js';
export * from './panel.js';
export * from './progress.js';
export * from './files.js';
export * from './notifications.js';
export * from './round.js';
export * from './sections.js';
export * from './commendations.js';
