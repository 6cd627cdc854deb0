import { buildNet } from '../../engine/nn/zoo/registry.js';
import {
  EmptiedLayersError,
  decodeScores,
  encodeScores,
  prune,
  validateScores,
} from '../../engine/prune/index.js';
import type { LayerWeightScores, WeightScores } from '../../engine/prune/types.js';
import { isPrunable } from '../../engine/nn/description.js';
import { buildModel } from '../../engine/nn/model.js';
import { createRandom } from '../random.js';
import { mutateBytes } from '../mutate.js';
import { ScoresFileError } from '../../engine/prune/scores-file.js';
import type { FuzzTarget } from '../target.js';

const net = buildNet('unet3d-shapenet', { width: 0.125, inputSize: [8, 8, 8] });

/** Score files (another tool may write them): decoded, validated against the net, then pruned from. */
export const scoresTarget: FuzzTarget = {
  name: 'scores',
  async corpus() {
    const model = buildModel(net, { seed: 3 });
    const random = createRandom(7);
    const layers = new Map<string, LayerWeightScores>();
    for (const node of net.nodes.filter(isPrunable)) {
      const weight = model.variables.get(`${node.name}.weight`)!;
      const values = Float32Array.from({ length: weight.size }, () => random.next() * 1e-3);
      layers.set(node.name, { shape: weight.shape, outAxis: weight.shape.length - 1, values });
    }
    model.dispose();
    const scores: WeightScores = {
      net: net.name,
      task: 'shapenet',
      samples: 1,
      inputSize: [8, 8, 8],
      source: 'fuzz',
      layers,
    };
    return [encodeScores(scores)];
  },
  mutate: mutateBytes,
  async run(input) {
    const scores = decodeScores(input, 'fuzz.ranpscores');
    validateScores(net, scores, 'fuzz.ranpscores');
    return prune(net, scores, { method: 'balanced', sparsity: 0.3 });
  },
  isSpecificError: (error) =>
    error instanceof ScoresFileError ||
    error instanceof EmptiedLayersError ||
    (error instanceof Error && error.constructor === Error && error.message.startsWith('fuzz.ranpscores')),
};
