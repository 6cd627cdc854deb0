/**
 * The network description: one plain, JSON-serializable value that is the single source of truth
 * for a net. The engine builds the trainable model from it, counts its resources, prunes it and
 * materializes smaller nets as new descriptions; the UI draws its graph.
 *
 * Tensors are NDHWC (tfjs's layout). A node's `inputs` are producer node names, in order (the
 * order matters for concat). Nodes are stored in topological order.
 */

import type { Triple } from '../protocol/common.js';

export type { Triple };

/** Explicit padding per spatial axis as [before, after]. */
export type Padding3 = [[number, number], [number, number], [number, number]];

/**
 * 'same' is TensorFlow-style padding computed from the input size (I3D): total pad =
 * max(k - s, 0) if n mod s = 0 else max(k - n mod s, 0), split floor before / ceil after.
 */
export type PaddingSpec = Padding3 | 'same';

export interface Conv3dAttrs {
  inChannels: number;
  outChannels: number;
  kernel: Triple;
  stride: Triple;
  padding: PaddingSpec;
  /** groups === inChannels === outChannels is a depthwise conv. */
  groups: number;
  bias: boolean;
}

export interface ConvTranspose3dAttrs {
  inChannels: number;
  outChannels: number;
  kernel: Triple;
  stride: Triple;
  padding: PaddingSpec;
  bias: boolean;
}

export interface NormAttrs {
  channels: number;
  eps: number;
  /** Weight of the new batch statistics in the running average (PyTorch's momentum). */
  momentum?: number;
  /** Group norm only. */
  groups?: number;
}

export interface PoolAttrs {
  kernel: Triple;
  stride: Triple;
  padding: PaddingSpec;
  /**
   * Clamp the kernel per axis to the (padded) input's extent instead of failing (I3D's final
   * (2,7,7) average pool at inputs smaller than 16×224²).
   */
  clampKernel?: boolean;
}

export interface UpsampleAttrs {
  /** Nearest upsampling to the spatial size of this node's second input (U-Net skip), or by a scale. */
  mode: 'matchSecondInput' | 'scale';
  scale?: Triple;
}

export interface LinearAttrs {
  inFeatures: number;
  outFeatures: number;
  bias: boolean;
}

export interface DropoutAttrs {
  rate: number;
}

export type NoAttrs = Record<string, never>;

/** Every layer kind and its attributes. Adding a kind: one file in layers/, one entry here and in layers/registry.ts. */
export interface LayerAttrsByKind {
  input: { channels: number };
  conv3d: Conv3dAttrs;
  convTranspose3d: ConvTranspose3dAttrs;
  batchNorm3d: NormAttrs;
  groupNorm3d: NormAttrs;
  instanceNorm3d: NormAttrs;
  relu: NoAttrs;
  relu6: NoAttrs;
  maxPool3d: PoolAttrs;
  avgPool3d: PoolAttrs;
  upsampleNearest3d: UpsampleAttrs;
  concat: NoAttrs;
  add: NoAttrs;
  /** Mean over all spatial positions; output is flat [N, C]. */
  globalAvgPool: NoAttrs;
  dropout: DropoutAttrs;
  /** On a flat [N, C] input. */
  linear: LinearAttrs;
  /** Softmax over channels; applied at evaluation only (counted only where the net declares it). */
  softmax: NoAttrs;
}

export type LayerKind = keyof LayerAttrsByKind;

export type LayerNodeOf<K extends LayerKind> = {
  name: string;
  kind: K;
  inputs: string[];
  attrs: LayerAttrsByKind[K];
  /**
   * The reference implementation applies this layer as a function, not a module (I3D's ReLU
   * inside each conv unit), so the paper's memory counter never sees its output
   * (engine/domain/memory.ts, docs/method.md section 4).
   */
  functional?: true;
};

export type LayerNode = { [K in LayerKind]: LayerNodeOf<K> }[LayerKind];

export type { TaskName } from '../domain/tasks.js';
import type { TaskName } from '../domain/tasks.js';

export interface NetDescription {
  format: 'ranp-net';
  version: 1;
  /** Zoo name it was built from, e.g. 'unet3d-shapenet'. */
  name: string;
  task: TaskName;
  inputChannels: number;
  classes: number;
  /** Default training input size (D, H, W). */
  inputSize: Triple;
  nodes: LayerNode[];
  /** Name of the node whose output is the net's output (logits). */
  output: string;
  /** Name of the classifier layer: prunable but always kept whole. */
  classifier: string;
  /** Free-form provenance: width multiplier, pruned-from, method, sparsity… */
  meta: Record<string, string | number | boolean>;
}

/**
 * The shape of one node's output for batch 1, without the batch axis.
 * spatial is null for flat outputs ([N, C]).
 */
export interface FeatureShape {
  channels: number;
  spatial: Triple | null;
}

/** Layer kinds whose output channels are neurons scored and pruned by RANP. */
export const PRUNABLE_KINDS: readonly LayerKind[] = ['conv3d', 'convTranspose3d', 'linear'];

export function isPrunable(node: LayerNode): boolean {
  return PRUNABLE_KINDS.includes(node.kind);
}

export function isDepthwise(node: LayerNode): boolean {
  return (
    node.kind === 'conv3d' &&
    node.attrs.groups > 1 &&
    node.attrs.groups === node.attrs.inChannels &&
    node.attrs.groups === node.attrs.outChannels
  );
}

export function nodeByName(net: NetDescription, name: string): LayerNode {
  const node = net.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`net '${net.name}' has no layer named '${name}'`);
  return node;
}

/** Consumers of every node, in node order. */
export function consumersOf(net: NetDescription): Map<string, LayerNode[]> {
  const consumers = new Map<string, LayerNode[]>(net.nodes.map((n) => [n.name, []]));
  for (const node of net.nodes) for (const input of node.inputs) consumers.get(input)?.push(node);
  return consumers;
}
