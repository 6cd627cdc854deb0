import type { PruneMethodInfo } from '../prune/criteria/criterion.js';
import { CRITERIA } from '../prune/criteria/registry.js';

export { resolveMethodName } from '../prune/criteria/registry.js';

/**
 * Every pruning method the product offers, with what the UI calls it, whether the RANP resource
 * weight λ applies, whether it reads weight scores and whether it removes neurons or weights. The
 * table is derived from the criteria registry (engine/prune/criteria/registry.ts: one file and
 * one line per method), so the protocol's method enum, the renderer's labels and the CLI's help
 * follow a new method without another edit.
 */
export type { PruneMethodInfo };

export type PruneMethodName = keyof typeof CRITERIA;

export const PRUNE_METHOD_NAMES = Object.keys(CRITERIA) as [PruneMethodName, ...PruneMethodName[]];

export const PRUNE_METHODS = Object.fromEntries(
  PRUNE_METHOD_NAMES.map((name) => {
    const { label, usesLambda, needsScores, level } = CRITERIA[name];
    return [name, { label, usesLambda, needsScores, level }];
  }),
) as Record<PruneMethodName, PruneMethodInfo>;

export const DEFAULT_PRUNE_METHOD: PruneMethodName = 'ranp-f';

export function isPruneMethodName(name: string): name is PruneMethodName {
  return Object.hasOwn(PRUNE_METHODS, name);
}
