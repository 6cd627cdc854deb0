import { SOFT_DICE } from '../fused-losses.js';
import { fusedLossKernel } from './fused-loss-kernel.js';

/** Soft Dice over the foreground classes with the ignore label, value and gradient in two native passes. */
export const softDice = fusedLossKernel(SOFT_DICE, (addon, logits, labels, gradient, classes, a) =>
  addon.softDice(logits, labels, gradient, classes, a.ignoreLabel, a.smooth),
);
