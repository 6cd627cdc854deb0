import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { LayerError } from '../errors.js';
import { as5D, perChannelAffine } from '../ops.js';
import { affineParams, normFlops, normOutputShape } from './norm-shared.js';

/**
 * Normalizes each sample over its spatial positions and the channels of each group (biased
 * variance, as PyTorch), then applies the per-channel affine. Same in training and evaluation.
 */
// The moments still broadcast over [N, D·H·W, G, C/G] (slow on the cpu backend); no zoo net uses group norm yet.
export function groupNormalize(
  x: tf.Tensor5D,
  groups: number,
  eps: number,
  gamma: tf.Tensor,
  beta: tf.Tensor,
): tf.Tensor5D {
  const [n, d, h, w, c] = x.shape;
  const grouped = x.reshape([n, d * h * w, groups, c / groups]);
  const { mean, variance } = tf.moments(grouped, [1, 3], true);
  const normalized = grouped
    .sub(mean)
    .mul(tf.rsqrt(variance.add(eps)))
    .reshape([n, d, h, w, c]) as tf.Tensor5D;
  return perChannelAffine(normalized, gamma, beta);
}

export const groupNorm3dLayer: LayerDef<'groupNorm3d'> = {
  kind: 'groupNorm3d',
  channelRole: 'passthrough',
  outputShape(node, inputs) {
    const groups = node.attrs.groups;
    if (groups === undefined || !Number.isInteger(groups) || groups < 1 || node.attrs.channels % groups !== 0)
      throw new LayerError(
        node.name,
        `groups (${groups}) must be a positive divisor of channels ${node.attrs.channels}`,
      );
    return normOutputShape(node.name, node.attrs, inputs);
  },
  params: (node) => affineParams(node.attrs.channels),
  forward(node, inputs, params) {
    return groupNormalize(
      as5D(inputs[0], node.name),
      node.attrs.groups ?? 1,
      node.attrs.eps,
      params.gamma,
      params.beta,
    );
  },
  flops: (_node, inputs) => normFlops(inputs),
  countsMemory: true,
};
