import type { FuzzTarget } from '../target.js';

/** Every fuzz target, one line each. */
export const fuzzTargets: FuzzTarget[] = [];
