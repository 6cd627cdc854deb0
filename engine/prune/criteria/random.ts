import { createRandom } from '../../train/rng.js';
import { keepCount } from '../selection.js';
import type { NeuronMask } from '../types.js';
import type { PruneCriterion } from './criterion.js';

/** Random neuron pruning: K = floor(N(1−s)) neurons drawn uniformly from all N, classifier kept whole. */
export const randomCriterion: PruneCriterion = {
  name: 'random',
  label: 'Random neurons (baseline)',
  usesLambda: false,
  needsScores: false,
  level: 'neuron',
  summary: 'uniformly random neurons (seeded), classifier kept',
  select(ctx, sparsity) {
    const layers = ctx.graph.prunable;
    const total = layers.reduce((n, layer) => n + layer.neurons, 0);
    const k = keepCount(total, sparsity);
    // Partial Fisher–Yates: the first k entries of the shuffled index list are kept.
    const order = Array.from({ length: total }, (_, i) => i);
    const random = createRandom(ctx.seed);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (total - i));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const flat = new Uint8Array(total);
    for (let i = 0; i < k; i++) flat[order[i]] = 1;
    const mask: NeuronMask = new Map();
    let offset = 0;
    for (const layer of layers) {
      const values = flat.slice(offset, offset + layer.neurons);
      if (layer.name === ctx.net.classifier) values.fill(1);
      mask.set(layer.name, values);
      offset += layer.neurons;
    }
    return { level: 'neuron', mask, settings: { seed: ctx.seed } };
  },
};
