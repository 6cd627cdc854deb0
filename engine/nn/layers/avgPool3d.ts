import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { as5D, padSpatial } from '../ops.js';
import { tripleVolume } from '../padding.js';
import { numel, resolveWindow, spatialInput } from '../window.js';

/**
 * Average pool; zero padding counts in the average (PyTorch's count_include_pad). With
 * attrs.clampKernel the kernel shrinks to the input (I3D's final pool at small inputs).
 */
export const avgPool3dLayer: LayerDef<'avgPool3d'> = {
  kind: 'avgPool3d',
  channelRole: 'passthrough',
  outputShape(node, inputs) {
    const spatial = spatialInput(node.name, inputs);
    return { channels: inputs[0].channels, spatial: resolveWindow(node.name, spatial, node.attrs).output };
  },
  params: () => [],
  forward(node, inputs) {
    const x = as5D(inputs[0], node.name);
    const window = resolveWindow(node.name, [x.shape[1], x.shape[2], x.shape[3]], node.attrs);
    return tf.avgPool3d(padSpatial(x, window.padding), window.kernel, window.stride, 'valid');
  },
  flops(node, inputs, output) {
    const window = resolveWindow(node.name, spatialInput(node.name, inputs), node.attrs);
    return numel(output) * (tripleVolume(window.kernel) + 1);
  },
  countsMemory: true,
};
