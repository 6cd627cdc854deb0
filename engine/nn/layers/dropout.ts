import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { LayerError } from '../errors.js';
import { deriveSeed } from '../seed.js';
import { passthroughShape } from './passthrough-shared.js';

/** Inverted dropout in training (seeded per layer from ctx.seed), identity in evaluation. */
export const dropoutLayer: LayerDef<'dropout'> = {
  kind: 'dropout',
  channelRole: 'passthrough',
  outputShape(node, inputs) {
    if (!(node.attrs.rate >= 0 && node.attrs.rate < 1))
      throw new LayerError(node.name, `rate must be in [0, 1), got ${node.attrs.rate}`);
    return passthroughShape(node.name, inputs);
  },
  params: () => [],
  forward(node, inputs, _params, ctx) {
    if (!ctx.training || node.attrs.rate === 0) return inputs[0];
    return tf.dropout(inputs[0], node.attrs.rate, undefined, deriveSeed(ctx.seed, node.name));
  },
  flops: () => 0,
  countsMemory: true,
};
