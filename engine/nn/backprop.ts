import * as tf from '@tensorflow/tfjs';
import { planBatchNormFusion } from './batch-norm-fusion.js';
import type { LayerNode } from './description.js';
import type { BackwardArgs, ForwardContext, LayerGradients, Params } from './layer.js';
import { layerDef } from './layers/registry.js';
import { recomputeGradients } from './recompute-gradients.js';
import { backwardReads, planStep } from './step-plan.js';

/** One training step's loss and gradients from the memory-lean backward pass. */
export interface StepGradients {
  loss: tf.Scalar;
  /** ∂loss/∂parameter for every trainable parameter on the path to the loss, by `${layer}.${param}`. */
  grads: Map<string, tf.Tensor>;
  /** New running statistics by variable key, for the caller to assign after the update. */
  statUpdates: Map<string, tf.Tensor>;
  /** Most bytes held by live tensors at any point of the step (sampled inside every layer's forward and backward). */
  peakBytes: number;
}

/** A layer's parameters for one step and which of them are trained. */
export interface LayerParams {
  params: Params;
  trainable: string[];
}

/**
 * Forward and backward of a training step, layer by layer, keeping only what the backward pass
 * reads. tfjs's own tape (tf.variableGrads) keeps every intermediate of every op until the whole
 * backward is done, and every gradient too: 3–7× the memory PyTorch needs. Here each layer's
 * forward runs in its own tf.tidy, so its intermediates die with it; a layer output lives until
 * its last reader's backward (the layer itself when `gradient.reads.output`, each consumer when
 * its `reads.inputs`), and each ∂loss/∂output dies as soon as its layer has used it.
 *
 * `nodes` are in topological order and include `output`; `objective` maps the output (logits)
 * to the scalar loss and is differentiated by tfjs (it touches only the logits).
 */
export function backpropagate(
  nodes: readonly LayerNode[],
  output: string,
  paramsOf: (node: LayerNode) => LayerParams,
  x: tf.Tensor,
  objective: (logits: tf.Tensor) => tf.Scalar,
  seed: number,
  /**
   * Activation checkpointing: each chain of layers (step-plan.ts's checkpointChains) keeps only its
   * last output after the forward and runs its forward again from its inputs before its backward:
   * less memory, one more forward of those layers. The recomputed tensors are the same values
   * (same inputs, same kernels, same dropout seeds), so the gradients are bit for bit the same.
   */
  checkpoint = false,
): StepGradients {
  let peakBytes = 0;
  const sample = () => (peakBytes = Math.max(peakBytes, tf.memory().numBytes));
  const layerParams = new Map(nodes.map((node) => [node.name, paramsOf(node)]));
  const plan = planStep(
    nodes,
    output,
    (node) => layerParams.get(node.name)!.trainable.length > 0,
    checkpoint,
  );
  const { needsGrad } = plan;
  const fusion = planBatchNormFusion(nodes, output);

  const outputs = new Map<string, tf.Tensor>();
  const saved = new Map<string, Record<string, tf.Tensor>>();
  const inputShapes = new Map<string, number[][]>();
  const statUpdates = new Map<string, tf.Tensor>();
  const dOutputs = new Map<string, tf.Tensor>();
  const grads = new Map<string, tf.Tensor>();
  let loss: tf.Scalar | undefined;
  const release = (names: string[]) => {
    for (const name of names) {
      outputs.get(name)?.dispose();
      outputs.delete(name);
    }
  };

  /** `node`'s training forward; a recomputation (checkpointing) replaces what it saves and drops its statistics. */
  const forward = (node: LayerNode, recomputed: boolean) => {
    const inputs = node.kind === 'input' ? [x] : node.inputs.map((name) => outputs.get(name)!);
    inputShapes.set(
      node.name,
      inputs.map((t) => t.shape),
    );
    const { params } = layerParams.get(node.name)!;
    const y = tf.tidy(() => {
      const ctx: ForwardContext = {
        training: true,
        seed,
        statUpdates: new Map(),
        saveForBackward: (tensors) => {
          for (const t of Object.values(tensors)) tf.keep(t);
          tf.dispose(Object.values(saved.get(node.name) ?? {}));
          saved.set(node.name, tensors);
        },
      };
      const out =
        fusion.forward(node, inputs, params, ctx) ?? layerDef(node).forward(node, inputs, params, ctx);
      if (!recomputed) ctx.statUpdates.forEach((t, key) => statUpdates.set(key, tf.keep(t)));
      sample();
      // An identity layer returns its input: give the output its own handle, released on its own.
      return inputs.includes(out) || Object.values(params).includes(out) ? out.clone() : out;
    });
    outputs.set(node.name, y);
  };

  try {
    for (const node of nodes) {
      forward(node, false);
      release(plan.forwardDone(node));
      // A checkpointed chain keeps only its last output (its backward recomputes the rest).
      release(plan.chains.get(node.name)?.inner.map((n) => n.name) ?? []);
    }

    const gradient = tf.tidy(() => {
      const result = tf.valueAndGrad(objective)(outputs.get(output)!);
      sample();
      return result;
    });
    loss = gradient.value as tf.Scalar;
    dOutputs.set(output, gradient.grad);
    release(plan.lossDone());

    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      if (!needsGrad.has(node.name)) continue;
      const chain = plan.chains.get(node.name);
      if (chain)
        chain.inner.forEach((inner, k) => {
          forward(inner, true);
          // Kept only while the next recomputed layer or some backward still reads it.
          if (k > 0 && !plan.backwardReadsLeft(chain.inner[k - 1].name)) release([chain.inner[k - 1].name]);
        });
      const lastInner = chain?.inner[chain.inner.length - 1].name;
      if (lastInner && !plan.backwardReadsLeft(lastInner)) release([lastInner]);
      const dy = dOutputs.get(node.name);
      if (dy) {
        dOutputs.delete(node.name);
        const layer = layerGradients(node, {
          inputs: backwardReads(node).inputs
            ? node.inputs.map((name) => outputs.get(name)!)
            : node.inputs.map(() => null),
          inputShapes: inputShapes.get(node.name)!,
          output: backwardReads(node).output ? outputs.get(node.name)! : null,
          params: layerParams.get(node.name)!.params,
          trainable: layerParams.get(node.name)!.trainable,
          seed,
          saved: saved.get(node.name) ?? {},
          dy,
          wantInput: node.inputs.map((name) => needsGrad.has(name)),
        });
        dy.dispose();
        layer.inputs.forEach((g, k) => g && accumulate(dOutputs, node.inputs[k], g));
        for (const [name, g] of Object.entries(layer.params)) accumulate(grads, `${node.name}.${name}`, g);
        sample();
      }
      for (const t of Object.values(saved.get(node.name) ?? {})) t.dispose();
      saved.delete(node.name);
      release(plan.backwardDone(node));
    }
    return { loss, grads, statUpdates, peakBytes };
  } catch (error) {
    tf.dispose([loss ?? [], ...grads.values(), ...statUpdates.values()]);
    throw error;
  } finally {
    tf.dispose([
      ...outputs.values(),
      ...dOutputs.values(),
      ...[...saved.values()].flatMap((s) => Object.values(s)),
    ]);
  }

  /** The layer's hand-written gradient, or its forward recomputed; every result is a tensor of its own. */
  function layerGradients(node: LayerNode, args: BackwardArgs): LayerGradients {
    const given = new Set<tf.Tensor>([
      args.dy,
      ...args.inputs.flatMap((t) => t ?? []),
      ...Object.values(args.params),
    ]);
    if (args.output) given.add(args.output);
    const own = (t: tf.Tensor) => {
      const mine = given.has(t) ? t.clone() : t;
      given.add(mine);
      return tf.keep(mine);
    };
    let result: LayerGradients | undefined;
    tf.tidy(() => {
      const def = layerDef(node);
      const raw =
        fusion.backward(node, args) ??
        (def.gradient
          ? def.gradient.backward(node, args)
          : recomputeGradients(
              (inputs, params) =>
                def.forward(node, inputs, params, { training: true, seed, statUpdates: new Map() }),
              args,
            ));
      result = {
        inputs: raw.inputs.map((g, k) => (g && args.wantInput[k] ? own(g) : null)),
        params: Object.fromEntries(Object.entries(raw.params).map(([name, g]) => [name, own(g)])),
      };
      sample();
    });
    return result!;
  }
}

/** Adds `g` into `map[key]`, taking ownership of `g`. */
function accumulate(map: Map<string, tf.Tensor>, key: string, g: tf.Tensor): void {
  const existing = map.get(key);
  if (!existing) {
    map.set(key, g);
    return;
  }
  map.set(key, tf.add(existing, g));
  existing.dispose();
  g.dispose();
}
