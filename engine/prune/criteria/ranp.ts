import type { ResourceCounts } from '../../resources/count.js';
import { balanceLayers, reweightByResource } from '../importance.js';
import { selectGlobal } from '../selection.js';
import type { ResourceKind } from '../types.js';
import { TASKS } from '../../domain/tasks.js';
import type { PruneCriterion } from './criterion.js';

const RESOURCE_FIELD: Record<ResourceKind, keyof ResourceCounts> = {
  flops: 'flops',
  memory: 'memoryElements',
  params: 'params',
};

const VARIANT: Record<ResourceKind, { suffix: string; saves: string }> = {
  flops: { suffix: 'f', saves: 'computation' },
  memory: { suffix: 'm', saves: 'memory' },
  params: { suffix: 'p', saves: 'parameters' },
};

/** RANP: balanced neuron importance reweighted by a per-layer resource of the full net (steps 5–7). */
export function ranpCriterion(resource: ResourceKind): PruneCriterion {
  const { suffix, saves } = VARIANT[resource];
  return {
    name: `ranp-${suffix}`,
    label: `RANP-${suffix} (saves ${saves})`,
    usesLambda: true,
    needsScores: true,
    level: 'neuron',
    summary: `RANP: balanced neuron importance reweighted by per-layer ${resource} (softmax, λ)`,
    select(ctx, sparsity) {
      const lambda = ctx.lambda ?? TASKS[ctx.net.task].defaultLambda;
      if (!Number.isFinite(lambda) || lambda < 0)
        throw new Error(`λ must be a non-negative number, got ${lambda}`);
      const balanced = balanceLayers(ctx.neuronScores());
      const { perLayer } = ctx.fullResources();
      const resources = new Map<string, number>();
      for (const layer of balanced.keys()) {
        const counted = perLayer.get(layer);
        if (!counted) throw new Error(`RANP: the resource counter has no entry for layer '${layer}'`);
        resources.set(layer, counted[RESOURCE_FIELD[resource]]);
      }
      const scores = reweightByResource(balanced, resources, lambda);
      const { mask, threshold } = selectGlobal(scores, sparsity, ctx.net.classifier);
      return {
        level: 'neuron',
        mask,
        finalScores: scores,
        threshold,
        settings: { balanced: true, resource, lambda },
      };
    },
  };
}
