/**
 * Facts of the product's domain shared by engine and renderer (the renderer reaches them through
 * engine/protocol). Plain data, except the method table, which methods.ts derives from the criteria
 * registry (pure code: nothing it imports needs tfjs or Node).
 */
export * from './methods.js';
export * from './tasks.js';
export * from './limits.js';
export * from './statuses.js';
export * from './words.js';
export * from './durations.js';
export * from './memory.js';
export * from './viewer-fit.js';
export * from './resources.js';
export * from './metric-names.js';
