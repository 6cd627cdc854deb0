import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../engine/data/dataset.js';
import { buildModel } from '../../../engine/nn/model.js';
import { scoreWeights } from '../../../engine/prune/score.js';
import { residualNet } from './nets.js';

// The loss is read after each sample's gradients (asynchronously, as WebGPU in Node needs): a
// non-finite loss still stops scoring with the sample named, and no tensor is left behind.
describe('scoreWeights with a non-finite loss', () => {
  it('rejects naming the sample and releases its tensors', async () => {
    const model = buildModel(residualNet(), { seed: 1 });
    const sample: Sample = {
      id: 'nan-sample',
      input: new Float32Array(27).fill(0.5),
      inputShape: [3, 3, 3, 1],
      label: new Int32Array(27),
      labelShape: [3, 3, 3],
      meta: {},
    };
    const before = tf.memory().numTensors;
    await expect(
      scoreWeights(model, [sample], { lossFn: (logits) => logits.sum().mul(NaN) as tf.Scalar }),
    ).rejects.toThrow("sample 'nan-sample': the loss is not finite");
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
