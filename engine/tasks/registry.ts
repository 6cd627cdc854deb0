import type { CommonDatasetOptions } from '../data/reader.js';
import type { TaskName } from '../domain/tasks.js';
import { LOSSES, type LossEntry } from '../train/losses/registry.js';
import type { LossFn } from '../train/trainable.js';
import { bratsTask } from './brats/task.js';
import { shapenetTask } from './shapenet/task.js';
import type { TaskModule } from './task.js';
import { ucf101Task } from './ucf101/task.js';

/** Every task of engine/domain/tasks.ts by name, one line each. */
export const TASK_MODULES = {
  shapenet: shapenetTask,
  brats: bratsTask,
  ucf101: ucf101Task,
} satisfies { [T in TaskName]: TaskModule<T, CommonDatasetOptions> };

/** The reader options of each task's dataset. */
export type DatasetOptionsOf<T extends TaskName> =
  (typeof TASK_MODULES)[T] extends TaskModule<T, infer Options> ? Options : never;

export function taskModule<T extends TaskName>(task: T): (typeof TASK_MODULES)[T] {
  const module = TASK_MODULES[task];
  if (!module) throw new Error(`unknown task '${String(task)}'`);
  return module;
}

/** (logits, labels) → scalar loss: the task's training loss; labels are int32, ignore label 255. */
export function lossFor(task: TaskName): LossFn {
  return lossEntryFor(task).fn;
}

/** The task's training loss with its fused kernels and memory (engine/train/step-memory.ts). */
export function lossEntryFor(task: TaskName): LossEntry {
  return LOSSES[taskModule(task).loss];
}
