import type { WeightScores } from './types.js';

/**
 * Every weight scored 0: a score-based method cannot rank one neuron above another, so it would
 * keep everything (realized sparsity 0) or cut arbitrarily. Raised by every path that prunes
 * (createPruner), so `ranp prune`, `train`, `experiment` and the app's preview all fail the same way.
 */
export class AllZeroScoresError extends Error {
  override name = 'AllZeroScoresError';
  constructor(
    readonly method: string,
    readonly weights: number,
    readonly layers: number,
    readonly scores: Pick<WeightScores, 'net' | 'source' | 'samples' | 'inputSize'>,
  ) {
    super(
      `every weight score is 0 (${weights} weights in ${layers} layers of ${scores.net}, ` +
        `${scores.source} scores, ${scores.samples} sample(s) at ${scores.inputSize.join('x')}): ` +
        `'${method}' cannot rank neurons, so nothing would be pruned. Batch-1 train-mode normalization ` +
        'over 1×1×1 feature maps gives zero gradients: score at a larger input size (prune.inputSize, ' +
        '--input), or use a method without scores (random)',
    );
  }
}

export function rejectAllZeroScores(scores: WeightScores, method: string): void {
  let weights = 0;
  for (const layer of scores.layers.values()) {
    if (layer.values.some((v) => v !== 0)) return;
    weights += layer.values.length;
  }
  throw new AllZeroScoresError(method, weights, scores.layers.size, scores);
}
