import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { spatialInput } from '../window.js';

/**
 * Mean over all spatial positions → [N, C]. Functional in the reference code (MobileNetV2's
 * F.avg_pool3d, I3D's mean of the logits over time), so it counts neither FLOPs nor memory.
 */
export const globalAvgPoolLayer: LayerDef<'globalAvgPool'> = {
  kind: 'globalAvgPool',
  channelRole: 'passthrough',
  outputShape(node, inputs) {
    spatialInput(node.name, inputs);
    return { channels: inputs[0].channels, spatial: null };
  },
  params: () => [],
  forward: (_node, inputs) => tf.mean(inputs[0], [1, 2, 3]),
  flops: () => 0,
  countsMemory: false,
};
