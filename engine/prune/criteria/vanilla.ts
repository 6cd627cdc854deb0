import { selectGlobal } from '../selection.js';
import type { PruneCriterion } from './criterion.js';

/** Vanilla SNIP neuron scores: aggregated weight scores, globally thresholded (steps 5–6 off). */
export const vanillaCriterion: PruneCriterion = {
  name: 'vanilla',
  label: 'Vanilla SNIP neurons (baseline)',
  usesLambda: false,
  needsScores: true,
  level: 'neuron',
  summary: 'SNIP neuron importance, no layer balancing, no resource reweighting',
  select(ctx, sparsity) {
    const scores = ctx.neuronScores();
    const { mask, threshold } = selectGlobal(scores, sparsity, ctx.net.classifier);
    return { level: 'neuron', mask, finalScores: scores, threshold, settings: { balanced: false } };
  },
};
