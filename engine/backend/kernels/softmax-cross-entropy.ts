import { SOFTMAX_CROSS_ENTROPY } from '../fused-losses.js';
import { fusedLossKernel } from './fused-loss-kernel.js';

/** Softmax cross-entropy with the ignore label, value and gradient in one native pass. */
export const softmaxCrossEntropy = fusedLossKernel(
  SOFTMAX_CROSS_ENTROPY,
  (addon, logits, labels, gradient, classes, a) =>
    addon.softmaxCrossEntropy(logits, labels, gradient, classes, a.ignoreLabel),
);
