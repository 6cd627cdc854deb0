import type { LayerNode, NetDescription, Triple } from '../nn/description.js';
import { isDepthwise } from '../nn/description.js';
import { layerDef } from '../nn/layers/registry.js';
import { inferShapes } from '../nn/shapes.js';

export interface AdaptOptions {
  /** Transfer: the new dataset's input channels (replaces the first conv's input side). */
  inputChannels?: number;
  /** Transfer: the new dataset's classes (replaces the classifier's outputs). */
  classes?: number;
  /** Scale-up: multiply every layer's neurons (except the classifier's) by this. */
  widen?: number;
  /** Scale-up: train at this input size. */
  inputSize?: Triple;
}

/**
 * A pruned (or any) description re-targeted for training elsewhere, as in the paper's transfer and
 * scale-up experiments: new input channels, new classes, a width factor and an input size. Neuron
 * counts of 'neurons' layers are scaled (floor, at least 1); every other channel count is re-derived
 * from its producers in topological order, so concatenations and residual adds stay consistent.
 */
export function adaptNet(net: NetDescription, options: AdaptOptions): NetDescription {
  const widen = options.widen ?? 1;
  const channels = new Map<string, number>();
  const scaled = (n: number) => Math.max(1, Math.floor(n * widen + 1e-9));
  const nodes: LayerNode[] = net.nodes.map((node) => {
    const inputs = node.inputs.map((name) => {
      const c = channels.get(name);
      if (c === undefined)
        throw new Error(`adaptNet: '${node.name}' reads '${name}', which comes later or does not exist`);
      return c;
    });
    const copy = structuredClone(node) as LayerNode;
    let out: number;
    switch (copy.kind) {
      case 'input':
        out = copy.attrs.channels = options.inputChannels ?? copy.attrs.channels;
        break;
      case 'conv3d': {
        const depthwise = isDepthwise(node);
        copy.attrs.inChannels = inputs[0];
        out = depthwise
          ? inputs[0]
          : copy.name === net.classifier
            ? (options.classes ?? copy.attrs.outChannels)
            : scaled(copy.attrs.outChannels);
        copy.attrs.outChannels = out;
        if (depthwise) copy.attrs.groups = out;
        break;
      }
      case 'convTranspose3d':
        copy.attrs.inChannels = inputs[0];
        out = copy.attrs.outChannels =
          copy.name === net.classifier
            ? (options.classes ?? copy.attrs.outChannels)
            : scaled(copy.attrs.outChannels);
        break;
      case 'linear':
        copy.attrs.inFeatures = inputs[0];
        out = copy.attrs.outFeatures =
          copy.name === net.classifier
            ? (options.classes ?? copy.attrs.outFeatures)
            : scaled(copy.attrs.outFeatures);
        break;
      case 'batchNorm3d':
      case 'groupNorm3d':
      case 'instanceNorm3d':
        out = copy.attrs.channels = inputs[0];
        break;
      case 'concat':
        out = inputs.reduce((a, b) => a + b, 0);
        break;
      default:
        if (layerDef(copy).channelRole !== 'passthrough' && copy.kind !== 'add')
          throw new Error(`adaptNet: no channel rule for layer kind '${copy.kind}' ('${copy.name}')`);
        out = inputs[0];
    }
    channels.set(copy.name, out);
    return copy;
  });
  const adapted: NetDescription = {
    ...net,
    nodes,
    inputChannels: options.inputChannels ?? net.inputChannels,
    classes: options.classes ?? net.classes,
    inputSize: options.inputSize ?? net.inputSize,
    meta: {
      ...net.meta,
      ...(widen !== 1 ? { widenedBy: widen } : {}),
      ...(options.inputChannels !== undefined || options.classes !== undefined ? { transferred: true } : {}),
    },
  };
  inferShapes(adapted); // throws, naming the layer, if the result does not fit together
  return adapted;
}
