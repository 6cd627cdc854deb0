import * as tf from '@tensorflow/tfjs';
import type { Sample } from '../engine/data/dataset.js';
import type { NetDescription } from '../engine/nn/description.js';
import { buildModel, type NetModel } from '../engine/nn/model.js';
import { buildNet } from '../engine/nn/zoo/registry.js';
import { prune } from '../engine/prune/prune.js';
import { scoreWeights } from '../engine/prune/score.js';

export const UNET = 'unet3d-shapenet';
/** The paper's neuron sparsity for the ShapeNet 3D-UNet (docs/method.md section 1). */
export const PAPER_SPARSITY = 0.7824;
const IGNORE = 255;
const CLASSES = 50;

/**
 * A synthetic ShapeNet-like sample: an occupied ball of radius size/3 in a size³ grid, parts by
 * octant (labels 0..7 spread over the 50 classes), empty voxels labelled 255 and ignored.
 */
export function occupancySample(size: number, id = 'synthetic'): Sample {
  const n = size ** 3;
  const input = new Float32Array(n);
  const label = new Int32Array(n).fill(IGNORE);
  const c = (size - 1) / 2;
  const r2 = (size / 3) ** 2;
  for (let d = 0; d < size; d++)
    for (let h = 0; h < size; h++)
      for (let w = 0; w < size; w++) {
        if ((d - c) ** 2 + (h - c) ** 2 + (w - c) ** 2 > r2) continue;
        const i = (d * size + h) * size + w;
        input[i] = 1;
        label[i] = (((d > c ? 4 : 0) + (h > c ? 2 : 0) + (w > c ? 1 : 0)) * 6) % CLASSES;
      }
  return { id, input, inputShape: [size, size, size, 1], label, labelShape: [size, size, size], meta: {} };
}

/** A batch of `batch` copies of the synthetic sample as tensors. */
export function syntheticBatch(size: number, batch: number): { x: tf.Tensor5D; labels: tf.Tensor4D } {
  const s = occupancySample(size);
  return tf.tidy(() => {
    const x = tf.tensor5d(s.input, [1, size, size, size, 1]);
    const labels = tf.tensor4d(s.label, [1, size, size, size], 'int32');
    return {
      x: tf.tile(x, [batch, 1, 1, 1, 1]) as tf.Tensor5D,
      labels: tf.tile(labels, [batch, 1, 1, 1]) as tf.Tensor4D,
    };
  });
}

export function fullUnet(size: number): NetDescription {
  return buildNet(UNET, { inputSize: [size, size, size] });
}

/**
 * Scores the full net on one synthetic size³ sample and prunes it with RANP-f at the paper's
 * sparsity (for speed the pruned architecture matters, not how representative the scores are).
 */
export async function ranpPrunedUnet(size: number): Promise<NetDescription> {
  const net = fullUnet(size);
  const model = buildModel(net, { seed: 1 });
  try {
    const scores = await scoreWeights(model, [occupancySample(size)], { source: 'synthetic' });
    return prune(net, scores, { method: 'ranp-f', sparsity: PAPER_SPARSITY }).prunedNet;
  } finally {
    model.dispose();
  }
}

export function withInputSize(net: NetDescription, size: number): NetDescription {
  return { ...net, inputSize: [size, size, size] };
}

export type { NetModel };
