import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  nativeSuffix,
  requireNativeAddon,
  skipNative,
  withNativeKernels,
} from '../native/native-required.js';
import type { Triple } from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { checkpointChains, planStep } from '../../../engine/nn/step-plan.js';
import { ancestorsOf } from '../../../engine/nn/shapes.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { lossFor } from '../../../engine/tasks/registry.js';
import { syntheticBatch } from '../../../bench/nets.js';

/** One lean step's loss, gradients and running statistics as plain arrays. */
function step(name: string, inputSize: Triple, width: number, batch: number, checkpoint: boolean) {
  const net = buildNet(name, { inputSize, width });
  const model = buildModel(net, { seed: 3 });
  const { x, labels } = syntheticBatch(net, batch);
  const loss = lossFor(net.task);
  try {
    const result = model.gradients(x, (logits) => loss(logits, labels), { seed: 7, checkpoint });
    const read = (m: Map<string, tf.Tensor>) =>
      new Map([...m].map(([k, t]) => [k, Array.from(t.dataSync())]));
    const out = {
      loss: result.loss.dataSync()[0],
      grads: read(result.grads),
      stats: read(result.statUpdates),
    };
    tf.dispose([result.loss, ...result.grads.values(), ...result.statUpdates.values()]);
    return out;
  } finally {
    tf.dispose([x, labels]);
    model.dispose();
  }
}

describe('activation checkpointing (backprop.ts)', () => {
  it('chains are the conv → norm → ReLU runs of a U-Net block, ended where an output has two readers', () => {
    const net = buildNet('unet3d-shapenet', { inputSize: [16, 16, 16], width: 0.25 });
    const nodes = ancestorsOf(net, net.output);
    const plan = planStep(nodes, net.output, () => true);
    const chains = checkpointChains(nodes, net.output, plan.needsGrad);
    const enc0 = chains.find((c) => c.last.name === 'enc0.2.relu')!;
    // enc0.2.relu feeds the pool and the skip concat: the chain ends there and keeps that output.
    expect(enc0.inner.map((n) => n.name)).toEqual([
      'enc0.1.conv',
      'enc0.1.bn',
      'enc0.1.relu',
      'enc0.2.conv',
      'enc0.2.bn',
    ]);
    for (const chain of chains) expect(chain.inner.every((n) => n.name !== net.output)).toBe(true);
  });

  // Recomputed forwards run the same kernels on the same inputs with the same dropout seeds.
  it.each(CASES)(
    '%s %j width %s batch %s: loss, gradients and statistics bit for bit those without',
    expectSame,
  );
});

describe.skipIf(skipNative)(
  `activation checkpointing on the native kernels (fused batch norm)${nativeSuffix}`,
  () => {
    requireNativeAddon();
    withNativeKernels();
    it.each(CASES)(
      '%s %j width %s batch %s: loss, gradients and statistics bit for bit those without',
      expectSame,
    );
  },
);

const CASES = [
  ['unet3d-shapenet', [16, 16, 16], 0.25, 2],
  ['unet3d-brats', [16, 16, 16], 0.25, 1],
  ['i3d', [8, 32, 32], 0.125, 1],
] as [string, Triple, number, number][];

function expectSame(name: string, size: Triple, width: number, batch: number): void {
  const plain = step(name, size, width, batch, false);
  const checkpointed = step(name, size, width, batch, true);
  expect(checkpointed.loss).toBe(plain.loss);
  expect([...checkpointed.grads.keys()].sort()).toEqual([...plain.grads.keys()].sort());
  expect(plain.grads.size).toBeGreaterThan(10);
  for (const [key, g] of plain.grads) expect(checkpointed.grads.get(key), key).toEqual(g);
  expect([...checkpointed.stats.keys()].sort()).toEqual([...plain.stats.keys()].sort());
  for (const [key, v] of plain.stats) expect(checkpointed.stats.get(key), key).toEqual(v);
}
