import * as tf from '@tensorflow/tfjs';
import { flattenTargets, IGNORE_LABEL } from './flatten.js';

/**
 * Softmax cross-entropy averaged over the entries whose label is not `ignoreLabel` (255).
 * logits (N, D, H, W, C) with labels (N, D, H, W), or logits (N, C) with labels (N). A batch
 * with every label ignored has loss 0.
 */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor, ignoreLabel = IGNORE_LABEL): tf.Scalar {
  return tf.tidy(() => {
    const flat = flattenTargets('cross-entropy', logits, labels, ignoreLabel);
    const classes = flat.logits.shape[1];
    const logProbabilities = tf.logSoftmax(flat.logits);
    const picked = logProbabilities.mul(tf.oneHot(flat.labels, classes)).sum(1);
    const count = flat.valid.sum().maximum(1);
    return picked.mul(flat.valid).sum().neg().div(count) as tf.Scalar;
  });
}
