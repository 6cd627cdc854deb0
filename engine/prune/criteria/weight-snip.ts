import { keepCount } from '../selection.js';
import type { PruneCriterion } from './criterion.js';

/**
 * Weight-level SNIP (the classic baseline): unstructured masks, global top-k over all weight
 * scores (ties kept). It removes weights, not neurons: without sparse kernels the dense FLOPs
 * and feature maps do not change, which the report states next to the nonzero-weight fraction.
 */
export const weightSnipCriterion: PruneCriterion = {
  name: 'weight-snip',
  label: 'Weight-level SNIP (unstructured baseline)',
  usesLambda: false,
  needsScores: true,
  level: 'weight',
  summary: 'SNIP on weights: global top-k unstructured masks (no dense FLOP savings)',
  select(ctx, sparsity) {
    const { layers } = ctx.weightScores();
    let totalWeights = 0;
    for (const scores of layers.values()) totalWeights += scores.values.length;
    const all = new Float32Array(totalWeights);
    let offset = 0;
    for (const scores of layers.values()) {
      all.set(scores.values, offset);
      offset += scores.values.length;
    }
    const k = keepCount(totalWeights, sparsity);
    // Float32Array sorts numerically ascending; the k-th largest is at index total − k.
    const threshold = k > 0 ? all.sort()[totalWeights - k] : Infinity;
    const weightMasks = new Map<string, Uint8Array>();
    let keptWeights = 0;
    for (const [layer, scores] of layers) {
      const mask = Uint8Array.from(scores.values, (v) => (v >= threshold ? 1 : 0));
      for (const v of mask) keptWeights += v;
      weightMasks.set(layer, mask);
    }
    return { level: 'weight', weightMasks, threshold, keptWeights, totalWeights, settings: {} };
  },
};
