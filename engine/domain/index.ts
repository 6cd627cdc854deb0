/**
 * Facts of the product's domain shared by engine and renderer (the renderer reaches them through
 * engine/protocol). Plain data only: nothing here imports another module.
 */
export * from './methods.js';
export * from './tasks.js';
export * from './limits.js';
export * from './statuses.js';
