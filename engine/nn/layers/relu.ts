import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { numel } from '../window.js';
import { passthroughShape } from './passthrough-shared.js';

export const reluLayer: LayerDef<'relu'> = {
  kind: 'relu',
  channelRole: 'passthrough',
  outputShape: (node, inputs) => passthroughShape(node.name, inputs),
  params: () => [],
  forward: (_node, inputs) => tf.relu(inputs[0]),
  gradient: {
    // relu(x) > 0 exactly where x > 0, so the output alone gives the mask.
    reads: { inputs: false, output: true },
    backward: (_node, { output, dy }) => ({ inputs: [dy.mul(tf.step(output as tf.Tensor))], params: {} }),
  },
  flops: () => 0,
  countsMemory: true,
  // The kernel writes only the output; the backward holds the step mask beside dx.
  stepTemporaries: (_node, _inputs, output) => ({ forward: 0, backward: numel(output) }),
};
