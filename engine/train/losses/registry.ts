import { SOFT_DICE, SOFTMAX_CROSS_ENTROPY } from '../../backend/fused-losses.js';
import type { LossFn } from '../trainable.js';
import { crossEntropy } from './cross-entropy.js';
import { crossEntropyDice } from './cross-entropy-dice.js';

/** A training loss and what engine/train/step-memory.ts needs to know of its memory. */
export interface LossEntry {
  fn: LossFn;
  /** The fused kernels it runs where the backend has them all (engine/backend/fused-losses.ts). */
  fusedKernels: readonly string[];
  /**
   * Most logits-sized volumes its value and gradient hold at once beside the logits, on the fused
   * kernels and composed from tf ops (tf.profile peak of tf.valueAndGrad at 16³ × batch 2).
   */
  stepTemporaries: { fused: number; composed: number };
}

/** Every training loss by name, one line each; a task names its loss (engine/tasks/NAME/task.ts). */
export const LOSSES: Record<string, LossEntry> = {
  crossEntropy: {
    fn: (logits, labels) => crossEntropy(logits, labels),
    fusedKernels: [SOFTMAX_CROSS_ENTROPY],
    stepTemporaries: { fused: 3, composed: 6.25 },
  },
  crossEntropyDice: {
    fn: crossEntropyDice,
    fusedKernels: [SOFTMAX_CROSS_ENTROPY, SOFT_DICE],
    stepTemporaries: { fused: 5, composed: 11.25 },
  },
};
