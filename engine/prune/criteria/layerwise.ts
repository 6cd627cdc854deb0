import { checkSparsity, topIndices } from '../selection.js';
import type { NeuronMask } from '../types.js';
import type { PruneCriterion } from './criterion.js';

/** Layer-wise uniform: each layer keeps its ceil(n(1−s)) most important neurons; classifier whole. */
export const layerwiseCriterion: PruneCriterion = {
  name: 'layerwise',
  label: 'Layer-wise top neurons (baseline)',
  usesLambda: false,
  needsScores: true,
  level: 'neuron',
  summary: 'each layer keeps its top ceil(n·(1−s)) neurons by SNIP importance',
  select(ctx, sparsity) {
    checkSparsity(sparsity);
    const scores = ctx.neuronScores();
    const mask: NeuronMask = new Map();
    for (const [layer, values] of scores) {
      const kept = new Uint8Array(values.length);
      // −1e-9: n(1−s) that is an integer up to rounding must not round up one more.
      const count =
        layer === ctx.net.classifier ? values.length : Math.ceil(values.length * (1 - sparsity) - 1e-9);
      for (const j of topIndices(values, count)) kept[j] = 1;
      mask.set(layer, kept);
    }
    return { level: 'neuron', mask, finalScores: scores, settings: {} };
  },
};
