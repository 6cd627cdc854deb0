import * as tf from '@tensorflow/tfjs';
import { SOFTMAX_CROSS_ENTROPY } from '../../backend/fused-losses.js';
import { closedFormLoss, fusedLoss, type ValueAndGradient } from './closed-form.js';
import { flattenTargets, IGNORE_LABEL } from './flatten.js';

/**
 * Softmax cross-entropy averaged over the entries whose label is not `ignoreLabel` (255).
 * logits (N, D, H, W, C) with labels (N, D, H, W), or logits (N, C) with labels (N). A batch
 * with every label ignored has loss 0. The gradient is the closed form
 * (softmax − one-hot) · valid / count, from the fused kernel where the backend has it.
 */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor, ignoreLabel = IGNORE_LABEL): tf.Scalar {
  return closedFormLoss(
    logits,
    (input) =>
      fusedLoss(SOFTMAX_CROSS_ENTROPY, 'cross-entropy', input, labels, { ignoreLabel }) ??
      composedCrossEntropy(input, labels, ignoreLabel),
  );
}

/** The same value and gradient from tf ops, for backends without the fused kernel. */
function composedCrossEntropy(input: tf.Tensor, labels: tf.Tensor, ignoreLabel: number): ValueAndGradient {
  const flat = flattenTargets('cross-entropy', input, labels, ignoreLabel);
  const classes = flat.logits.shape[1];
  const count = flat.valid.sum().maximum(1);
  const weight = flat.valid.div(count).expandDims(1);
  const logProbabilities = tf.logSoftmax(flat.logits);
  const picked = tf.gather(logProbabilities, flat.labels.expandDims(1), 1, 1).reshape([-1]);
  const value = picked.mul(flat.valid).sum().neg().div(count) as tf.Scalar;
  const probabilities = tf.exp(logProbabilities);
  logProbabilities.dispose();
  const scaled = probabilities.mul(weight);
  probabilities.dispose();
  const truth = tf.oneHot(flat.labels, classes, 1, 0, 'float32');
  const scaledTruth = truth.mul(weight);
  truth.dispose();
  const g = scaled.sub(scaledTruth).reshape(input.shape);
  scaled.dispose();
  scaledTruth.dispose();
  return [value, g];
}
