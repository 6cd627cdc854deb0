import type { LayerNode, NetDescription } from '../nn/description.js';
import { isDepthwise, isPrunable } from '../nn/description.js';
import type { ChannelRole } from '../nn/layer.js';
import { channelRoleOfKind } from './roles.js';

/**
 * The channel graph of a net: every channel of every node's output is mapped to a coupled channel
 * group. A group is the set of neurons that must be kept or removed together: a neuron alone in
 * the plain case, all partners of a residual add, a depthwise conv's neuron and the input channel
 * it filters. Concats and passthrough layers (norm, activation, pooling, upsampling) carry their
 * inputs' groups, so channel offsets through concatenations come out of the walk itself.
 */
export interface ChannelGraph {
  net: NetDescription;
  /** Output channels of every node as group ids, position j = channel j. */
  channels: Map<string, Int32Array>;
  groupCount: number;
  /** 1 for groups that contain a channel of the network input: never removable. */
  sourceGroups: Uint8Array;
  prunable: PrunableLayer[];
}

export interface PrunableLayer {
  name: string;
  node: LayerNode;
  neurons: number;
  /** Depthwise: neuron j reads only input channel j (same group); otherwise every input channel. */
  depthwise: boolean;
  /** Group of each of the layer's input channels. */
  inputGroups: Int32Array;
  /** Group of each neuron (= the layer's output channels). */
  neuronGroups: Int32Array;
}

/** Effective channel role of a node: a depthwise conv couples its neurons to its input. */
export function channelRole(node: LayerNode): ChannelRole {
  if (node.kind === 'conv3d' && node.attrs.groups > 1 && !isDepthwise(node)) {
    throw new Error(
      `layer '${node.name}': grouped conv with groups=${node.attrs.groups} (not depthwise) cannot be pruned by channel`,
    );
  }
  return isDepthwise(node) ? 'depthwise' : channelRoleOfKind(node.kind);
}

/** Number of output channels (neurons) of a prunable layer. */
export function neuronCount(node: LayerNode): number {
  switch (node.kind) {
    case 'conv3d':
    case 'convTranspose3d':
      return node.attrs.outChannels;
    case 'linear':
      return node.attrs.outFeatures;
    default:
      throw new Error(`layer '${node.name}' (${node.kind}) is not prunable`);
  }
}

class UnionFind {
  private readonly parent: number[] = [];
  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }
  find(a: number): number {
    let root = a;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[a] !== root) {
      const next = this.parent[a];
      this.parent[a] = root;
      a = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  get size(): number {
    return this.parent.length;
  }
}

export function buildChannelGraph(net: NetDescription): ChannelGraph {
  const atoms = new UnionFind();
  const sourceAtoms: number[] = [];
  const atomChannels = new Map<string, number[]>();
  const inputOf = (node: LayerNode, i: number): number[] => {
    const name = node.inputs[i];
    const channels = name === undefined ? undefined : atomChannels.get(name);
    if (!channels) {
      throw new Error(
        `layer '${node.name}': input ${i} ('${name ?? 'missing'}') is not an earlier node of net '${net.name}'`,
      );
    }
    return channels;
  };

  for (const node of net.nodes) {
    const role = channelRole(node);
    let out: number[];
    switch (role) {
      case 'source': {
        if (node.kind !== 'input') throw new Error(`layer '${node.name}': role 'source' needs an input node`);
        out = Array.from({ length: node.attrs.channels }, () => atoms.add());
        sourceAtoms.push(...out);
        break;
      }
      case 'neurons':
        out = Array.from({ length: neuronCount(node) }, () => atoms.add());
        break;
      case 'depthwise': {
        const input = inputOf(node, 0);
        const n = neuronCount(node);
        if (input.length !== n) {
          throw new Error(`depthwise layer '${node.name}': ${n} neurons but ${input.length} input channels`);
        }
        out = input.map((inputAtom) => {
          const atom = atoms.add();
          atoms.union(atom, inputAtom);
          return atom;
        });
        break;
      }
      case 'passthrough':
        out = inputOf(node, 0);
        break;
      case 'concat':
        out = node.inputs.flatMap((_, i) => inputOf(node, i));
        break;
      case 'add': {
        out = inputOf(node, 0);
        for (let i = 1; i < node.inputs.length; i++) {
          const other = inputOf(node, i);
          if (other.length !== out.length) {
            throw new Error(
              `add layer '${node.name}': input '${node.inputs[i]}' has ${other.length} channels, '${node.inputs[0]}' has ${out.length}`,
            );
          }
          other.forEach((atom, j) => atoms.union(atom, out[j]));
        }
        break;
      }
    }
    atomChannels.set(node.name, out);
  }

  const groupOfRoot = new Map<number, number>();
  const groupOf = (atom: number): number => {
    const root = atoms.find(atom);
    let group = groupOfRoot.get(root);
    if (group === undefined) {
      group = groupOfRoot.size;
      groupOfRoot.set(root, group);
    }
    return group;
  };
  const channels = new Map<string, Int32Array>();
  for (const [name, list] of atomChannels) channels.set(name, Int32Array.from(list, groupOf));
  const sourceGroups = new Uint8Array(groupOfRoot.size);
  for (const atom of sourceAtoms) sourceGroups[groupOf(atom)] = 1;

  const prunable: PrunableLayer[] = net.nodes.filter(isPrunable).map((node) => ({
    name: node.name,
    node,
    neurons: neuronCount(node),
    depthwise: isDepthwise(node),
    inputGroups: channels.get(node.inputs[0])!,
    neuronGroups: channels.get(node.name)!,
  }));
  if (!net.nodes.some((n) => n.name === net.classifier && isPrunable(n))) {
    throw new Error(`net '${net.name}': classifier '${net.classifier}' is not a prunable layer`);
  }
  return { net, channels, groupCount: groupOfRoot.size, sourceGroups, prunable };
}
