import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from './cross-entropy.js';
import { flattenTargets, IGNORE_LABEL } from './flatten.js';

/** Weight of the Dice term (BraTS in the reference: CE + 0.25 · Σ Dice). */
export const DICE_WEIGHT = 0.25;
/** Additive smoothing of each class's Dice ratio (keeps empty classes finite). */
export const DICE_SMOOTH = 1;

/**
 * Σ over classes 1..C−1 (background excluded) of the soft Dice loss
 * 1 − (2 Σ p_c g_c + ε) / (Σ p_c + Σ g_c + ε), p = softmax over classes, g = one-hot labels,
 * sums over non-ignored voxels, ε = DICE_SMOOTH.
 */
export function softDiceLoss(logits: tf.Tensor, labels: tf.Tensor, ignoreLabel = IGNORE_LABEL): tf.Scalar {
  return tf.tidy(() => {
    const flat = flattenTargets('soft Dice', logits, labels, ignoreLabel);
    const classes = flat.logits.shape[1];
    if (classes < 2)
      throw new Error(`soft Dice: needs at least 2 classes (background + one), got ${classes}`);
    const valid = flat.valid.expandDims(1);
    const probabilities = tf.softmax(flat.logits).mul(valid);
    const truth = tf.oneHot(flat.labels, classes).toFloat().mul(valid);
    const foreground = (t: tf.Tensor) => t.slice([0, 1], [-1, classes - 1]);
    const intersection = foreground(probabilities.mul(truth)).sum(0);
    const denominator = foreground(probabilities).sum(0).add(foreground(truth).sum(0));
    const dice = intersection.mul(2).add(DICE_SMOOTH).div(denominator.add(DICE_SMOOTH));
    return tf.scalar(classes - 1).sub(dice.sum()) as tf.Scalar;
  });
}

/** The BraTS training loss: cross-entropy (ignore 255) + 0.25 · Σ over classes 1..C−1 of soft Dice. */
export function crossEntropyDice(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(
    () => crossEntropy(logits, labels).add(softDiceLoss(logits, labels).mul(DICE_WEIGHT)) as tf.Scalar,
  );
}
