import { existsSync } from 'node:fs';
import { DataError, type Dataset, type SplitName } from '../data/dataset.js';
import type { CommonDatasetOptions, DatasetReader, DatasetReport } from '../data/reader.js';
import { TASK_NAMES, TASKS, type TaskName } from '../domain/tasks.js';
import { taskModule, type DatasetOptionsOf } from './registry.js';

/** The task whose layout `dir` (or its dataset subfolder) has, with the dataset root found. */
export async function detectTask(dir: string): Promise<{ task: TaskName; root: string } | undefined> {
  for (const task of TASK_NAMES) {
    const root = await taskModule(task).reader.detect(dir);
    if (root) return { task, root };
  }
  return undefined;
}

/** Opens `dir` with the reader, naming the task whose layout is missing. */
export async function openWithReader<Options extends CommonDatasetOptions>(
  reader: DatasetReader<Options>,
  dir: string,
  split: SplitName,
  options: Options,
): Promise<Dataset> {
  const root = await reader.detect(dir);
  if (!root)
    throw new DataError(dir, `does not have the ${reader.task} dataset layout (see ranp data check)`);
  return reader.open(root, split, options);
}

/** A streaming dataset over `dir` in the task's published layout. */
export function openDataset<T extends TaskName>(
  task: T,
  dir: string,
  split: SplitName,
  // Every reader's options are optional (CommonDatasetOptions and each reader's own).
  options = {} as DatasetOptionsOf<T>,
): Promise<Dataset> {
  return openWithReader(taskModule(task).reader as DatasetReader<DatasetOptionsOf<T>>, dir, split, options);
}

/** What the folder holds and every problem found, for `ranp data check` and the app's data page. */
export async function checkDataset(dir: string, task?: TaskName): Promise<DatasetReport> {
  const found = task ? { task, root: await taskModule(task).reader.detect(dir) } : await detectTask(dir);
  if (!found?.root) {
    if (!existsSync(dir)) throw new DataError(dir, 'does not exist');
    const tasks = task ? [task] : TASK_NAMES;
    const names = tasks.map((t) => TASKS[t].dataset);
    const either = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
    const expected = tasks.map((t) => `${TASKS[t].dataset}: ${TASKS[t].layout}`).join('; ');
    throw new DataError(
      dir,
      `exists but is not a${/^[AEIOU]/i.test(either) ? 'n' : ''} ${either} folder (expected ${expected})`,
    );
  }
  return taskModule(found.task).reader.check(found.root);
}
