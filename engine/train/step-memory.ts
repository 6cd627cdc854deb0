import * as tf from '@tensorflow/tfjs';
import { fusedBatchNorms, hasFusedBatchNorm } from '../nn/batch-norm-fusion.js';
import type { LayerNode, NetDescription, Triple } from '../nn/description.js';
import { defaultStepTemporaries } from '../nn/layer.js';
import { layerDef } from '../nn/layers/registry.js';
import { ancestorsOf, inferShapes, inputShapesOf } from '../nn/shapes.js';
import { planStep } from '../nn/step-plan.js';
import { numel } from '../nn/window.js';
import { lossEntryFor } from '../tasks/registry.js';

const FLOAT_BYTES = 4;
/**
 * Allocation the replay does not see (per-channel vectors, rounding of small buffers): the replay
 * is within 5% of the tf.profile peak of the zoo nets' steps (test/unit/train/step-memory.test.ts),
 * so 5% keeps it on the safe side.
 */
export const SAFETY_MARGIN = 1.05;

/** A training step's predicted tensor memory, in bytes. */
export interface StepMemoryEstimate {
  /** Most bytes live at once: `fixedBytes` plus the activations and gradients in flight. */
  peakBytes: number;
  /** Weights, their gradients and the optimizer's state. */
  fixedBytes: number;
}

export interface StepMemoryOptions {
  /**
   * Whether the step runs the fused batch-norm and loss kernels (the native cpu path registers
   * them: engine/nn/batch-norm-fusion.ts, engine/backend/fused-losses.ts) or their composed tf ops,
   * whose temporaries take several volumes more. Default: what the current backend has.
   */
  fusedKernels?: boolean;
  /** Activation checkpointing (backprop.ts): each layer chain's activations recomputed in its backward. */
  checkpoint?: boolean;
}

/**
 * Replays the memory-lean step's liveness plan (engine/nn/step-plan.ts, the one backprop.ts runs)
 * on byte counts: each layer output lives from its forward until its last forward consumer and
 * backward reader are done, each ∂loss/∂output until its layer's backward. Instant, so a run can
 * be refused before it dies of OOM and the form can show the cost of a batch or input size.
 */
export function estimateStepMemory(
  net: NetDescription,
  inputSize: Triple,
  batch: number,
  optimizerSlots: number,
  options: StepMemoryOptions = {},
): StepMemoryEstimate {
  const shapes = inferShapes(net, inputSize);
  const nodes = ancestorsOf(net, net.output);
  const loss = lossEntryFor(net.task);
  const backend = tf.getBackend();
  const fusedLoss = options.fusedKernels ?? loss.fusedKernels.every((k) => tf.getKernel(k, backend));
  // A fused pair (backprop.ts runs planBatchNormFusion's) holds no temporaries: one kernel each way.
  const fused =
    (options.fusedKernels ?? hasFusedBatchNorm()) ? fusedBatchNorms(nodes, net.output) : undefined;
  const isFused = (node: LayerNode) =>
    !!fused && (fused.withRelu.has(node.name) || fused.absorbed.has(node.name));
  const bytesOf = (name: string) => numel(shapes.get(name)!) * batch * FLOAT_BYTES;
  const paramBytesOf = (node: LayerNode, trainedOnly: boolean) =>
    layerDef(node)
      .params(node)
      .filter((p) => p.trainable || !trainedOnly)
      .reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1) * FLOAT_BYTES, 0);
  const trained = new Map(nodes.map((node) => [node.name, paramBytesOf(node, true)]));
  const weightBytes = nodes.reduce((sum, node) => sum + paramBytesOf(node, false), 0);
  const gradientBytes = [...trained.values()].reduce((a, b) => a + b, 0);
  const plan = planStep(nodes, net.output, (node) => trained.get(node.name)! > 0, options.checkpoint);
  const inputBytes = numel({ channels: net.inputChannels, spatial: inputSize }) * batch * FLOAT_BYTES;
  // Weights and optimizer state, and the input batch with its labels, stay for the whole step.
  let live = weightBytes + gradientBytes * optimizerSlots + inputBytes * (1 + 1 / net.inputChannels);
  const fixedBytes = weightBytes + gradientBytes * (1 + optimizerSlots);
  let peak = live;
  const sample = (extra: number) => (peak = Math.max(peak, live + extra));
  const outputs = new Set<string>();
  const produce = (name: string) => {
    outputs.add(name);
    live += bytesOf(name);
  };
  const release = (names: string[]) => {
    for (const name of names) if (outputs.delete(name)) live -= bytesOf(name);
  };

  const temporaries = (node: LayerNode) => {
    if (isFused(node)) return { forward: 0, backward: 0 };
    const inputs = inputShapesOf(node, shapes, net, inputSize);
    const output = shapes.get(node.name)!;
    const elements =
      layerDef(node).stepTemporaries?.(node, inputs, output) ?? defaultStepTemporaries(inputs, output);
    return {
      forward: elements.forward * batch * FLOAT_BYTES,
      backward: elements.backward * batch * FLOAT_BYTES,
    };
  };
  for (const node of nodes) {
    produce(node.name);
    sample(temporaries(node).forward);
    release(plan.forwardDone(node));
    release(plan.chains.get(node.name)?.inner.map((n) => n.name) ?? []);
  }
  const logits = bytesOf(net.output);
  sample((fusedLoss ? loss.stepTemporaries.fused : loss.stepTemporaries.composed) * logits);
  const dOutputs = new Set<string>([net.output]);
  live += logits;
  release(plan.lossDone());

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!plan.needsGrad.has(node.name)) continue;
    const chain = plan.chains.get(node.name);
    if (chain) {
      chain.inner.forEach((inner, k) => {
        produce(inner.name);
        sample(temporaries(inner).forward);
        if (k > 0 && !plan.backwardReadsLeft(chain.inner[k - 1].name)) release([chain.inner[k - 1].name]);
      });
      const lastInner = chain.inner[chain.inner.length - 1].name;
      if (!plan.backwardReadsLeft(lastInner)) release([lastInner]);
    }
    if (dOutputs.delete(node.name)) {
      const wanted = node.inputs.filter((name) => plan.needsGrad.has(name));
      const inputGradBytes = wanted.reduce((sum, name) => sum + bytesOf(name), 0);
      sample(inputGradBytes + trained.get(node.name)! + temporaries(node).backward);
      live += trained.get(node.name)! - bytesOf(node.name);
      for (const name of new Set(wanted))
        if (!dOutputs.has(name)) {
          dOutputs.add(name);
          live += bytesOf(name);
        }
    }
    release(plan.backwardDone(node));
  }
  return { peakBytes: Math.ceil(peak * SAFETY_MARGIN), fixedBytes };
}
