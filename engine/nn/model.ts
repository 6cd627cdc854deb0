import * as tf from '@tensorflow/tfjs';
import type { FeatureShape, LayerNode, NetDescription, Triple } from './description.js';
import type { ForwardContext, ParamSpec, Params } from './layer.js';
import type { Disposable } from '../util/disposable.js';
import { backpropagate, type LayerParams, type StepGradients } from './backprop.js';
import { initialValue } from './init.js';
import { layerDef } from './layers/registry.js';
import { ancestorsOf, inferShapes } from './shapes.js';
import { readWeightsFile, writeWeightsFile, type WeightEntry } from './weights.js';

/** One parameter of a net: its variable key `${layer}.${param}` and its spec. */
export interface ParamEntry {
  key: string;
  layer: LayerNode;
  spec: ParamSpec;
}

/** Every parameter (running statistics included) of a description, in node order. */
export function parameterEntries(net: NetDescription): ParamEntry[] {
  return net.nodes.flatMap((layer) =>
    layerDef(layer)
      .params(layer)
      .map((spec) => ({ key: `${layer.name}.${spec.name}`, layer, spec })),
  );
}

export interface ForwardOptions {
  /** Train-mode normalization (batch statistics) and active dropout. */
  training: boolean;
  /** Seed for dropout masks (default 0). */
  seed?: number;
  /**
   * Tensors used instead of the model's variables for some parameters, keyed `${layer}.${param}`
   * (e.g. 'enc0.conv1.weight'). The hook for SNIP/RANP scoring: inside tf.grad, pass
   * `weight · mask` for every prunable weight and differentiate with respect to the masks to get
   * ∂L/∂m (= g ⊙ w at m = 1). Overrides must have the variable's shape.
   */
  weightOverrides?: ReadonlyMap<string, tf.Tensor>;
  /** Whether training-mode batch statistics update the running statistics (default: `training`). */
  updateRunningStats?: boolean;
  /**
   * Called with every layer's output as it is computed (feature-map views, shape checks). The
   * tensor is released when forward returns: clone it to keep it.
   */
  observe?: (layer: string, output: tf.Tensor) => void;
}

/** A trainable model built from a description. The engine owns its parameters; dispose() frees them. */
export interface NetModel extends Disposable {
  readonly net: NetDescription;
  /** Every parameter keyed `${layer}.${param}`; running statistics are non-trainable variables. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /**
   * Runs the net up to `net.output` on an NDHWC batch. Returns logits: [N, D, H, W, classes] for
   * segmentation, [N, classes] for classification. Nodes after `net.output` (the evaluation
   * softmax) are not run. Intermediates are released; only the result is returned.
   */
  forward(x: tf.Tensor5D, options: ForwardOptions): tf.Tensor;
  /**
   * One training-mode forward and backward (backprop.ts: only what the backward reads is kept):
   * loss = objective(logits), its gradients by parameter key, the new running statistics (not yet
   * assigned: the caller assigns them after the update) and the step's peak tensor bytes.
   */
  gradients(
    x: tf.Tensor5D,
    objective: (logits: tf.Tensor) => tf.Scalar,
    options: {
      seed?: number;
      /** As in ForwardOptions; the gradients are then with respect to the given tensors (SNIP/RANP scoring). */
      weightOverrides?: ReadonlyMap<string, tf.Tensor>;
      /** Activation checkpointing (backprop.ts): recompute each layer chain's activations in the backward. */
      checkpoint?: boolean;
    },
  ): StepGradients;
  trainableVariables(): tf.Variable[];
  /** Copies of every parameter (the caller disposes them). */
  getWeights(): Map<string, tf.Tensor>;
  /** Assigns parameters; every key must exist with the same shape. Unless `partial`, every parameter must be given. */
  setWeights(weights: ReadonlyMap<string, tf.Tensor>, options?: { partial?: boolean }): void;
  /** Saves every parameter in the versioned format of weights.ts. */
  saveWeights(file: string): Promise<void>;
  /** Loads a weights file; names and shapes must match this net exactly. */
  loadWeights(file: string): Promise<void>;
}

export interface BuildOptions {
  /** Seed of the deterministic initialization (docs/method.md step 1). */
  seed: number;
}

/** Throws naming unknown, missing (unless `partial`) and wrongly shaped parameters of `given` against `expected`. */
export function describeMismatch(
  label: string,
  expected: ReadonlyMap<string, number[]>,
  given: ReadonlyMap<string, number[]>,
  partial: boolean,
): void {
  const unknown = [...given.keys()].filter((k) => !expected.has(k));
  const missing = partial ? [] : [...expected.keys()].filter((k) => !given.has(k));
  const wrongShape = [...given]
    .filter(([k, shape]) => expected.has(k) && JSON.stringify(expected.get(k)) !== JSON.stringify(shape))
    .map(([k, shape]) => `${k} [${shape.join(',')}] (expected [${expected.get(k)?.join(',')}])`);
  const problems = [
    unknown.length
      ? `unknown parameters: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` (+${unknown.length - 5})` : ''}`
      : '',
    missing.length
      ? `missing parameters: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (+${missing.length - 5})` : ''}`
      : '',
    wrongShape.length ? `shape mismatch: ${wrongShape.slice(0, 5).join('; ')}` : '',
  ].filter(Boolean);
  if (problems.length) throw new Error(`${label}: ${problems.join('; ')}`);
}

export function buildModel(net: NetDescription, options: BuildOptions): NetModel {
  inferShapes(net);
  const entries = parameterEntries(net);
  const variables = new Map<string, tf.Variable>();
  for (const { key, spec } of entries) {
    const value = initialValue(spec, key, options.seed);
    // Unnamed: tfjs variable names are global, and several models of one net may coexist.
    variables.set(key, tf.variable(value, spec.trainable));
    value.dispose();
  }
  const nodesToRun = ancestorsOf(net, net.output);
  const inputNodes = net.nodes.filter((n) => n.kind === 'input');
  if (inputNodes.length !== 1)
    throw new Error(`net '${net.name}': expects exactly one input node, found ${inputNodes.length}`);
  const shapeCache = new Map<string, Map<string, FeatureShape>>();

  function checkInput(x: tf.Tensor5D): void {
    if (x.rank !== 5 || x.shape[4] !== net.inputChannels)
      throw new Error(
        `net '${net.name}': expects an NDHWC input with ${net.inputChannels} channels, got [${x.shape.join(',')}]`,
      );
    const size: Triple = [x.shape[1], x.shape[2], x.shape[3]];
    const sizeKey = size.join('x');
    if (!shapeCache.has(sizeKey)) shapeCache.set(sizeKey, inferShapes(net, size));
  }

  /** A layer's parameter tensors (an override replaces its variable) and which are trained. */
  const paramsOf = (node: LayerNode, overrides?: ReadonlyMap<string, tf.Tensor>): LayerParams => {
    const params: Params = {};
    const trainable: string[] = [];
    for (const spec of layerDef(node).params(node)) {
      const key = `${node.name}.${spec.name}`;
      params[spec.name] = overrides?.get(key) ?? (variables.get(key) as tf.Variable);
      if (spec.trainable) trainable.push(spec.name);
    }
    return { params, trainable };
  };

  function checkOverrides(overrides: ReadonlyMap<string, tf.Tensor> | undefined): void {
    overrides?.forEach((tensor, key) => {
      const variable = variables.get(key);
      if (!variable) throw new Error(`weightOverrides: net '${net.name}' has no parameter '${key}'`);
      if (JSON.stringify(variable.shape) !== JSON.stringify(tensor.shape))
        throw new Error(
          `weightOverrides: '${key}' has shape [${tensor.shape.join(',')}], expected [${variable.shape.join(',')}]`,
        );
    });
  }

  const model: NetModel = {
    net,
    variables,
    gradients(x, objective, gradientOptions) {
      checkInput(x);
      const overrides = gradientOptions.weightOverrides;
      checkOverrides(overrides);
      return backpropagate(
        nodesToRun,
        net.output,
        (node) => paramsOf(node, overrides),
        x,
        objective,
        gradientOptions.seed ?? 0,
        gradientOptions.checkpoint ?? false,
      );
    },
    forward(x, forwardOptions) {
      checkInput(x);
      const ctx: ForwardContext = {
        training: forwardOptions.training,
        seed: forwardOptions.seed ?? 0,
        statUpdates: new Map(),
      };
      const overrides = forwardOptions.weightOverrides;
      checkOverrides(overrides);
      return tf.tidy(() => {
        const outputs = new Map<string, tf.Tensor>();
        for (const node of nodesToRun) {
          const def = layerDef(node);
          const { params } = paramsOf(node, overrides);
          const inputs =
            node.kind === 'input' ? [x] : node.inputs.map((name) => outputs.get(name) as tf.Tensor);
          const output = def.forward(node, inputs, params, ctx);
          outputs.set(node.name, output);
          forwardOptions.observe?.(node.name, output);
        }
        if (forwardOptions.updateRunningStats ?? forwardOptions.training)
          ctx.statUpdates.forEach((value, key) => (variables.get(key) as tf.Variable).assign(value));
        return outputs.get(net.output) as tf.Tensor;
      });
    },
    trainableVariables: () => [...variables.values()].filter((v) => v.trainable),
    getWeights: () => new Map([...variables].map(([key, v]) => [key, v.clone()])),
    setWeights(weights, setOptions) {
      describeMismatch(
        `setWeights on net '${net.name}'`,
        new Map([...variables].map(([k, v]) => [k, v.shape])),
        new Map([...weights].map(([k, v]) => [k, v.shape])),
        setOptions?.partial ?? false,
      );
      weights.forEach((value, key) => (variables.get(key) as tf.Variable).assign(value.toFloat()));
    },
    async saveWeights(file) {
      const entries = new Map<string, WeightEntry>();
      for (const [key, v] of variables)
        entries.set(key, { shape: v.shape, values: (await v.data()) as Float32Array });
      await writeWeightsFile(file, net.name, entries);
    },
    async loadWeights(file) {
      const { weights } = await readWeightsFile(file);
      describeMismatch(
        `weights file ${file} does not fit net '${net.name}'`,
        new Map([...variables].map(([k, v]) => [k, v.shape])),
        new Map([...weights].map(([k, w]) => [k, w.shape])),
        false,
      );
      tf.tidy(() =>
        weights.forEach((w, key) => (variables.get(key) as tf.Variable).assign(tf.tensor(w.values, w.shape))),
      );
    },
    dispose() {
      variables.forEach((v) => v.dispose());
      variables.clear();
    },
  };
  return model;
}
