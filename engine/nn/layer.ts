import type * as tf from '@tensorflow/tfjs';
import type { FeatureShape, LayerAttrsByKind, LayerKind, LayerNodeOf } from './description.js';
import { numel } from './window.js';

/** How a parameter is initialized (docs/method.md step 1). */
export type ParamInit = 'xavierNormal' | 'standardNormal' | 'gammaNormal' | 'zeros' | 'ones';

/** One parameter tensor a layer owns; the axes say how pruning slices it. */
export interface ParamSpec {
  /** 'weight' | 'bias' | 'gamma' | 'beta' | 'runningMean' | 'runningVar' */
  name: string;
  shape: number[];
  init: ParamInit;
  /** Running statistics are not trained and not counted as params. */
  trainable: boolean;
  /** Axis indexed by the layer's output channel (neuron). */
  outAxis: number;
  /** Axis indexed by the layer's input channel, if any (not for depthwise filters). */
  inAxis?: number;
  /** Fan-in and fan-out for Xavier initialization. */
  fan?: { in: number; out: number };
}

/** How a layer's output channels relate to its inputs' channels (pruning couples through this). */
export type ChannelRole =
  | 'neurons' //      the layer creates a new channel space: its output channels are neurons
  | 'depthwise' //    neurons, one per input channel: neuron j is coupled to input channel j
  | 'passthrough' //  output channel j is input channel j (norm, activation, pooling, upsampling, dropout)
  | 'concat' //       output channels are the inputs' channels, in input order
  | 'add' //          output channel j is the sum of every input's channel j (coupled)
  | 'source'; //      the network input

export type Params = Record<string, tf.Tensor>;

export interface ForwardContext {
  training: boolean;
  /** Seeded randomness for dropout. */
  seed: number;
  /** New running statistics computed in training mode, to be assigned after the step. */
  statUpdates: Map<string, tf.Tensor>;
  /**
   * Set by the memory-lean backward pass (backprop.ts) while it runs a layer's training forward:
   * small tensors (batch statistics) the layer's `backward` reads instead of recomputing them.
   */
  saveForBackward?: (tensors: Record<string, tf.Tensor>) => void;
}

/** What a layer's `backward` is given (backprop.ts keeps exactly what `reads` names alive until then). */
export interface BackwardArgs {
  /** The layer's inputs when `reads.inputs`, else null each. */
  inputs: (tf.Tensor | null)[];
  /** Shapes of the inputs (always known, even when the tensors were released). */
  inputShapes: number[][];
  /** The layer's output when `reads.output`, else null. */
  output: tf.Tensor | null;
  params: Params;
  /** Names of the params whose gradients are wanted (the trainable ones). */
  trainable: readonly string[];
  /** The dropout seed of the step (a recomputed forward must draw the same masks). */
  seed: number;
  /** What the forward passed to ctx.saveForBackward. */
  saved: Record<string, tf.Tensor>;
  /** ∂loss/∂output. */
  dy: tf.Tensor;
  /** Per input: whether its gradient is needed (false for the net input and what only depends on it). */
  wantInput: boolean[];
}

export interface LayerGradients {
  /** ∂loss/∂input per input; null where not wanted. */
  inputs: (tf.Tensor | null)[];
  /** ∂loss/∂param for every trainable param of the layer, by param name. */
  params: Record<string, tf.Tensor>;
}

/**
 * A hand-written gradient. Layers without one are differentiated by backprop.ts by recomputing
 * their forward under tf.grads (correct for any layer, but it keeps the inputs and repeats the
 * forward), so the hot layers (conv, norm, activation, pooling, joins) have one.
 */
export interface LayerBackward<K extends LayerKind> {
  reads: { inputs: boolean; output: boolean };
  backward(node: LayerNodeOf<K>, args: BackwardArgs): LayerGradients;
}

/** Everything the engine knows about one layer kind. One file per kind, one registry line. */
export interface LayerDef<K extends LayerKind> {
  kind: K;
  channelRole: ChannelRole;
  /** Shape check up front: throws a specific error naming the layer. */
  outputShape(node: LayerNodeOf<K>, inputs: FeatureShape[]): FeatureShape;
  params(node: LayerNodeOf<K>): ParamSpec[];
  forward(node: LayerNodeOf<K>, inputs: tf.Tensor[], params: Params, ctx: ForwardContext): tf.Tensor;
  /** FLOPs for batch 1 (multiply-add = 1), docs/method.md section 4. */
  flops(node: LayerNodeOf<K>, inputs: FeatureShape[], output: FeatureShape): number;
  /** Whether the output counts as feature-map memory (layer modules do; pure tensor ops do not). */
  countsMemory: boolean;
  gradient?: LayerBackward<K>;
  /**
   * Elements (per sample) of the temporaries the layer's training forward and backward hold beside
   * their results; engine/train/step-memory.ts predicts a step's peak from them. Default
   * {@link defaultStepTemporaries}.
   */
  stepTemporaries?(node: LayerNodeOf<K>, inputs: FeatureShape[], output: FeatureShape): StepTemporaries;
}

export interface StepTemporaries {
  forward: number;
  backward: number;
}

/** A layer of a few fused ops: one temporary of its largest tensor in the forward, two in the backward (e.g. dx and a mask). */
export function defaultStepTemporaries(inputs: FeatureShape[], output: FeatureShape): StepTemporaries {
  const largest = Math.max(numel(output), ...inputs.map(numel));
  return { forward: largest, backward: 2 * largest };
}

export type AnyLayerDef = { [K in LayerKind]: LayerDef<K> }[LayerKind];
export type { LayerAttrsByKind };
