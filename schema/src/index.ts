export * from './periods.js';
export * from './unions.js';
export * from './indicators.js';
export * from './rules.js';
export * from './errors.js';
export * from './numbers.js';
export * from './text.js';
export * from './roles.js';
