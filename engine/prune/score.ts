import * as tf from '@tensorflow/tfjs';
import type { Dataset, Sample } from '../data/dataset.js';
import type { TaskName, Triple } from '../nn/description.js';
import { isPrunable } from '../nn/description.js';
import type { NetModel } from '../nn/model.js';
import { lossFor } from '../tasks/registry.js';
import type { LossFn } from '../train/trainable.js';
import type { Progress } from '../util/progress.js';
import { weightSpec } from './validate-scores.js';
import type { LayerWeightScores, WeightScores } from './types.js';

/** Samples scored when the caller gives a Dataset and no count (a whole pass is the reference's choice). */
export const DEFAULT_SCORING_SAMPLES = 16;

export interface ScoreOptions {
  /** Selects the task's training loss; default the net's task. */
  task?: TaskName;
  /** Overrides the task's loss. */
  lossFn?: LossFn;
  /** At most this many samples (default: all given; a Dataset: min(length, DEFAULT_SCORING_SAMPLES)). */
  samples?: number;
  /** Seed of a Dataset's crops and of dropout during the pass. */
  seed?: number;
  /** Recorded in the scores ('samples' by default; 'synthetic' for a generated batch). */
  source?: string;
  onProgress?: (progress: Progress) => void;
}

export type SampleSource = Dataset | Iterable<Sample> | AsyncIterable<Sample>;

function isDataset(source: SampleSource): source is Dataset {
  return typeof (source as Dataset).get === 'function' && typeof (source as Dataset).length === 'number';
}

async function* samplesOf(source: SampleSource, limit: number, seed: number): AsyncGenerator<Sample> {
  if (isDataset(source)) {
    for (let i = 0; i < Math.min(limit, source.length); i++) yield await source.get(i, seed);
    return;
  }
  let count = 0;
  for await (const sample of source) {
    if (count++ >= limit) return;
    yield sample;
  }
}

/**
 * Weight sensitivity at initialization (docs/method.md step 3): for every prunable layer's
 * weight, s = |∂L/∂m| = |g ⊙ w| with a multiplicative mask m = 1, computed per sample (batch 1,
 * train-mode normalization, conv/linear biases set to 0 for the pass, the task's training loss)
 * and averaged over the samples. The model's running statistics are not touched.
 */
export async function scoreWeights(
  model: NetModel,
  source: SampleSource,
  options: ScoreOptions = {},
): Promise<WeightScores> {
  const { net } = model;
  const task = options.task ?? net.task;
  const loss = options.lossFn ?? lossFor(task);
  const seed = options.seed ?? 0;
  const limit = options.samples ?? (isDataset(source) ? DEFAULT_SCORING_SAMPLES : Infinity);
  if (!(limit > 0)) throw new Error(`scoring needs at least one sample, got samples=${limit}`);

  const layers = net.nodes.filter(isPrunable);
  const weightKeys = layers.map((node) => `${node.name}.weight`);
  const weights = weightKeys.map((key) => {
    const variable = model.variables.get(key);
    if (!variable) throw new Error(`scoring: model of '${net.name}' has no parameter '${key}'`);
    return variable;
  });
  const zeroBiases = new Map<string, tf.Tensor>();
  for (const node of layers) {
    const bias = model.variables.get(`${node.name}.bias`);
    if (bias) zeroBiases.set(`${node.name}.bias`, tf.zerosLike(bias));
  }
  const sums = weights.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
  const started = Date.now();
  let count = 0;
  let inputSize: Triple | undefined;
  try {
    for await (const sample of samplesOf(source, limit, seed)) {
      const [d, h, w, c] = sample.inputShape;
      if (c !== net.inputChannels) {
        throw new Error(
          `sample '${sample.id}': ${c} input channels, net '${net.name}' expects ${net.inputChannels}`,
        );
      }
      inputSize ??= [d, h, w];
      const x = tf.tensor5d(sample.input, [1, d, h, w, c]);
      const labels = tf.tensor(sample.label, [1, ...sample.labelShape], 'int32');
      const objective = (logits: tf.Tensor): tf.Scalar => {
        const labelShape = logits.shape.slice(0, -1);
        if (labels.size !== labelShape.reduce((a, b) => a * b, 1)) {
          throw new Error(
            `sample '${sample.id}': ${labels.size} labels for logits of shape [${logits.shape.join(', ')}]`,
          );
        }
        return loss(logits, labels.reshape(labelShape));
      };
      // The memory-lean backward (engine/nn/backprop.ts), so the full net scores at its training
      // size: ∂L/∂w with biases zeroed, times w, is ∂L/∂m at the all-ones mask.
      const step = (() => {
        try {
          return model.gradients(x, objective, { seed: seed + count, weightOverrides: zeroBiases });
        } finally {
          tf.dispose([x, labels]);
        }
      })();
      tf.tidy(() =>
        weightKeys.forEach((key, i) => {
          const g = step.grads.get(key);
          if (g) sums[i].assign(sums[i].add(g.mul(weights[i]).abs()));
        }),
      );
      const lossValue = step.loss;
      tf.dispose([...step.grads.values(), ...step.statUpdates.values()]);
      // Read asynchronously: WebGPU in Node cannot read GPU data synchronously. A non-finite loss
      // has spoilt the sums, but they are never used: scoring stops here.
      const finite = Number.isFinite((await lossValue.data())[0]);
      lossValue.dispose();
      if (!finite) throw new Error(`sample '${sample.id}': the loss is not finite`);
      count += 1;
      options.onProgress?.({
        phase: 'scoring',
        done: count,
        total: Number.isFinite(limit) ? Math.min(limit, isDataset(source) ? source.length : limit) : count,
        elapsedSeconds: (Date.now() - started) / 1000,
      });
    }
    if (count === 0) throw new Error('scoring: the sample source yielded no samples');
    const result = new Map<string, LayerWeightScores>();
    for (const [i, node] of layers.entries()) {
      const spec = weightSpec(net, node.name);
      const mean = sums[i].div(count);
      const values = Float32Array.from(await mean.data());
      mean.dispose();
      result.set(node.name, { shape: spec.shape, outAxis: spec.outAxis, values });
    }
    return {
      net: net.name,
      task,
      samples: count,
      inputSize: inputSize!,
      source: options.source ?? 'samples',
      layers: result,
    };
  } finally {
    sums.forEach((s) => s.dispose());
    zeroBiases.forEach((t) => t.dispose());
  }
}
