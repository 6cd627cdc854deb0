import * as tf from '@tensorflow/tfjs';
import type { LayerDef } from '../layer.js';
import { LayerError } from '../errors.js';

/** Element-wise sum (residual connection): a functional op in the reference nets, so 0 FLOPs and no memory. */
export const addLayer: LayerDef<'add'> = {
  kind: 'add',
  channelRole: 'add',
  outputShape(node, inputs) {
    if (inputs.length < 2) throw new LayerError(node.name, `expects at least 2 inputs, got ${inputs.length}`);
    const key = (i: number) => JSON.stringify(inputs[i]);
    inputs.forEach((_, i) => {
      if (key(i) !== key(0))
        throw new LayerError(
          node.name,
          `input ${i} ('${node.inputs[i]}') has shape ${key(i)}, input 0 has ${key(0)}`,
        );
    });
    return inputs[0];
  },
  params: () => [],
  forward: (_node, inputs) => tf.addN(inputs),
  gradient: {
    reads: { inputs: false, output: false },
    backward: (_node, { dy, inputShapes }) => ({ inputs: inputShapes.map(() => dy), params: {} }),
  },
  flops: () => 0,
  countsMemory: false,
};
