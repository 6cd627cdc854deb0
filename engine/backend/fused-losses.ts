/**
 * Fused softmax losses: the value and the gradient by the logits from one pass over [rows, classes]
 * logits, instead of the ~12 composed tf ops (log-softmax, gathers, one-hot, products) that each
 * allocate a logits-sized volume. Kernels tfjs does not have; the native cpu path registers them,
 * any other backend composes the same formulas (engine/train/losses). Both paths round in float32
 * after every operation; they differ only in the order sums are accumulated.
 *
 * Inputs {logits: [rows, classes] float32, labels: [rows] int32} → [value (scalar), gradient
 * (rows, classes)]. Labels equal to `ignoreLabel` do not count.
 */
export const SOFTMAX_CROSS_ENTROPY = 'RanpSoftmaxCrossEntropy';
export const SOFT_DICE = 'RanpSoftDice';

export interface SoftmaxCrossEntropyAttrs {
  ignoreLabel: number;
}

export interface SoftDiceAttrs {
  ignoreLabel: number;
  /** Additive smoothing of each class's Dice ratio. */
  smooth: number;
}
