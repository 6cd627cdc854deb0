import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { NetDescription, Triple } from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { lossFor } from '../../../engine/tasks/registry.js';
import { estimateStepMemory } from '../../../engine/train/step-memory.js';
import { syntheticBatch } from '../../../bench/nets.js';

/**
 * The lean step's peaks, weights and batch included: as backprop.ts samples it (tf.memory at the
 * end of every layer's forward and backward) and as tf.profile sees it (every allocation, also
 * those freed inside an op's composition, e.g. the loss's, before the layer ends).
 */
async function measuredPeaks(
  net: NetDescription,
  batch: number,
): Promise<{ sampled: number; profiled: number }> {
  const model = buildModel(net, { seed: 3 });
  const { x, labels } = syntheticBatch(net, batch);
  try {
    const loss = lossFor(net.task);
    let sampled = 0;
    const profile = await tf.profile(() => {
      const step = model.gradients(x, (logits) => loss(logits, labels), { seed: 0 });
      sampled = step.peakBytes;
      tf.dispose([step.loss, ...step.grads.values(), ...step.statUpdates.values()]);
    });
    return { sampled, profiled: profile.peakBytes };
  } finally {
    tf.dispose([x, labels]);
    model.dispose();
  }
}

/**
 * On the plain cpu backend (composed batch norms and losses; test/unit/train/step-memory-paths.test.ts
 * checks full-width nets on both paths). MobileNetV2's depthwise convs run as one op per depth
 * offset, recomputed under tf.grads in the backward; their temporaries inside tf.grads are not
 * modelled: its tf.profile peak is ~2× the prediction, so it is held only to the sampled peak.
 */
const CASES: [string, Triple, number, number][] = [
  ['unet3d-shapenet', [16, 16, 16], 0.25, 2],
  ['unet3d-shapenet', [32, 32, 32], 0.125, 1],
  ['unet3d-brats', [16, 16, 16], 0.25, 1],
  ['mobilenetv2-3d', [8, 32, 32], 0.25, 2],
  ['i3d', [8, 32, 32], 0.125, 1],
];

describe('estimateStepMemory (predicted against measured peaks of the lean step)', () => {
  for (const [name, inputSize, width, batch] of CASES)
    it(`${name} ${inputSize.join('×')} width ${width} batch ${batch}`, async () => {
      const net = buildNet(name, { inputSize, width });
      const before = tf.memory().numBytes;
      const peaks = await measuredPeaks(net, batch);
      const measured = (name === 'mobilenetv2-3d' ? peaks.sampled : peaks.profiled) - before;
      const predicted = estimateStepMemory(net, inputSize, batch, 0).peakBytes;
      expect(predicted).toBeGreaterThanOrEqual(measured);
      expect(predicted).toBeLessThan(1.5 * measured);
    });
});
