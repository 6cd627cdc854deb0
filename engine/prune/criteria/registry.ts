import { balancedCriterion } from './balanced.js';
import type { PruneCriterion } from './criterion.js';
import { layerwiseCriterion } from './layerwise.js';
import { randomCriterion } from './random.js';
import { ranpCriterion } from './ranp.js';
import { vanillaCriterion } from './vanilla.js';
import { weightSnipCriterion } from './weight-snip.js';

/** Every pruning method by name, one line each. */
export const CRITERIA: Record<string, PruneCriterion> = {
  'ranp-f': ranpCriterion('flops'),
  'ranp-m': ranpCriterion('memory'),
  'ranp-p': ranpCriterion('params'),
  vanilla: vanillaCriterion,
  // The protocol's name for vanilla SNIP neuron scores.
  'snip-neuron': vanillaCriterion,
  balanced: balancedCriterion,
  random: randomCriterion,
  layerwise: layerwiseCriterion,
  'weight-snip': weightSnipCriterion,
};

export function criterionFor(method: string): PruneCriterion {
  const criterion = CRITERIA[method];
  if (!criterion) {
    throw new Error(`unknown pruning method '${method}'; choose one of ${Object.keys(CRITERIA).join(', ')}`);
  }
  return criterion;
}
