import type { LayerNode, NetDescription } from '../nn/description.js';
import type { ChannelGraph } from './channels.js';

/** Positions of a node's channels that survive, given the kept channel groups. */
export function keptPositions(graph: ChannelGraph, node: string, keptGroups: Uint8Array): number[] {
  const channels = graph.channels.get(node);
  if (!channels) throw new Error(`net '${graph.net.name}' has no node '${node}'`);
  const kept: number[] = [];
  channels.forEach((g, j) => {
    if (keptGroups[g]) kept.push(j);
  });
  return kept;
}

function resizedNode(node: LayerNode, inChannels: number, outChannels: number): LayerNode {
  switch (node.kind) {
    case 'conv3d': {
      const depthwise = node.attrs.groups > 1;
      return {
        ...node,
        attrs: {
          ...node.attrs,
          inChannels,
          outChannels,
          groups: depthwise ? outChannels : node.attrs.groups,
        },
      };
    }
    case 'convTranspose3d':
      return { ...node, attrs: { ...node.attrs, inChannels, outChannels } };
    case 'linear':
      return { ...node, attrs: { ...node.attrs, inFeatures: inChannels, outFeatures: outChannels } };
    case 'batchNorm3d':
    case 'instanceNorm3d':
      return { ...node, attrs: { ...node.attrs, channels: outChannels } };
    case 'groupNorm3d': {
      const groups = node.attrs.groups ?? 1;
      if (outChannels % groups !== 0) {
        throw new Error(
          `group norm '${node.name}': ${outChannels} channels left, not divisible by ${groups} groups`,
        );
      }
      return { ...node, attrs: { ...node.attrs, channels: outChannels } };
    }
    default:
      return node;
  }
}

/**
 * The physically smaller description: every node's channel attributes set to the surviving
 * channel counts. Node names, order and wiring are unchanged, so weights map by name.
 */
export function prunedDescription(
  graph: ChannelGraph,
  keptGroups: Uint8Array,
  meta: Record<string, string | number | boolean>,
): NetDescription {
  const { net } = graph;
  const nodes = net.nodes.map((node) => {
    const out = keptPositions(graph, node.name, keptGroups).length;
    const input = node.inputs[0];
    const inCount = input === undefined ? out : keptPositions(graph, input, keptGroups).length;
    return resizedNode(node, inCount, out);
  });
  return { ...net, nodes, meta: { ...net.meta, ...meta } };
}
