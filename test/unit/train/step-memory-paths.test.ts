import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../../../engine/backend/fused-batch-norm.js';
import { SOFT_DICE, SOFTMAX_CROSS_ENTROPY } from '../../../engine/backend/fused-losses.js';
import type { Triple } from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { lossFor } from '../../../engine/tasks/registry.js';
import { estimateStepMemory } from '../../../engine/train/step-memory.js';
import { syntheticBatch } from '../../../bench/nets.js';
import {
  nativeSuffix,
  requireNativeAddon,
  skipNative,
  withNativeKernels,
} from '../native/native-required.js';

const FUSED_KERNELS = [BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, SOFTMAX_CROSS_ENTROPY, SOFT_DICE];

/** tf.profile's peak of one lean training step (every allocation, inside kernels' compositions too), weights and batch included. */
async function profiledPeak(
  name: string,
  inputSize: Triple,
  batch: number,
  checkpoint = false,
): Promise<number> {
  const net = buildNet(name, { inputSize, width: 1 });
  const start = tf.memory().numBytes;
  const model = buildModel(net, { seed: 3 });
  const { x, labels } = syntheticBatch(net, batch);
  const loss = lossFor(net.task);
  try {
    const profile = await tf.profile(() => {
      const step = model.gradients(x, (logits) => loss(logits, labels), { seed: 0, checkpoint });
      tf.dispose([step.loss, ...step.grads.values(), ...step.statUpdates.values()]);
    });
    return profile.peakBytes - start;
  } finally {
    tf.dispose([x, labels]);
    model.dispose();
  }
}

/** Full-width U-Nets, where the activations outweigh the weights: the paper settings' nets at sizes that run in seconds. */
const CASES: [string, Triple, number][] = [
  ['unet3d-shapenet', [16, 16, 16], 2],
  ['unet3d-shapenet', [24, 24, 24], 1],
  ['unet3d-brats', [16, 16, 16], 1],
  ['unet3d-brats', [24, 24, 24], 1],
];
/** The prediction may err only high, and by less than this (its safety margin is 5%). */
const TOLERANCE = 1.1;

describe.skipIf(skipNative)(`estimateStepMemory on the path the step takes${nativeSuffix}`, () => {
  requireNativeAddon();
  withNativeKernels();

  const measured = new Map<string, { fused: number; composed: number }>();
  const key = (name: string, size: Triple, batch: number) => `${name} ${size.join('×')} b${batch}`;

  for (const [name, size, batch] of CASES)
    it(`${key(name, size, batch)}: fused batch norms and losses (native), then composed`, async () => {
      const net = buildNet(name, { inputSize: size, width: 1 });
      expect(FUSED_KERNELS.every((k) => tf.getKernel(k, 'cpu'))).toBe(true);
      const fused = await profiledPeak(name, size, batch);
      const predictedFused = estimateStepMemory(net, size, batch, 0).peakBytes;
      expect(predictedFused).toBe(estimateStepMemory(net, size, batch, 0, { fusedKernels: true }).peakBytes);

      // The composed route: the same kernels without the fused ones, as on a backend that lacks them.
      const saved = FUSED_KERNELS.map((k) => tf.getKernel(k, 'cpu')!);
      for (const k of FUSED_KERNELS) tf.unregisterKernel(k, 'cpu');
      let composed: number;
      let predictedComposed: number;
      try {
        composed = await profiledPeak(name, size, batch);
        predictedComposed = estimateStepMemory(net, size, batch, 0).peakBytes;
      } finally {
        for (const config of saved) tf.registerKernel(config);
      }
      expect(predictedComposed).toBe(
        estimateStepMemory(net, size, batch, 0, { fusedKernels: false }).peakBytes,
      );
      measured.set(key(name, size, batch), { fused, composed });

      expect(fused).toBeLessThan(composed);
      expect(predictedFused).toBeGreaterThanOrEqual(fused);
      expect(predictedFused).toBeLessThan(TOLERANCE * fused);
      expect(predictedComposed).toBeGreaterThanOrEqual(composed);
      expect(predictedComposed).toBeLessThan(TOLERANCE * composed);
    });

  for (const [name, size, batch] of CASES)
    it(`${key(name, size, batch)}: checkpointed, fused`, async () => {
      const net = buildNet(name, { inputSize: size, width: 1 });
      const plain = await profiledPeak(name, size, batch);
      const checkpointed = await profiledPeak(name, size, batch, true);
      const predicted = estimateStepMemory(net, size, batch, 0, { checkpoint: true }).peakBytes;
      expect(checkpointed).toBeLessThan(plain);
      expect(predicted).toBeLessThan(estimateStepMemory(net, size, batch, 0).peakBytes);
      expect(predicted).toBeGreaterThanOrEqual(checkpointed);
      expect(predicted).toBeLessThan(TOLERANCE * checkpointed);
    });
});
