import type { LossFn } from '../trainable.js';
import { crossEntropy } from './cross-entropy.js';
import { crossEntropyDice } from './cross-entropy-dice.js';

/** Every training loss by name, one line each; a task names its loss (engine/tasks/NAME.ts). */
export const LOSSES: Record<string, LossFn> = {
  crossEntropy: (logits, labels) => crossEntropy(logits, labels),
  crossEntropyDice,
};
