import type { Aggregation, LayerWeightScores, NeuronScores, WeightScores } from './types.js';

/**
 * Neuron importance (docs/method.md step 4): for each output channel j, the sum (default), mean or
 * max of the weight scores of every weight feeding it. Bias scores are 0 (biases are zeroed for
 * the scoring pass), so they add nothing.
 */
export function layerNeuronImportance(
  layer: string,
  scores: LayerWeightScores,
  aggregation: Aggregation = 'sum',
): Float64Array {
  const { shape, outAxis, values } = scores;
  if (!Number.isInteger(outAxis) || outAxis < 0 || outAxis >= shape.length) {
    throw new Error(
      `weight scores of '${layer}': outAxis ${outAxis} is not an axis of shape [${shape.join(', ')}]`,
    );
  }
  const total = shape.reduce((a, b) => a * b, 1);
  if (values.length !== total) {
    throw new Error(
      `weight scores of '${layer}': ${values.length} values for shape [${shape.join(', ')}] (${total})`,
    );
  }
  const neurons = shape[outAxis];
  // Row-major: index = (outer · neurons + j) · inner + rest.
  const inner = shape.slice(outAxis + 1).reduce((a, b) => a * b, 1);
  const outer = total / (neurons * inner);
  const result = new Float64Array(neurons).fill(aggregation === 'max' ? -Infinity : 0);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < neurons; j++) {
      const start = (o * neurons + j) * inner;
      let acc = result[j];
      for (let r = 0; r < inner; r++) {
        const v = values[start + r];
        acc = aggregation === 'max' ? Math.max(acc, v) : acc + v;
      }
      result[j] = acc;
    }
  }
  if (aggregation === 'mean') {
    const perNeuron = total / neurons;
    for (let j = 0; j < neurons; j++) result[j] /= perNeuron;
  }
  return result;
}

/** Neuron importance of every scored layer, in the scores' layer order. */
export function neuronImportance(scores: WeightScores, aggregation: Aggregation = 'sum'): NeuronScores {
  const result: NeuronScores = new Map();
  for (const [layer, layerScores] of scores.layers) {
    result.set(layer, layerNeuronImportance(layer, layerScores, aggregation));
  }
  return result;
}

/**
 * Layer balancing (step 5): scale layer l by max_k μ(k) / μ(l), μ = mean neuron score, so every
 * layer ends with the same mean. A layer whose scores are all 0 stays 0 (nothing to scale).
 */
export function balanceLayers(scores: NeuronScores): NeuronScores {
  const means = new Map<string, number>();
  for (const [layer, values] of scores) {
    means.set(layer, values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  }
  const maxMean = Math.max(...means.values());
  const result: NeuronScores = new Map();
  for (const [layer, values] of scores) {
    const mean = means.get(layer)!;
    const factor = mean > 0 ? maxMean / mean : 0;
    result.set(
      layer,
      values.map((v) => v * factor),
    );
  }
  return result;
}

/**
 * Softmax over layers of −r(l)/max_k r(k) (step 6): cheap layers get large weights.
 * `resources` holds r(l) of the FULL net per layer, in the same order as the scores.
 */
export function resourceWeights(resources: Map<string, number>): Map<string, number> {
  const values = [...resources.values()];
  const maxR = Math.max(...values);
  if (!(maxR > 0) || values.some((r) => !Number.isFinite(r) || r < 0)) {
    throw new Error(
      `resource reweighting needs finite non-negative per-layer resources with a positive maximum`,
    );
  }
  const logits = values.map((r) => -r / maxR);
  const top = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return new Map([...resources.keys()].map((layer, i) => [layer, exps[i] / sum]));
}

/** ñ(l,j) = n'(l,j) · (1 + λ · w(l)). */
export function reweightByResource(
  scores: NeuronScores,
  resources: Map<string, number>,
  lambda: number,
): NeuronScores {
  const weights = resourceWeights(resources);
  const result: NeuronScores = new Map();
  for (const [layer, values] of scores) {
    const w = weights.get(layer);
    if (w === undefined) throw new Error(`resource reweighting: no resource count for layer '${layer}'`);
    result.set(
      layer,
      values.map((v) => v * (1 + lambda * w)),
    );
  }
  return result;
}
