import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from '../../backend/fused-kernel.js';
import { checkTargets } from './flatten.js';

/** A loss value with its gradient by the logits (the logits' shape). */
export type ValueAndGradient = [tf.Scalar, tf.Tensor];

/**
 * A loss whose gradient by the logits is computed together with its value: that gradient is the only
 * tensor kept for the backward pass (autodiff of the composed ops would keep several logits-sized
 * volumes while the whole forward pass is still alive, the peak of a training step).
 */
export function closedFormLoss(
  logits: tf.Tensor,
  compute: (logits: tf.Tensor) => ValueAndGradient,
): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [value, gradient] = tf.tidy(() => compute(input));
    save([gradient]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => (isUnitSeed(dy) ? saved[0].clone() : saved[0].mul(dy)),
    };
  });
  return op(logits) as tf.Scalar;
}

/**
 * Whether `dy` is tf.valueAndGrad's seed, a scalar 1: the product by it changes no value but is a
 * pass over a logits-sized volume (about a fiftieth of a RANP-pruned 64³ training step). Reading a
 * scalar is free on the cpu backend (the native path); elsewhere it would wait for the device, so
 * the product stays.
 */
function isUnitSeed(dy: tf.Tensor): boolean {
  return dy.size === 1 && tf.getBackend() === 'cpu' && dy.dataSync()[0] === 1;
}

/**
 * The loss from its fused kernel (engine/backend/fused-losses.ts) where the backend has one, else
 * undefined and the caller composes it. Call inside tf.tidy.
 */
export function fusedLoss(
  kernelName: string,
  loss: string,
  logits: tf.Tensor,
  labels: tf.Tensor,
  attrs: { ignoreLabel: number; smooth?: number },
): ValueAndGradient | undefined {
  checkTargets(loss, logits, labels, attrs.ignoreLabel);
  const classes = logits.shape[logits.rank - 1];
  const rows = { logits: logits.reshape([-1, classes]), labels: labels.reshape([-1]) };
  const out = runFusedKernel(kernelName, rows, attrs);
  return out ? [out[0] as tf.Scalar, out[1].reshape(logits.shape)] : undefined;
}
