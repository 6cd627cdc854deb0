import type { LayerDef } from '../layer.js';
import { as5D } from '../ops.js';
import { groupNormalize } from './groupNorm3d.js';
import { affineParams, normFlops, normOutputShape } from './norm-shared.js';

/** Instance norm = group norm with one group per channel (affine, no running statistics). */
export const instanceNorm3dLayer: LayerDef<'instanceNorm3d'> = {
  kind: 'instanceNorm3d',
  channelRole: 'passthrough',
  outputShape: (node, inputs) => normOutputShape(node.name, node.attrs, inputs),
  params: (node) => affineParams(node.attrs.channels),
  forward(node, inputs, params) {
    const { channels, eps } = node.attrs;
    return groupNormalize(as5D(inputs[0], node.name), channels, eps, params.gamma, params.beta);
  },
  flops: (_node, inputs) => normFlops(inputs),
  countsMemory: true,
};
