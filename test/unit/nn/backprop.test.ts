import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { NetDescription, Triple } from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { cube, NetBuilder } from '../../../engine/nn/zoo/builder.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { batchNormReluNet, randomTensor } from './helpers.js';

/** Cross-entropy against fixed pseudo-random labels, written from plain ops (no ignore label). */
function objectiveFor(logits: tf.Tensor): (logits: tf.Tensor) => tf.Scalar {
  const classes = logits.shape[logits.rank - 1];
  const rows = logits.size / classes;
  const labels = tf.tensor1d(
    Array.from({ length: rows }, (_, i) => (i * 7 + 3) % classes),
    'int32',
  );
  const onehot = tf.oneHot(labels, classes);
  labels.dispose();
  return (l) => tf.losses.softmaxCrossEntropy(onehot, l.reshape([rows, classes])) as tf.Scalar;
}

/** A net with the layers the zoo lacks: strided padded conv with bias, transposed conv, padded max pool, add, upsampling by 5/3. */
function oddNet(): NetDescription {
  const b = new NetBuilder();
  b.add('input', 'x', [], { channels: 2 });
  b.conv('down', 'x', {
    inChannels: 2,
    outChannels: 3,
    kernel: cube(3),
    stride: cube(2),
    padding: [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
    bias: true,
  });
  b.add('batchNorm3d', 'bn', ['down'], { channels: 3, eps: 1e-5 });
  b.add('relu', 'relu', ['bn'], {});
  b.add('convTranspose3d', 'up', ['relu'], {
    inChannels: 3,
    outChannels: 2,
    kernel: cube(2),
    stride: cube(2),
    padding: [
      [0, 1],
      [0, 1],
      [0, 1],
    ],
    bias: true,
  });
  b.add('maxPool3d', 'pool', ['up'], {
    kernel: cube(3),
    stride: cube(1),
    padding: [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
  });
  b.add('upsampleNearest3d', 'resize', ['relu', 'x'], { mode: 'matchSecondInput' });
  b.conv('mix', 'resize', {
    inChannels: 3,
    outChannels: 2,
    kernel: cube(1),
    padding: [
      [0, 0],
      [0, 0],
      [0, 0],
    ],
  });
  b.add('add', 'sum', ['pool', 'mix', 'x'], {});
  b.conv('head', 'sum', {
    inChannels: 2,
    outChannels: 4,
    kernel: cube(1),
    padding: [
      [0, 0],
      [0, 0],
      [0, 0],
    ],
    bias: true,
  });
  return b.describe({
    name: 'odd',
    task: 'shapenet',
    inputChannels: 2,
    classes: 4,
    inputSize: [5, 5, 5],
    output: 'head',
    classifier: 'head',
    meta: {},
  });
}

const cases: { name: string; net: () => NetDescription; size: Triple; batch: number }[] = [
  {
    name: 'unet3d-shapenet',
    net: () => buildNet('unet3d-shapenet', { width: 0.125, inputSize: cube(8) }),
    size: cube(8),
    batch: 2,
  },
  {
    name: 'unet3d-brats',
    net: () => buildNet('unet3d-brats', { width: 0.125, inputSize: cube(8) }),
    size: cube(8),
    batch: 1,
  },
  {
    name: 'mobilenetv2-3d',
    net: () => buildNet('mobilenetv2-3d', { width: 0.25, inputSize: [8, 16, 16] }),
    size: [8, 16, 16],
    batch: 2,
  },
  {
    name: 'i3d',
    net: () => buildNet('i3d', { width: 0.125, inputSize: [8, 32, 32] }),
    size: [8, 32, 32],
    batch: 1,
  },
  { name: 'odd layers', net: oddNet, size: [5, 5, 5], batch: 2 },
];

describe('memory-lean backward pass (backprop.ts) against tfjs autodiff of the same forward', () => {
  for (const c of cases)
    it(`${c.name}: same loss, gradients and running statistics; nothing leaks`, () => {
      const net = c.net();
      const model = buildModel(net, { seed: 3 });
      const x = randomTensor([c.batch, ...c.size, net.inputChannels], 5) as tf.Tensor5D;
      const probe = model.forward(x, { training: false });
      const objective = objectiveFor(probe);
      probe.dispose();
      const before = model.getWeights();

      const tensorsBefore = tf.memory().numTensors;
      const lean = model.gradients(x, objective, { seed: 9 });
      const leanStats = new Map([...lean.statUpdates].map(([k, t]) => [k, t.arraySync()]));
      const leanGrads = new Map([...lean.grads].map(([k, t]) => [k, t]));
      const leanLoss = lean.loss.dataSync()[0];
      // Everything handed back is what remains: loss, gradients, running statistics.
      expect(tf.memory().numTensors - tensorsBefore).toBe(1 + lean.grads.size + lean.statUpdates.size);
      expect(lean.peakBytes).toBeGreaterThan(0);

      // Reference: tfjs's tape over the plain forward (which assigns the running statistics itself).
      const trainable = model.trainableVariables();
      const keyOf = new Map([...model.variables].map(([key, v]) => [v.name, key]));
      const reference = tf.variableGrads(
        () => objective(model.forward(x, { training: true, seed: 9 })),
        trainable,
      );
      expect(leanLoss).toBeCloseTo(reference.value.dataSync()[0], 5);
      expect(leanGrads.size).toBe(trainable.length);
      // Float32 rounding grows with depth; a gradient far smaller than the net's largest (a bias
      // before a batch norm, ~0 up to cancellation) is compared on the scale of 1e-3 of the largest.
      const maxAbs = (t: tf.Tensor) => tf.max(tf.abs(t)).dataSync()[0];
      const largest = Math.max(...Object.values(reference.grads).map(maxAbs));
      for (const [name, g] of Object.entries(reference.grads)) {
        const key = keyOf.get(name) as string;
        const mine = leanGrads.get(key);
        expect(mine, key).toBeDefined();
        const scale = Math.max(maxAbs(g), 1e-3 * largest, 1e-6);
        const diff = maxAbs(tf.sub(mine as tf.Tensor, g));
        expect(diff / scale, key).toBeLessThan(5e-4);
      }
      for (const [key, value] of leanStats) {
        const assigned = model.variables.get(key)!.arraySync() as number[];
        (value as number[]).forEach((v, i) => expect(v).toBeCloseTo(assigned[i], 5));
      }
      expect(leanStats.size).toBe(net.nodes.filter((n) => n.kind === 'batchNorm3d').length * 2);

      tf.dispose([lean.loss, ...lean.grads.values(), ...lean.statUpdates.values()]);
      tf.dispose([reference.value, ...Object.values(reference.grads), x, ...before.values()]);
      model.dispose();
    });

  it('batch norm + ReLU on one channel of three values: gradients as computed by hand', () => {
    // x = [0, 1, 5]: μ = 2, σ² = 14/3, x̂ = (x − 2)/√(14/3) = [−0.92582, −0.46291, 1.38873];
    // y = relu(x̂) (γ = 1, β = 0) = [0, 0, 1.38873]; loss = Σ w·y, w = [1, 2, 3] → dy = [0, 0, 3].
    // dγ = Σ dy·x̂ = 4.16619; dβ = Σ dy = 3 (d/dx is covered by the comparisons above: the net
    // input carries no gradient, and batch norm's invariance to input scale and shift hides it from a conv before it).
    const net = batchNormReluNet();
    const model = buildModel(net, { seed: 1 });
    model.setWeights(new Map([['bn.gamma', tf.ones([1])]]), { partial: true });
    const x = tf.tensor5d([0, 1, 5], [1, 1, 1, 3, 1]);
    const weights = tf.tensor5d([1, 2, 3], [1, 1, 1, 3, 1]);
    const result = model.gradients(x, (y) => tf.sum(tf.mul(y, weights)) as tf.Scalar, { seed: 0 });
    expect(result.grads.get('bn.gamma')!.dataSync()[0]).toBeCloseTo(4.16619, 4);
    expect(result.grads.get('bn.beta')!.dataSync()[0]).toBeCloseTo(3, 5);
    expect(result.loss.dataSync()[0]).toBeCloseTo(3 * 1.38873, 4);
    tf.dispose([result.loss, ...result.grads.values(), ...result.statUpdates.values(), x, weights]);
    model.dispose();
  });
});
