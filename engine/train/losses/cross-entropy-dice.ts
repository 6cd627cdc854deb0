import * as tf from '@tensorflow/tfjs';
import { SOFT_DICE } from '../../backend/fused-losses.js';
import { closedFormLoss, fusedLoss, type ValueAndGradient } from './closed-form.js';
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
 *
 * Like cross-entropy, the value and its closed-form gradient are computed together (closedFormLoss),
 * by the fused kernel where the backend has it: with den_c = S_c + G_c + ε, ∂L/∂p_nc = v_n (b_c − a_c [y_n = c]) where
 * a_c = 2 / den_c and b_c = (2 I_c + ε) / den_c² (0 for the background), then through the softmax
 * ∂L/∂z_nk = p_nk (∂L/∂p_nk − Σ_j p_nj ∂L/∂p_nj). The composed path keeps at most three
 * logits-sized volumes alive at once.
 */
export function softDiceLoss(logits: tf.Tensor, labels: tf.Tensor, ignoreLabel = IGNORE_LABEL): tf.Scalar {
  const classes = logits.shape[logits.rank - 1];
  if (classes < 2) throw new Error(`soft Dice: needs at least 2 classes (background + one), got ${classes}`);
  return closedFormLoss(
    logits,
    (input) =>
      fusedLoss(SOFT_DICE, 'soft Dice', input, labels, { ignoreLabel, smooth: DICE_SMOOTH }) ??
      composedSoftDice(input, labels, ignoreLabel),
  );
}

/** The same value and gradient from tf ops, for backends without the fused kernel. */
function composedSoftDice(input: tf.Tensor, labels: tf.Tensor, ignoreLabel: number): ValueAndGradient {
  const flat = flattenTargets('soft Dice', input, labels, ignoreLabel);
  const classes = flat.logits.shape[1];
  const { valid } = flat;
  const p = tf.softmax(flat.logits);
  const pLabel = tf.gather(p, flat.labels.expandDims(1), 1, 1).reshape([-1]);
  const predicted = valid.expandDims(0).matMul(p).reshape([classes]); // S_c = Σ_n v_n p_nc
  // Class sums as products with a one-hot that lives only for them: segment sums would spare it,
  // but on WebGPU they add with atomics in varying order, and a resumed run must repeat exactly.
  const oneHot = tf.oneHot(flat.labels, classes, 1, 0, 'float32');
  const intersection = pLabel.mul(valid).expandDims(0).matMul(oneHot).reshape([classes]);
  const truth = valid.expandDims(0).matMul(oneHot).reshape([classes]);
  oneHot.dispose();
  const foreground = tf.tensor1d(Array.from({ length: classes }, (_, c) => (c === 0 ? 0 : 1)));
  const denominator = predicted.add(truth).add(DICE_SMOOTH);
  const numerator = intersection.mul(2).add(DICE_SMOOTH);
  const value = foreground.sub(numerator.div(denominator).mul(foreground)).sum() as tf.Scalar;
  const a = foreground.mul(2).div(denominator);
  const b = numerator.div(denominator.square()).mul(foreground);
  // Σ_j p_nj ∂L/∂p_nj / v_n = Σ_j p_nj b_j − a_{y_n} p_{n,y_n}
  const weighted = p.matMul(b.expandDims(1)).reshape([-1]).sub(tf.gather(a, flat.labels).mul(pLabel));
  const inner = b.expandDims(0).sub(weighted.expandDims(1));
  let g = p.mul(inner);
  inner.dispose();
  const atLabel = tf.oneHot(flat.labels, classes, 1, 0, 'float32');
  const correction = atLabel.mul(tf.gather(a, flat.labels).mul(pLabel).expandDims(1));
  atLabel.dispose();
  p.dispose();
  const corrected = g.sub(correction);
  g.dispose();
  correction.dispose();
  g = corrected.mul(valid.expandDims(1));
  corrected.dispose();
  return [value, g.reshape(input.shape)];
}

/** The BraTS training loss: cross-entropy (ignore 255) + 0.25 · Σ over classes 1..C−1 of soft Dice. */
export function crossEntropyDice(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(
    () => crossEntropy(logits, labels).add(softDiceLoss(logits, labels).mul(DICE_WEIGHT)) as tf.Scalar,
  );
}
