import type { TaskName } from '../nn/description.js';
import { bratsReader, type BratsOptions } from './brats/index.js';
import { DataError, type Dataset, type SplitName } from './dataset.js';
import type { DatasetReader, DatasetReport } from './reader.js';
import { shapenetReader, type ShapenetOptions } from './shapenet/index.js';
import { ucf101Reader, type Ucf101Options } from './ucf101/index.js';

export interface DatasetOptionsByTask {
  brats: BratsOptions;
  shapenet: ShapenetOptions;
  ucf101: Ucf101Options;
}

/** Every dataset format, one line each. */
const readers: { [T in TaskName]: DatasetReader<DatasetOptionsByTask[T]> } = {
  brats: bratsReader,
  shapenet: shapenetReader,
  ucf101: ucf101Reader,
};

/** The task whose layout `dir` (or its dataset subfolder) has, with the dataset root found. */
export async function detectTask(dir: string): Promise<{ task: TaskName; root: string } | undefined> {
  for (const reader of Object.values(readers)) {
    const root = await reader.detect(dir);
    if (root) return { task: reader.task, root };
  }
  return undefined;
}

/** A streaming dataset over `dir` in the task's published layout. */
export async function openDataset<T extends TaskName>(
  task: T,
  dir: string,
  split: SplitName,
  options: DatasetOptionsByTask[T] = {},
): Promise<Dataset> {
  const reader = readers[task] as DatasetReader<DatasetOptionsByTask[T]>;
  const root = await reader.detect(dir);
  if (!root) throw new DataError(dir, `does not have the ${task} dataset layout (see ranp data check)`);
  return reader.open(root, split, options);
}

/** What the folder holds and every problem found, for `ranp data check` and the app's data page. */
export async function checkDataset(dir: string, task?: TaskName): Promise<DatasetReport> {
  const found = task ? { task, root: await readers[task].detect(dir) } : await detectTask(dir);
  if (!found?.root) {
    throw new DataError(
      dir,
      task
        ? `does not have the ${task} dataset layout`
        : 'is not a BraTS, ShapeNet part or UCF101 folder in a known layout',
    );
  }
  return readers[found.task].check(found.root);
}

export { DataError, type Dataset, type Sample, type SplitName } from './dataset.js';
export type { DatasetReport, CommonDatasetOptions } from './reader.js';
export type { BratsOptions, ShapenetOptions, Ucf101Options };
export {
  readNifti,
  writeLabelMap,
  writeNifti,
  niftiToVolume,
  type NiftiImage,
  type NiftiHeader,
} from './nifti/index.js';
