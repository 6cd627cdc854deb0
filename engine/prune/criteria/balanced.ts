import { balanceLayers } from '../importance.js';
import { selectGlobal } from '../selection.js';
import type { PruneCriterion } from './criterion.js';

/** Layer-balanced neuron importance, globally thresholded (step 6 off). */
export const balancedCriterion: PruneCriterion = {
  name: 'balanced',
  label: 'Balanced SNIP neurons (no resource weighting)',
  usesLambda: false,
  needsScores: true,
  level: 'neuron',
  summary: 'SNIP neuron importance with layer balancing, no resource reweighting',
  select(ctx, sparsity) {
    const scores = balanceLayers(ctx.neuronScores());
    const { mask, threshold } = selectGlobal(scores, sparsity, ctx.net.classifier);
    return { level: 'neuron', mask, finalScores: scores, threshold, settings: { balanced: true } };
  },
};
