import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { LayerError } from '../errors.js';
import { formatTriple } from '../padding.js';

/** Channel concatenation in input order (U-Net: [skip, upsampled]; Inception: [b0, b1b, b2b, b3b]). */
export const concatLayer: LayerDef<'concat'> = {
  kind: 'concat',
  channelRole: 'concat',
  outputShape(node, inputs) {
    if (inputs.length < 1) throw new LayerError(node.name, 'expects at least one input');
    const first = inputs[0].spatial;
    inputs.forEach((shape, i) => {
      const same =
        first === null
          ? shape.spatial === null
          : shape.spatial !== null && shape.spatial.every((n, a) => n === first[a]);
      if (!same)
        throw new LayerError(
          node.name,
          `input ${i} ('${node.inputs[i]}') has spatial size ${shape.spatial ? formatTriple(shape.spatial) : 'flat'}, input 0 has ${first ? formatTriple(first) : 'flat'}`,
        );
    });
    return { channels: inputs.reduce((sum, s) => sum + s.channels, 0), spatial: first };
  },
  params: () => [],
  forward: (_node, inputs) => tf.concat(inputs, -1),
  gradient: {
    reads: { inputs: false, output: false },
    backward: (_node, { dy, inputShapes }) => ({
      inputs: tf.split(
        dy,
        inputShapes.map((shape) => shape[shape.length - 1]),
        -1,
      ),
      params: {},
    }),
  },
  flops: () => 0,
  countsMemory: false,
  // One kernel each way, writing only its results (the backward's are the inputs' gradients).
  stepTemporaries: () => ({ forward: 0, backward: 0 }),
};
