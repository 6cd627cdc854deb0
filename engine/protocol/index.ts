/** The protocol between the renderer and the engine: the only engine module the renderer imports. */
export * from '../domain/index.js';
export * from './common.js';
export * from './errors.js';
export * from './datasets.js';
export * from './nets.js';
export * from './prune.js';
export * from './jobs.js';
export * from './runs.js';
export * from './settings.js';
export * from './status.js';
export * from './volume.js';
export * from './methods.js';
export * from './events.js';
export * from './envelope.js';
export * from './client.js';
export * from './bridge.js';
export * from './security.js';
