import {
  isPruneMethodName,
  PRUNE_METHOD_NAMES,
  PRUNE_METHODS,
  type PruneMethodInfo,
  type PruneMethodName,
} from '../../domain/methods.js';
import { balancedCriterion } from './balanced.js';
import type { PruneCriterion } from './criterion.js';
import { layerwiseCriterion } from './layerwise.js';
import { randomCriterion } from './random.js';
import { ranpCriterion } from './ranp.js';
import { vanillaCriterion } from './vanilla.js';
import { weightSnipCriterion } from './weight-snip.js';

/** Every pruning method of engine/domain/methods.ts by name, one line each. */
export const CRITERIA: Record<PruneMethodName, PruneCriterion> = {
  'ranp-f': ranpCriterion('flops'),
  'ranp-m': ranpCriterion('memory'),
  'ranp-p': ranpCriterion('params'),
  vanilla: vanillaCriterion,
  balanced: balancedCriterion,
  random: randomCriterion,
  layerwise: layerwiseCriterion,
  'weight-snip': weightSnipCriterion,
};

/** Other names users type for a method (the paper calls vanilla SNIP neuron scores "snip-neuron"). */
const METHOD_ALIASES: Record<string, PruneMethodName> = { 'snip-neuron': 'vanilla' };

/** The method a user-typed name means, or undefined. */
export function resolveMethodName(method: string): PruneMethodName | undefined {
  return isPruneMethodName(method) ? method : METHOD_ALIASES[method];
}

function knownMethodName(method: string): PruneMethodName {
  const name = resolveMethodName(method);
  if (!name) {
    throw new Error(`unknown pruning method '${method}'; choose one of ${PRUNE_METHOD_NAMES.join(', ')}`);
  }
  return name;
}

export function criterionFor(method: string): PruneCriterion {
  return CRITERIA[knownMethodName(method)];
}

/** The domain facts of a user-typed method name (whether it reads scores, whether λ applies). */
export function methodInfo(method: string): PruneMethodInfo {
  return PRUNE_METHODS[knownMethodName(method)];
}
