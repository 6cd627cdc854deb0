import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from '../backend/fused-kernel.js';
import {
  BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD,
  type BatchNormTrainingAttrs,
  type BatchNormTrainingGradAttrs,
} from '../backend/fused-batch-norm.js';
import type { LayerNode } from './description.js';
import type { BackwardArgs, ForwardContext, LayerGradients, Params } from './layer.js';
import { setRunningStatistics } from './layers/batchNorm3d.js';
import { as5D } from './ops.js';

/**
 * The memory-lean step's fused batch norms (engine/backend/fused-batch-norm.ts): on a backend with
 * the fused kernels, every training batch norm runs as one kernel forward and one backward, and a
 * ReLU that is its output's only reader runs inside it (the ReLU layer then passes its input and its
 * gradient through). Undefined from `forward`/`backward` means the layer runs as written
 * (batchNorm3d.ts's composed ops): other backends, other layers.
 */
export interface BatchNormFusion {
  forward(node: LayerNode, inputs: tf.Tensor[], params: Params, ctx: ForwardContext): tf.Tensor | undefined;
  backward(node: LayerNode, args: BackwardArgs): LayerGradients | undefined;
}

const NONE: BatchNormFusion = { forward: () => undefined, backward: () => undefined };

/** Whether the current backend has the fused batch-norm kernels (the native cpu path registers them). */
export function hasFusedBatchNorm(): boolean {
  const backend = tf.getBackend();
  return !!tf.getKernel(BATCH_NORM_TRAINING, backend) && !!tf.getKernel(BATCH_NORM_TRAINING_GRAD, backend);
}

/** Which batch norms absorb the ReLU after it, and those ReLUs: the step's fused pairs. */
export interface FusedBatchNorms {
  /** Every training batch norm → whether it runs the ReLU after it. */
  withRelu: ReadonlyMap<string, boolean>;
  /** The ReLUs run inside their batch norm (they pass their input and their gradient through). */
  absorbed: ReadonlySet<string>;
}

/**
 * The fused pairs of `nodes` (topological order), whatever the backend: backprop.ts runs them,
 * engine/train/step-memory.ts counts their memory. `output` (the logits) is read by the loss, so a
 * norm producing it keeps its output.
 */
export function fusedBatchNorms(nodes: readonly LayerNode[], output: string): FusedBatchNorms {
  const readers = new Map<string, LayerNode[]>();
  for (const node of nodes)
    for (const input of node.inputs) readers.set(input, [...(readers.get(input) ?? []), node]);
  const withRelu = new Map<string, boolean>();
  const absorbed = new Set<string>();
  for (const node of nodes) {
    if (node.kind !== 'batchNorm3d') continue;
    const next = readers.get(node.name) ?? [];
    const fuses =
      node.name !== output && next.length === 1 && next[0].kind === 'relu' && next[0].inputs.length === 1;
    withRelu.set(node.name, fuses);
    if (fuses) absorbed.add(next[0].name);
  }
  return { withRelu, absorbed };
}

/** `nodes` in topological order; `output` (the logits) is read by the loss, so a norm producing it keeps its output. */
export function planBatchNormFusion(nodes: readonly LayerNode[], output: string): BatchNormFusion {
  if (!hasFusedBatchNorm()) return NONE;
  const { withRelu, absorbed } = fusedBatchNorms(nodes, output);

  return {
    forward(node, inputs, params, ctx): tf.Tensor | undefined {
      if (absorbed.has(node.name)) return inputs[0];
      if (node.kind !== 'batchNorm3d') return undefined;
      const x = as5D(inputs[0], node.name);
      const attrs: BatchNormTrainingAttrs = { eps: node.attrs.eps, relu: withRelu.get(node.name)! };
      const [y, mean, variance, invStd] = runFusedKernel(
        BATCH_NORM_TRAINING,
        { x, gamma: params.gamma, beta: params.beta },
        attrs,
      )!;
      setRunningStatistics(node, params, ctx, mean, variance, x.size / node.attrs.channels);
      ctx.saveForBackward?.({ mean, invStd });
      return y;
    },
    backward(node, args): LayerGradients | undefined {
      if (absorbed.has(node.name)) return { inputs: [args.dy], params: {} };
      if (node.kind !== 'batchNorm3d') return undefined;
      const { gamma, beta } = args.params;
      const attrs: BatchNormTrainingGradAttrs = { relu: withRelu.get(node.name)! };
      const [dx, dgamma, dbeta] = runFusedKernel(
        BATCH_NORM_TRAINING_GRAD,
        { x: args.inputs[0]!, dy: args.dy, mean: args.saved.mean, invStd: args.saved.invStd, gamma, beta },
        attrs,
      )!;
      return { inputs: [dx], params: { gamma: dgamma, beta: dbeta } };
    },
  };
}
