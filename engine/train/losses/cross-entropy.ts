import * as tf from '@tensorflow/tfjs';
import { flattenTargets, IGNORE_LABEL } from './flatten.js';

/**
 * Softmax cross-entropy averaged over the entries whose label is not `ignoreLabel` (255).
 * logits (N, D, H, W, C) with labels (N, D, H, W), or logits (N, C) with labels (N). A batch
 * with every label ignored has loss 0.
 *
 * The gradient is the closed form (softmax − one-hot) · valid / count, computed with the loss
 * and the only tensor kept for the backward pass: autodiff of the composed ops would keep the
 * log-softmax, the one-hot volume and their products, several logits-sized volumes at the
 * moment the whole forward pass is still alive (the peak of a training step).
 */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor, ignoreLabel = IGNORE_LABEL): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [loss, gradient] = tf.tidy(() => {
      const flat = flattenTargets('cross-entropy', input, labels, ignoreLabel);
      const classes = flat.logits.shape[1];
      const count = flat.valid.sum().maximum(1);
      const weight = flat.valid.div(count).expandDims(1);
      const logProbabilities = tf.logSoftmax(flat.logits);
      const picked = tf.gather(logProbabilities, flat.labels.expandDims(1), 1, 1).reshape([-1]);
      const value = picked.mul(flat.valid).sum().neg().div(count);
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
    });
    save([gradient]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => saved[0].mul(dy),
    };
  });
  return op(logits) as tf.Scalar;
}
