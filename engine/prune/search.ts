import type { ResourceCounts } from '../resources/count.js';
import type { Pruner } from './pruner.js';
import type { ResourceBudget, ResourceKind } from './types.js';

/** Bisection tolerance on sparsity (docs/method.md step 9). */
export const SPARSITY_TOLERANCE = 1e-4;

function emptiesNoLayer(pruner: Pruner, sparsity: number): boolean {
  return pruner.evaluate(sparsity).cleaned.emptiedLayers.length === 0;
}

/**
 * The largest sparsity (within `tolerance`) at which no prunable layer is emptied, by bisection
 * on cached scores: no data is needed. Kept sets shrink as sparsity grows, so the test is monotone.
 */
export function searchMaxSparsity(pruner: Pruner, tolerance = SPARSITY_TOLERANCE): number {
  if (!emptiesNoLayer(pruner, 0)) {
    const layers = pruner.evaluate(0).cleaned.emptiedLayers;
    throw new Error(`${pruner.criterion.name}: even sparsity 0 empties layer(s) ${layers.join(', ')}`);
  }
  if (emptiesNoLayer(pruner, 1)) return 1;
  let lo = 0;
  let hi = 1;
  while (hi - lo > tolerance) {
    const mid = (lo + hi) / 2;
    if (emptiesNoLayer(pruner, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Resource amount in the budget's unit: FLOPs, params, or bytes of float32 feature maps. */
export function resourceAmount(totals: ResourceCounts, resource: ResourceKind): number {
  return resource === 'flops'
    ? totals.flops
    : resource === 'params'
      ? totals.params
      : totals.memoryElements * 4;
}

export interface BudgetSearch {
  budget: ResourceBudget;
  /** Target in absolute units (FLOPs, params, bytes). */
  target: number;
  /** Full net's amount in the same unit. */
  full: number;
  /** The pruned net's amount at the chosen sparsity. */
  achieved: number;
  sparsity: number;
  maxSparsity: number;
}

/**
 * The smallest sparsity (within SPARSITY_TOLERANCE), i.e. the largest net, whose cleaned net meets the
 * budget, by bisection on counted resources of the pruned description. `maxSparsity` gives the
 * pruner's searchMaxSparsity: a caller holding it cached (engine/host/score-cache.ts) passes its own.
 */
export function sparsityForBudget(
  pruner: Pruner,
  budget: ResourceBudget,
  maxSparsityOf: () => number = () => searchMaxSparsity(pruner),
): BudgetSearch {
  if (pruner.criterion.level === 'weight') {
    throw new Error(
      `${pruner.criterion.name} masks weights and leaves dense resources unchanged: a resource budget needs a neuron method`,
    );
  }
  if (!(budget.value > 0) || (budget.relative && budget.value > 1)) {
    throw new Error(
      `budget ${budget.resource}: ${budget.value} is not a valid ${budget.relative ? 'fraction in (0, 1]' : 'positive amount'}`,
    );
  }
  const full = resourceAmount(pruner.fullResources().total, budget.resource);
  const target = budget.relative ? budget.value * full : budget.value;
  const amountAt = (sparsity: number): number =>
    resourceAmount(pruner.resourcesOf(pruner.describe(pruner.evaluate(sparsity))).total, budget.resource);
  const maxSparsity = maxSparsityOf();
  const result = (sparsity: number, achieved: number): BudgetSearch => ({
    budget,
    target,
    full,
    achieved,
    sparsity,
    maxSparsity,
  });
  if (full <= target) return result(0, full);
  const atMax = amountAt(maxSparsity);
  if (atMax > target) {
    throw new Error(
      `budget ${budget.resource} ≤ ${target.toPrecision(4)} cannot be met by ${pruner.criterion.name}: at its largest sparsity ` +
        `${maxSparsity.toFixed(4)} the pruned net still needs ${atMax.toPrecision(4)} (${((100 * atMax) / full).toFixed(2)}% of the full net)`,
    );
  }
  let lo = 0;
  let hi = maxSparsity;
  let achieved = atMax;
  while (hi - lo > SPARSITY_TOLERANCE) {
    const mid = (lo + hi) / 2;
    const amount = amountAt(mid);
    if (amount <= target) {
      hi = mid;
      achieved = amount;
    } else lo = mid;
  }
  return result(hi, achieved);
}
