import { TASKS, type TaskName } from '../../domain/tasks.js';
import { balancedCriterion } from './balanced.js';
import type { PruneCriterion } from './criterion.js';
import { layerwiseCriterion } from './layerwise.js';
import { randomCriterion } from './random.js';
import { ranpCriterion } from './ranp.js';
import { vanillaCriterion } from './vanilla.js';
import { weightSnipCriterion } from './weight-snip.js';

/**
 * Every pruning method by name, one line each. Pure code (no tfjs, no Node): the renderer carries
 * it through engine/domain/methods.ts, which derives the method table from it.
 */
export const CRITERIA = {
  'ranp-f': ranpCriterion('flops'),
  'ranp-m': ranpCriterion('memory'),
  'ranp-p': ranpCriterion('params'),
  balanced: balancedCriterion,
  vanilla: vanillaCriterion,
  random: randomCriterion,
  layerwise: layerwiseCriterion,
  'weight-snip': weightSnipCriterion,
} satisfies Record<string, PruneCriterion>;

type CriterionName = keyof typeof CRITERIA;

/** Other names users type for a method (the paper calls vanilla SNIP neuron scores "snip-neuron"). */
const METHOD_ALIASES: Record<string, CriterionName> = { 'snip-neuron': 'vanilla' };

/** The method a user-typed name means, or undefined. */
export function resolveMethodName(method: string): CriterionName | undefined {
  return Object.hasOwn(CRITERIA, method) ? (method as CriterionName) : METHOD_ALIASES[method];
}

/** The criterion of a user-typed method name; an unknown name is an error naming the known ones. */
export function criterionFor(method: string): PruneCriterion {
  const name = resolveMethodName(method);
  if (!name) {
    throw new Error(`unknown pruning method '${method}'; choose one of ${Object.keys(CRITERIA).join(', ')}`);
  }
  return CRITERIA[name];
}

/**
 * The λ a run of `method` on `task` prunes with: the given one, else the task's default
 * (engine/domain/tasks.ts, as the RANP criterion falls back to); undefined for a method without λ.
 */
export function lambdaUsed(method: string, task: TaskName, lambda: number | undefined): number | undefined {
  return criterionFor(method).usesLambda ? (lambda ?? TASKS[task].defaultLambda) : undefined;
}
