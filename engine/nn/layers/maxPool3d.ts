import * as tf from '@tensorflow/tfjs';
import type { Triple } from '../description.js';
import type { LayerDef } from '../layer.js';
import { as5D, cropSpatial, padSpatial } from '../ops.js';
import { tripleVolume } from '../padding.js';
import { numel, resolveWindow, spatialInput } from '../window.js';

/** Max pool; padding never wins (padded with −∞), as PyTorch and TF 'same' pools behave. */
export const maxPool3dLayer: LayerDef<'maxPool3d'> = {
  kind: 'maxPool3d',
  channelRole: 'passthrough',
  outputShape(node, inputs) {
    const spatial = spatialInput(node.name, inputs);
    return { channels: inputs[0].channels, spatial: resolveWindow(node.name, spatial, node.attrs).output };
  },
  params: () => [],
  forward(node, inputs) {
    const x = as5D(inputs[0], node.name);
    const window = resolveWindow(node.name, [x.shape[1], x.shape[2], x.shape[3]], node.attrs);
    return tf.maxPool3d(padSpatial(x, window.padding, -Infinity), window.kernel, window.stride, 'valid');
  },
  gradient: {
    reads: { inputs: true, output: true },
    backward(node, { inputs, output, dy }) {
      const x = as5D(inputs[0] as tf.Tensor, node.name);
      const window = resolveWindow(node.name, [x.shape[1], x.shape[2], x.shape[3]], node.attrs);
      const dPadded = tf
        .engine()
        .runKernel(
          'MaxPool3DGrad',
          { dy, input: padSpatial(x, window.padding, -Infinity), output: output as tf.Tensor },
          { filterSize: window.kernel, strides: window.stride, pad: 'valid' },
        ) as tf.Tensor5D;
      return { inputs: [cropSpatial(dPadded, window.padding)], params: {} };
    },
  },
  flops: () => 0,
  countsMemory: true,
  // Unpadded, the pool and its gradient are one kernel each, writing only their results. Padded,
  // padSpatial's views and two pads (in + 4·padded, tf.profile) live beside it, and twice that in
  // the backward (the padded input again, the padded gradient and cropSpatial's views).
  stepTemporaries(node, inputs) {
    const spatial = spatialInput(node.name, inputs);
    const { padding } = resolveWindow(node.name, spatial, node.attrs);
    const input = numel(inputs[0]);
    const padded =
      inputs[0].channels *
      tripleVolume(spatial.map((n, axis) => n + padding[axis][0] + padding[axis][1]) as Triple);
    const forward = padded === input ? 0 : input + 4 * padded;
    return { forward, backward: 2 * forward };
  },
};
