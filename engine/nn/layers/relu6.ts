import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { passthroughShape } from './passthrough-shared.js';

export const relu6Layer: LayerDef<'relu6'> = {
  kind: 'relu6',
  channelRole: 'passthrough',
  outputShape: (node, inputs) => passthroughShape(node.name, inputs),
  params: () => [],
  forward: (_node, inputs) => tf.relu6(inputs[0]),
  flops: () => 0,
  countsMemory: true,
};
