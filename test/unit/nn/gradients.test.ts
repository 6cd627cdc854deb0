import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { LayerNode, Padding3 } from '../../../engine/nn/description.js';
import type { Params } from '../../../engine/nn/layer.js';
import { finiteDifferenceError, randomTensor, randomValues, runLayer, weightedSum } from './helpers.js';

const pad = (p: number): Padding3 => [
  [p, p],
  [p, p],
  [p, p],
];

/** Values at least 0.1 away from the given kinks (ReLU at 0, ReLU6 at 0 and 6), so finite differences don't straddle one. */
function awayFromKinks(shape: number[], seed: number, scale: number, kinks: number[]): tf.Tensor {
  const values = randomValues(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ).map((v) => {
    const x = v * scale;
    return kinks.some((k) => Math.abs(x - k) < 0.1) ? x + 0.25 : x;
  });
  return tf.tensor(values, shape);
}

/** Distinct values 0.1 apart in shuffled order (no near-ties for max pooling). */
function distinctValues(shape: number[], seed: number): tf.Tensor {
  const count = shape.reduce((a, b) => a * b, 1);
  const keys = randomValues(count, seed);
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => keys[a] - keys[b]);
  const values = new Float32Array(count);
  order.forEach((position, rank) => (values[position] = rank * 0.1 - count * 0.05));
  return tf.tensor(values, shape);
}

/** Checks d(weighted sum of the layer's output)/d(inputs and params) against finite differences. */
function layerGradientError(
  node: LayerNode,
  inputs: tf.Tensor[],
  params: Params = {},
  training = false,
  fixedParams: Params = {},
): number {
  const paramNames = Object.keys(params);
  const f = (...args: tf.Tensor[]) => {
    const layerParams = {
      ...fixedParams,
      ...Object.fromEntries(paramNames.map((name, i) => [name, args[inputs.length + i]])),
    };
    return weightedSum(runLayer(node, args.slice(0, inputs.length), layerParams, training).output);
  };
  return finiteDifferenceError(f, [...inputs, ...paramNames.map((n) => params[n])]);
}

const TOLERANCE = 2e-2;

describe('gradients of every layer kind agree with finite differences', () => {
  it.each([
    ['plain', 2, 2, 1, [1, 2, 1]],
    ['grouped', 4, 2, 2, [1, 1, 1]],
    ['depthwise', 2, 2, 2, [2, 1, 2]],
  ] as const)('conv3d (%s, with bias)', (_label, cin, cout, groups, stride) => {
    const node: LayerNode = {
      name: 'c',
      kind: 'conv3d',
      inputs: ['x'],
      attrs: {
        inChannels: cin,
        outChannels: cout,
        kernel: [2, 3, 2],
        stride: [...stride],
        padding: pad(1),
        groups,
        bias: true,
      },
    };
    const error = layerGradientError(node, [randomTensor([1, 3, 3, 3, cin], 1)], {
      weight: randomTensor([2, 3, 2, cin / groups, cout], 2),
      bias: randomTensor([cout], 3),
    });
    expect(error).toBeLessThan(TOLERANCE);
  });

  it('convTranspose3d (stride 2, padding 1, bias) — the custom gradient', () => {
    const node: LayerNode = {
      name: 't',
      kind: 'convTranspose3d',
      inputs: ['x'],
      attrs: {
        inChannels: 2,
        outChannels: 2,
        kernel: [3, 2, 3],
        stride: [2, 2, 1],
        padding: pad(1),
        bias: true,
      },
    };
    const error = layerGradientError(node, [randomTensor([1, 2, 2, 3, 2], 4)], {
      weight: randomTensor([3, 2, 3, 2, 2], 5),
      bias: randomTensor([2], 6),
    });
    expect(error).toBeLessThan(TOLERANCE);
  });

  const normParams = () => ({ gamma: tf.tensor1d([1.2, 0.7]), beta: tf.tensor1d([0.1, -0.3]) });
  it('batchNorm3d in training mode (through the batch statistics)', () => {
    const node: LayerNode = {
      name: 'bn',
      kind: 'batchNorm3d',
      inputs: ['x'],
      attrs: { channels: 2, eps: 1e-5 },
    };
    const error = layerGradientError(node, [randomTensor([2, 2, 2, 2, 2], 7)], normParams(), true, {
      // Running statistics do not influence the training-mode output: not differentiated.
      runningMean: tf.zeros([2]),
      runningVar: tf.ones([2]),
    });
    expect(error).toBeLessThan(TOLERANCE);
  });

  it('batchNorm3d in evaluation mode', () => {
    const node: LayerNode = {
      name: 'bn',
      kind: 'batchNorm3d',
      inputs: ['x'],
      attrs: { channels: 2, eps: 1e-5 },
    };
    const error = layerGradientError(node, [randomTensor([1, 2, 2, 2, 2], 8)], {
      ...normParams(),
      runningMean: tf.tensor1d([0.1, 0.2]),
      runningVar: tf.tensor1d([0.5, 2]),
    });
    expect(error).toBeLessThan(TOLERANCE);
  });

  it('groupNorm3d and instanceNorm3d', () => {
    const group: LayerNode = {
      name: 'gn',
      kind: 'groupNorm3d',
      inputs: ['x'],
      attrs: { channels: 2, eps: 1e-5, groups: 1 },
    };
    const instance: LayerNode = {
      name: 'in',
      kind: 'instanceNorm3d',
      inputs: ['x'],
      attrs: { channels: 2, eps: 1e-5 },
    };
    expect(layerGradientError(group, [randomTensor([1, 2, 2, 2, 2], 9)], normParams())).toBeLessThan(
      TOLERANCE,
    );
    expect(layerGradientError(instance, [randomTensor([2, 2, 2, 2, 2], 10)], normParams())).toBeLessThan(
      TOLERANCE,
    );
  });

  it('relu, relu6, dropout (training, fixed seed)', () => {
    const relu: LayerNode = { name: 'r', kind: 'relu', inputs: ['x'], attrs: {} };
    const relu6: LayerNode = { name: 'r6', kind: 'relu6', inputs: ['x'], attrs: {} };
    const dropout: LayerNode = { name: 'd', kind: 'dropout', inputs: ['x'], attrs: { rate: 0.3 } };
    expect(layerGradientError(relu, [awayFromKinks([1, 2, 2, 2, 3], 11, 2, [0])])).toBeLessThan(TOLERANCE);
    expect(layerGradientError(relu6, [awayFromKinks([1, 2, 2, 2, 3], 12, 8, [0, 6])])).toBeLessThan(
      TOLERANCE,
    );
    expect(layerGradientError(dropout, [randomTensor([1, 2, 2, 2, 3], 13)], {}, true)).toBeLessThan(
      TOLERANCE,
    );
  });

  it("maxPool3d ('same') and avgPool3d (padding counted)", () => {
    const max: LayerNode = {
      name: 'm',
      kind: 'maxPool3d',
      inputs: ['x'],
      attrs: { kernel: [2, 3, 3], stride: [1, 2, 2], padding: 'same' },
    };
    const avg: LayerNode = {
      name: 'a',
      kind: 'avgPool3d',
      inputs: ['x'],
      attrs: { kernel: [2, 2, 2], stride: [2, 1, 2], padding: pad(1) },
    };
    expect(layerGradientError(max, [distinctValues([1, 2, 4, 3, 2], 14)])).toBeLessThan(TOLERANCE);
    expect(layerGradientError(avg, [randomTensor([1, 3, 2, 3, 2], 15)])).toBeLessThan(TOLERANCE);
  });

  it('upsampleNearest3d, concat, add, globalAvgPool', () => {
    const up: LayerNode = {
      name: 'u',
      kind: 'upsampleNearest3d',
      inputs: ['x', 's'],
      attrs: { mode: 'matchSecondInput' },
    };
    const skip = tf.zeros([1, 3, 4, 5, 1]);
    const upError = finiteDifferenceError(
      (x) => weightedSum(runLayer(up, [x, skip]).output),
      [randomTensor([1, 2, 2, 3, 2], 16)],
    );
    expect(upError).toBeLessThan(TOLERANCE);
    const cat: LayerNode = { name: 'c', kind: 'concat', inputs: ['a', 'b'], attrs: {} };
    expect(
      layerGradientError(cat, [randomTensor([1, 2, 2, 2, 1], 17), randomTensor([1, 2, 2, 2, 2], 18)]),
    ).toBeLessThan(TOLERANCE);
    const add: LayerNode = { name: 'p', kind: 'add', inputs: ['a', 'b'], attrs: {} };
    expect(
      layerGradientError(add, [randomTensor([1, 2, 2, 2, 2], 19), randomTensor([1, 2, 2, 2, 2], 20)]),
    ).toBeLessThan(TOLERANCE);
    const gap: LayerNode = { name: 'g', kind: 'globalAvgPool', inputs: ['x'], attrs: {} };
    expect(layerGradientError(gap, [randomTensor([2, 2, 2, 2, 3], 21)])).toBeLessThan(TOLERANCE);
  });

  it('linear and softmax', () => {
    const linear: LayerNode = {
      name: 'l',
      kind: 'linear',
      inputs: ['x'],
      attrs: { inFeatures: 3, outFeatures: 2, bias: true },
    };
    expect(
      layerGradientError(linear, [randomTensor([2, 3], 22)], {
        weight: randomTensor([3, 2], 23),
        bias: randomTensor([2], 24),
      }),
    ).toBeLessThan(TOLERANCE);
    const softmax: LayerNode = { name: 's', kind: 'softmax', inputs: ['x'], attrs: {} };
    expect(layerGradientError(softmax, [randomTensor([1, 2, 1, 2, 4], 25)])).toBeLessThan(TOLERANCE);
  });

  it('the finite-difference check itself catches a wrong gradient', () => {
    const wrong = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = args[0] as tf.Tensor;
      return { value: tf.sum(tf.square(x)), gradFunc: (dy: tf.Tensor) => tf.mul(dy, x) }; // should be 2x
    });
    expect(finiteDifferenceError((x) => wrong(x) as tf.Scalar, [tf.tensor1d([1, 2, 3])])).toBeGreaterThan(
      0.4,
    );
  });
});
