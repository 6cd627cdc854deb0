import * as tf from '@tensorflow/tfjs';
import type { LayerNode, NetDescription } from '../../../engine/nn/description.js';
import type { Params } from '../../../engine/nn/layer.js';
import { layerDef } from '../../../engine/nn/layers/registry.js';
import { NetBuilder } from '../../../engine/nn/zoo/builder.js';

/** Deterministic pseudo-random values in [-1, 1) (LCG), independent of tfjs. */
export function randomValues(count: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/** Runs one layer's forward directly, as the model does. */
export function runLayer(
  node: LayerNode,
  inputs: tf.Tensor[],
  params: Params = {},
  training = false,
): { output: tf.Tensor; statUpdates: Map<string, tf.Tensor> } {
  const statUpdates = new Map<string, tf.Tensor>();
  const output = layerDef(node).forward(node as never, inputs, params, { training, seed: 7, statUpdates });
  return { output, statUpdates };
}

/**
 * Largest error of the analytic gradient against central finite differences, over every element
 * of every argument: |analytic − numeric| / max(1, |numeric|).
 */
export function finiteDifferenceError(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  args: tf.Tensor[],
  eps = 1e-2,
): number {
  const analytic = tf
    .grads(f)(args)
    .map((g) => g.dataSync());
  let worst = 0;
  args.forEach((arg, i) => {
    const base = arg.dataSync().slice();
    for (let j = 0; j < base.length; j++) {
      const at = (delta: number) => {
        const values = base.slice();
        values[j] += delta;
        const perturbed = args.map((a, k) => (k === i ? tf.tensor(values, arg.shape) : a));
        const value = tf.tidy(() => f(...perturbed).dataSync()[0]);
        perturbed[i].dispose();
        return value;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      worst = Math.max(worst, Math.abs(analytic[i][j] - numeric) / Math.max(1, Math.abs(numeric)));
    }
  });
  return worst;
}

/** Sum of output · fixed random weights: a scalar loss whose gradient reaches every output element. */
export function weightedSum(output: tf.Tensor, seed = 99): tf.Scalar {
  return tf.sum(tf.mul(output, randomTensor(output.shape, seed)));
}

/**
 * Reference conv3d by loops over an NDHWC input (groups, stride, explicit padding, bias), for tiny
 * shapes. filter [kd, kh, kw, C_in/groups, C_out].
 */
export function naiveConv3d(
  x: { values: Float32Array; shape: number[] },
  w: { values: Float32Array; shape: number[] },
  stride: number[],
  padding: number[][],
  groups: number,
  bias?: Float32Array,
): { values: Float32Array; shape: number[] } {
  const [n, d, h, wd, c] = x.shape;
  const [kd, kh, kw, cg, co] = w.shape;
  const outPerGroup = co / groups;
  const out = [0, 1, 2].map(
    (a) => Math.floor(([d, h, wd][a] + padding[a][0] + padding[a][1] - [kd, kh, kw][a]) / stride[a]) + 1,
  );
  const values = new Float32Array(n * out[0] * out[1] * out[2] * co);
  const xAt = (b: number, i: number, j: number, k: number, ch: number) =>
    i < 0 || j < 0 || k < 0 || i >= d || j >= h || k >= wd
      ? 0
      : x.values[(((b * d + i) * h + j) * wd + k) * c + ch];
  let index = 0;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < out[0]; i++)
      for (let j = 0; j < out[1]; j++)
        for (let k = 0; k < out[2]; k++)
          for (let o = 0; o < co; o++) {
            const g = Math.floor(o / outPerGroup);
            let sum = bias ? bias[o] : 0;
            for (let a = 0; a < kd; a++)
              for (let e = 0; e < kh; e++)
                for (let f = 0; f < kw; f++)
                  for (let ci = 0; ci < cg; ci++)
                    sum +=
                      xAt(
                        b,
                        i * stride[0] + a - padding[0][0],
                        j * stride[1] + e - padding[1][0],
                        k * stride[2] + f - padding[2][0],
                        g * cg + ci,
                      ) * w.values[(((a * kh + e) * kw + f) * cg + ci) * co + o];
            values[index++] = sum;
          }
  return { values, shape: [n, ...out, co] };
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4): void {
  if (actual.length !== expected.length)
    throw new Error(`length ${actual.length} ≠ expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++)
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i]))))
      throw new Error(`element ${i}: ${actual[i]} ≠ expected ${expected[i]} (tolerance ${tolerance})`);
}

/** Batch norm (eps 1e-12) then ReLU on one channel of three voxels: the net of the hand-computed batch-norm cases. */
export function batchNormReluNet(): NetDescription {
  const b = new NetBuilder();
  b.add('input', 'x', [], { channels: 1 });
  b.add('batchNorm3d', 'bn', ['x'], { channels: 1, eps: 1e-12 });
  b.add('relu', 'relu', ['bn'], {});
  return b.describe({
    name: 'bn',
    task: 'shapenet',
    inputChannels: 1,
    classes: 1,
    inputSize: [1, 1, 3],
    output: 'relu',
    classifier: 'relu',
    meta: {},
  });
}
