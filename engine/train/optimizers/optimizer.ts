import type * as tf from '@tensorflow/tfjs';
import type { Disposable } from '../../util/disposable.js';

/**
 * Everything an optimizer needs to continue exactly where it stopped: scalar counters and one slot
 * tensor per (slot, variable), named `<slot>/<variable name>`.
 */
export interface OptimizerState {
  kind: string;
  scalars: Record<string, number>;
  slots: Map<string, tf.Tensor>;
}

/**
 * A first-order optimizer over named tf.Variables, written over tf ops (not tf.train) so its state
 * is plain named tensors that a checkpoint saves and restores bit-exactly.
 */
export interface Optimizer extends Disposable {
  readonly kind: string;
  /** One update of every variable that has a gradient, at learning rate `lr`. */
  apply(variables: ReadonlyMap<string, tf.Variable>, grads: ReadonlyMap<string, tf.Tensor>, lr: number): void;
  /** A snapshot (the caller owns and disposes the slot tensors). */
  getState(): OptimizerState;
  /** Replaces the state with copies of `state`'s tensors. */
  setState(state: OptimizerState): void;
}

export function checkGradShape(kind: string, name: string, variable: tf.Variable, grad: tf.Tensor): void {
  const a = variable.shape.join('x');
  const b = grad.shape.join('x');
  if (a !== b) throw new Error(`${kind}: gradient of '${name}' has shape [${b}], variable has [${a}]`);
}
