import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { LayerError } from '../errors.js';
import { expectChannels, expectInputCount } from '../window.js';

/** Fully connected layer on a flat [N, C] input. weight: [in, out]. Bias starts at 0 (only conv biases are N(0,1)). */
export const linearLayer: LayerDef<'linear'> = {
  kind: 'linear',
  channelRole: 'neurons',
  outputShape(node, inputs) {
    expectInputCount(node.name, inputs, 1);
    if (inputs[0].spatial !== null)
      throw new LayerError(node.name, 'expects a flat [N, C] input (add a globalAvgPool before it)');
    expectChannels(node.name, inputs[0], node.attrs.inFeatures, 'input feature');
    return { channels: node.attrs.outFeatures, spatial: null };
  },
  params(node) {
    const { inFeatures, outFeatures, bias } = node.attrs;
    return [
      {
        name: 'weight',
        shape: [inFeatures, outFeatures],
        init: 'xavierNormal',
        trainable: true,
        outAxis: 1,
        inAxis: 0,
        fan: { in: inFeatures, out: outFeatures },
      },
      ...(bias
        ? [{ name: 'bias', shape: [outFeatures], init: 'zeros' as const, trainable: true, outAxis: 0 }]
        : []),
    ];
  },
  forward(node, inputs, params) {
    const y = tf.matMul(inputs[0] as tf.Tensor2D, params.weight as tf.Tensor2D);
    return node.attrs.bias ? y.add(params.bias) : y;
  },
  // docs/method.md section 4: numel(output) · 2 · in_features.
  flops: (node, _inputs, output) => output.channels * 2 * node.attrs.inFeatures,
  countsMemory: true,
};
