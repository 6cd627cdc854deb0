/**
 * RANP pruning at initialization (docs/method.md) over a NetDescription.
 *
 * Public API:
 * - `scoreWeights(model, samples, { task?, lossFn?, samples?, seed? }) → Promise<WeightScores>`
 *   |g ⊙ w| per weight, averaged over samples (batch 1, train-mode norms, biases zeroed).
 * - `neuronImportance(scores, aggregation = 'sum' | 'mean' | 'max') → NeuronScores`
 * - `prune(net, scores | undefined, { method, sparsity | budget, lambda?, aggregation?, inputSize?, seed? }) → PruneResult`
 *   methods: ranp-f, ranp-m, ranp-p, vanilla (alias snip-neuron), balanced, random, layerwise, weight-snip.
 *   Throws EmptiedLayersError (with `.layers`) when a layer would be emptied.
 * - `materialize(net, pruneResult, { inherit?: Map<'layer.param', tf.Tensor> }) → { net, weights? }`
 * - `createPruner(net, scores, options)` then `searchMaxSparsity(pruner)` (largest sparsity that
 *   empties no layer) and `sparsityForBudget(pruner, { resource, value, relative })`.
 * - `saveScores(path, scores)` / `loadScores(path)`: the versioned score file (scores-file.ts).
 * - `parseBudget('flops=0.1' | 'memory=2GB' | 'params=1.5M')` for user input.
 */
export { scoreWeights, DEFAULT_SCORING_SAMPLES, type ScoreOptions, type SampleSource } from './score.js';
export { neuronImportance, balanceLayers, reweightByResource, resourceWeights } from './importance.js';
export {
  prune,
  pruneWith,
  createPruner,
  EmptiedLayersError,
  type PruneOptions,
  type PrunerOptions,
  type PruneResult,
  type Pruner,
} from './prune.js';
export { materialize, type MaterializeOptions, type Materialized } from './materialize.js';
export { searchMaxSparsity, sparsityForBudget, SPARSITY_TOLERANCE, type BudgetSearch } from './search.js';
export { saveScores, loadScores, encodeScores, decodeScores, ScoresFileError } from './scores-file.js';
export { validateScores } from './validate-scores.js';
export { AllZeroScoresError } from './all-zero-scores.js';
export { parseBudget } from './budget.js';
export { CRITERIA, criterionFor, resolveMethodName } from './criteria/registry.js';
export type { PruneReport, LayerReport } from './report.js';
export type * from './types.js';
