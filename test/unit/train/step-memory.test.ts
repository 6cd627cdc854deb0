import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { NetDescription, Triple } from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { lossFor } from '../../../engine/tasks/registry.js';
import { estimateStepMemory } from '../../../engine/train/step-memory.js';
import { syntheticBatch } from '../../../bench/nets.js';

/** The lean step's peak as backprop.ts measures it (tf.memory while every layer runs), weights and batch included. */
function measuredPeak(net: NetDescription, batch: number): number {
  const model = buildModel(net, { seed: 3 });
  const { x, labels } = syntheticBatch(net, batch);
  try {
    const loss = lossFor(net.task);
    const step = model.gradients(x, (logits) => loss(logits, labels), { seed: 0 });
    const peak = step.peakBytes;
    tf.dispose([step.loss, ...step.grads.values(), ...step.statUpdates.values()]);
    return peak;
  } finally {
    tf.dispose([x, labels]);
    model.dispose();
  }
}

const CASES: [string, Triple, number, number][] = [
  ['unet3d-shapenet', [16, 16, 16], 0.25, 2],
  ['unet3d-shapenet', [32, 32, 32], 0.125, 1],
  ['unet3d-brats', [16, 16, 16], 0.25, 1],
  ['mobilenetv2-3d', [8, 32, 32], 0.25, 2],
  ['i3d', [8, 32, 32], 0.125, 1],
];

describe('estimateStepMemory (predicted against measured peaks of the lean step)', () => {
  for (const [name, inputSize, width, batch] of CASES)
    it(`${name} ${inputSize.join('×')} width ${width} batch ${batch}`, () => {
      const net = buildNet(name, { inputSize, width });
      const before = tf.memory().numBytes;
      const measured = measuredPeak(net, batch) - before;
      const predicted = estimateStepMemory(net, inputSize, batch, 0).peakBytes;
      expect(predicted).toBeGreaterThanOrEqual(measured);
      expect(predicted).toBeLessThan(1.5 * measured);
    });
});
