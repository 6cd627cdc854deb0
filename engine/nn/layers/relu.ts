import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { passthroughShape } from './passthrough-shared.js';

export const reluLayer: LayerDef<'relu'> = {
  kind: 'relu',
  channelRole: 'passthrough',
  outputShape: (node, inputs) => passthroughShape(node.name, inputs),
  params: () => [],
  forward: (_node, inputs) => tf.relu(inputs[0]),
  flops: () => 0,
  countsMemory: true,
};
