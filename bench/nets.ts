import * as tf from '@tensorflow/tfjs';
import type { Sample } from '../engine/data/dataset.js';
import type { NetDescription, Triple } from '../engine/nn/description.js';
import { buildModel } from '../engine/nn/model.js';
import { buildNet, zooEntry } from '../engine/nn/zoo/registry.js';
import { prune } from '../engine/prune/prune.js';
import { scoreWeights } from '../engine/prune/score.js';

const IGNORE = 255;

/**
 * A synthetic sample for `net` at its input size. ShapeNet: an occupied ball of radius size/3,
 * parts by octant spread over the classes, empty voxels labelled 255 and ignored. Other tasks: a
 * fixed input pattern in [−1, 1] with voxel labels (BraTS) or one clip label (UCF101).
 */
export function syntheticSample(net: NetDescription, id = 'synthetic'): Sample {
  const [d, h, w] = net.inputSize;
  const voxels = d * h * w;
  const channels = net.inputChannels;
  const input = new Float32Array(voxels * channels);
  const segmentation = net.task !== 'ucf101';
  const label = new Int32Array(segmentation ? voxels : 1);
  const c = [(d - 1) / 2, (h - 1) / 2, (w - 1) / 2];
  const r2 = (Math.min(d, h, w) / 3) ** 2;
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = (z * h + y) * w + x;
        const inside = (z - c[0]) ** 2 + (y - c[1]) ** 2 + (x - c[2]) ** 2 <= r2;
        const octant = (z > c[0] ? 4 : 0) + (y > c[1] ? 2 : 0) + (x > c[2] ? 1 : 0);
        for (let k = 0; k < channels; k++)
          input[i * channels + k] = net.task === 'shapenet' ? (inside ? 1 : 0) : Math.sin(i * 0.37 + k);
        if (segmentation)
          label[i] =
            net.task === 'shapenet' && !inside ? IGNORE : (octant * 6 + (inside ? 1 : 0)) % net.classes;
      }
  const spatial: Triple = [d, h, w];
  return {
    id,
    input,
    inputShape: [...spatial, channels],
    label,
    labelShape: segmentation ? spatial : [1],
    meta: {},
  };
}

/** A batch of `batch` copies of the synthetic sample as tensors. */
export function syntheticBatch(net: NetDescription, batch: number): { x: tf.Tensor5D; labels: tf.Tensor } {
  const s = syntheticSample(net);
  return tf.tidy(() => {
    const x = tf.tensor5d(s.input, [1, ...net.inputSize, net.inputChannels]);
    const segmentation = s.labelShape.length === 3;
    const labels = tf.tensor(s.label, segmentation ? [1, ...net.inputSize] : [1], 'int32');
    return {
      x: tf.tile(x, [batch, 1, 1, 1, 1]) as tf.Tensor5D,
      labels: tf.tile(labels, segmentation ? [batch, 1, 1, 1] : [batch]),
    };
  });
}

/** A zoo net at full width and the given input size. */
export function fullNet(name: string, inputSize: Triple): NetDescription {
  return buildNet(name, { inputSize });
}

/**
 * Scores the full net on one synthetic sample and prunes it with RANP-f at the paper's sparsity
 * for that net (for speed and memory the pruned architecture matters, not how representative the scores are).
 */
export async function ranpPruned(net: NetDescription, netName: string): Promise<NetDescription> {
  const model = buildModel(net, { seed: 1 });
  try {
    const scores = await scoreWeights(model, [syntheticSample(net)], { source: 'synthetic' });
    return prune(net, scores, { method: 'ranp-f', sparsity: zooEntry(netName).paperSparsity }).prunedNet;
  } finally {
    model.dispose();
  }
}

export function withInputSize(net: NetDescription, inputSize: Triple): NetDescription {
  return { ...net, inputSize };
}
