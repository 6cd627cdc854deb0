import type { CommonDatasetOptions, DatasetReader } from '../data/reader.js';
import type { Dataset, SplitName } from '../data/index.js';
import type { TaskName } from '../domain/tasks.js';
import type { Triple } from '../nn/description.js';
import { openWithReader } from '../tasks/datasets.js';
import { taskModule } from '../tasks/registry.js';

/** Phase "open data": a split of the task's dataset, cropped/voxelized/clipped to the input size. */
export function openSplit(
  task: TaskName,
  dir: string,
  split: SplitName,
  size: Triple,
  evalCrop?: Triple,
): Promise<Dataset> {
  const module = taskModule(task);
  const reader: DatasetReader<CommonDatasetOptions> = module.reader;
  return openWithReader(reader, dir, split, module.datasetOptions(size, evalCrop));
}
