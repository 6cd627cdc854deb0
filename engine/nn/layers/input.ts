import type { LayerDef } from '../layer.js';
import { LayerError } from '../errors.js';
import { expectChannels, expectInputCount } from '../window.js';

/** The network input; shapes.ts hands it the input size as its one input shape. */
export const inputLayer: LayerDef<'input'> = {
  kind: 'input',
  channelRole: 'source',
  outputShape(node, inputs) {
    expectInputCount(node.name, inputs, 1);
    expectChannels(node.name, inputs[0], node.attrs.channels);
    return inputs[0];
  },
  params: () => [],
  forward(node, inputs) {
    const [x] = inputs;
    if (x.rank !== 5 || x.shape[4] !== node.attrs.channels)
      throw new LayerError(
        node.name,
        `expects an NDHWC input with ${node.attrs.channels} channels, got [${x.shape.join(',')}]`,
      );
    return x;
  },
  flops: () => 0,
  countsMemory: false,
};
