import * as tf from '@tensorflow/tfjs';
import type { BackwardArgs, LayerGradients, Params } from './layer.js';

/**
 * A layer's gradients by running its forward again under tf.grads: right for any layer, at the
 * cost of a second forward and of keeping the inputs. The memory-lean backward pass (backprop.ts)
 * uses it for layers without a hand-written gradient. Every input must reach the output (tf.grads
 * refuses disconnected inputs), which holds for the single-input layers that use it.
 */
export function recomputeGradients(
  forward: (inputs: tf.Tensor[], params: Params) => tf.Tensor,
  args: BackwardArgs,
): LayerGradients {
  const inputs = args.inputs.map((t, i) => {
    if (!t) throw new Error(`recomputeGradients: input ${i} was not kept (the layer must read its inputs)`);
    return t;
  });
  const names = args.trainable;
  const f = (...tensors: tf.Tensor[]) => {
    const params: Params = { ...args.params };
    names.forEach((name, i) => (params[name] = tensors[inputs.length + i]));
    return forward(tensors.slice(0, inputs.length), params);
  };
  const grads = tf.grads(f)([...inputs, ...names.map((name) => args.params[name])], args.dy);
  return {
    inputs: inputs.map((_, i) => (args.wantInput[i] ? grads[i] : null)),
    params: Object.fromEntries(names.map((name, i) => [name, grads[inputs.length + i]])),
  };
}
