import * as tf from '@tensorflow/tfjs';
import type { Dataset, Sample } from '../../../engine/data/dataset.js';
import type { LossFn, TrainableModel } from '../../../engine/train/trainable.js';
import { createRandom } from '../../../engine/train/rng.js';

/**
 * A two-layer segmentation model over tf ops (conv3d 3³ → per-channel running mean like batch norm
 * → relu → conv 1³), small enough for unit tests, with one running statistic to exercise statUpdates.
 */
export function tinySegModel(seed: number, inChannels = 1, hidden = 4, classes = 2): TrainableModel {
  const random = createRandom(seed);
  const init = (shape: number[], scale: number) =>
    tf.tensor(
      Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (random() * 2 - 1) * scale),
      shape,
    );
  const variables = new Map<string, tf.Variable>([
    ['conv1.weight', tf.variable(init([3, 3, 3, inChannels, hidden], 0.4), true)],
    ['norm.runningMean', tf.variable(tf.zeros([hidden]), false)],
    ['head.weight', tf.variable(init([1, 1, 1, hidden, classes], 0.5), true)],
    ['head.bias', tf.variable(tf.zeros([classes]), true)],
  ]);
  const v = (k: string) => variables.get(k)!;
  const trainableKeys = ['conv1.weight', 'head.weight', 'head.bias'];
  const model: TrainableModel = {
    variables,
    trainableKeys,
    // tfjs's own tape: this model is small, and it keeps the loop's tests independent of backprop.ts.
    gradients(x, objective, { seed }) {
      let statUpdates = new Map<string, tf.Tensor>();
      const { value, grads } = tf.variableGrads(() => {
        const out = model.forward(x, { training: true, seed });
        statUpdates = out.statUpdates;
        for (const t of statUpdates.values()) tf.keep(t);
        return objective(out.logits);
      }, trainableKeys.map(v));
      const keyOf = new Map(trainableKeys.map((k) => [v(k).name, k]));
      const named = new Map(Object.entries(grads).map(([name, g]) => [keyOf.get(name) as string, g]));
      return { loss: value, grads: named, statUpdates, peakBytes: tf.memory().numBytes };
    },
    forward(x, { training }) {
      const statUpdates = new Map<string, tf.Tensor>();
      const h = tf.conv3d(x as tf.Tensor5D, v('conv1.weight') as tf.Tensor5D, 1, 'same');
      let mean: tf.Tensor = v('norm.runningMean');
      if (training) {
        mean = tf.mean(h, [0, 1, 2, 3]);
        statUpdates.set('norm.runningMean', v('norm.runningMean').mul(0.9).add(mean.mul(0.1)));
      }
      const a = tf.relu(h.sub(mean.reshape([1, 1, 1, 1, hidden])));
      const logits = tf
        .conv3d(a as tf.Tensor5D, v('head.weight') as tf.Tensor5D, 1, 'same')
        .add(v('head.bias'));
      return { logits, statUpdates };
    },
  };
  return model;
}

/** Voxel-wise cross entropy over (N, D, H, W, K) logits and int labels (no ignore label: tests only). */
export const plainCrossEntropy: LossFn = (logits, labels) =>
  tf.tidy(() => {
    const k = logits.shape[logits.shape.length - 1];
    return tf.losses.softmaxCrossEntropy(
      tf.oneHot(labels.flatten(), k),
      logits.reshape([-1, k]),
    ) as tf.Scalar;
  });

/**
 * A synthetic segmentation set in memory (no files needed): label = 1 where the input is positive.
 * Augmentation: a flip along W drawn from the sample seed, so the seed path matters.
 */
export function syntheticSegDataset(length: number, size = 4, seed = 11): Dataset {
  const n = size ** 3;
  const volumes = Array.from({ length }, (_, i) => {
    const random = createRandom(seed * 1000 + i);
    return Float32Array.from({ length: n }, () => random() * 2 - 1);
  });
  return {
    task: 'brats',
    split: 'train',
    length,
    sampleSize: [size, size, size],
    inputChannels: 1,
    classes: 2,
    async get(index: number, sampleSeed: number): Promise<Sample> {
      const flip = createRandom(sampleSeed)() < 0.5;
      const input = new Float32Array(n);
      for (let z = 0; z < size; z++)
        for (let y = 0; y < size; y++)
          for (let x = 0; x < size; x++)
            input[(z * size + y) * size + x] =
              volumes[index][(z * size + y) * size + (flip ? size - 1 - x : x)];
      const label = Int32Array.from(input, (value) => (value > 0 ? 1 : 0));
      return {
        id: `s${index}`,
        input,
        inputShape: [size, size, size, 1],
        label,
        labelShape: [size, size, size],
        meta: {},
      };
    },
  };
}

export function weightsOf(model: TrainableModel): Record<string, number[]> {
  return Object.fromEntries([...model.variables].map(([k, t]) => [k, Array.from(t.dataSync())]));
}
