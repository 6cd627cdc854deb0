// Hand-set weight scores for the prune tests (not a test file itself).
import type { NetDescription } from '../../../engine/nn/description.js';
import type { WeightScores } from '../../../engine/prune/types.js';

/** Scores shaped [1, 1, 1, in, out] (conv weight layout, outAxis 4); `rows[i][j]` = input i → neuron j. */
export function convScores(net: NetDescription, layers: Record<string, number[][]>): WeightScores {
  return {
    net: net.name,
    task: net.task,
    samples: 1,
    inputSize: net.inputSize,
    source: 'hand-set',
    layers: new Map(
      Object.entries(layers).map(([name, rows]) => [
        name,
        { shape: [1, 1, 1, rows.length, rows[0].length], outAxis: 4, values: Float32Array.from(rows.flat()) },
      ]),
    ),
  };
}

/**
 * concatNet scores. Neuron importance (sum over inputs): a [1, 2], b [2, 4, 6], head [2.5, 2.5].
 */
export function concatScores(net: NetDescription): WeightScores {
  return convScores(net, {
    a: [[1, 2]],
    b: [
      [1, 1, 1],
      [1, 3, 5],
    ],
    head: Array.from({ length: 5 }, () => [0.5, 0.5]),
  });
}
