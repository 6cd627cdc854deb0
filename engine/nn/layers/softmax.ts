import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { passthroughShape } from './passthrough-shared.js';

/** Softmax over channels (evaluation only: placed after net.output, so forward() does not run it). */
export const softmaxLayer: LayerDef<'softmax'> = {
  kind: 'softmax',
  channelRole: 'passthrough',
  outputShape: (node, inputs) => passthroughShape(node.name, inputs),
  params: () => [],
  forward: (_node, inputs) => tf.softmax(inputs[0]),
  // The reference counter's convention: batch · (3·C − 1), whatever the spatial size (batch 1 here).
  flops: (_node, inputs) => 3 * inputs[0].channels - 1,
  countsMemory: true,
};
