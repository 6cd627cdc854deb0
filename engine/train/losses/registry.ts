import type { TaskName } from '../../nn/description.js';
import type { LossFn } from '../trainable.js';
import { crossEntropy } from './cross-entropy.js';
import { crossEntropyDice } from './cross-entropy-dice.js';

/** Every training loss by name, one line each. */
export const LOSSES: Record<string, LossFn> = {
  crossEntropy: (logits, labels) => crossEntropy(logits, labels),
  crossEntropyDice,
};

/** The paper's training loss per task (docs/method.md section 3). */
export const TASK_LOSS: Record<TaskName, string> = {
  shapenet: 'crossEntropy',
  brats: 'crossEntropyDice',
  ucf101: 'crossEntropy',
};

/** (logits, labels) → scalar loss for a task; labels are int32, ignore label 255. */
export function lossFor(task: TaskName): LossFn {
  const name = TASK_LOSS[task];
  if (!name) throw new Error(`no training loss for task '${String(task)}'`);
  return LOSSES[name];
}
