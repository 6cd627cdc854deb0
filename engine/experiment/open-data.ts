import { openDataset, type Dataset, type SplitName } from '../data/index.js';
import type { TaskName, Triple } from '../nn/description.js';

function datasetOptions(task: TaskName, size: Triple, evalCrop?: Triple) {
  if (task === 'brats') return { trainCrop: size, evalCrop: evalCrop ?? size };
  if (task === 'shapenet') return { grid: size[0] };
  return { size: size[1], clipFrames: size[0] };
}

/** Phase "open data": a split of the task's dataset, cropped/voxelized/clipped to the input size. */
export async function openSplit(
  task: TaskName,
  dir: string,
  split: SplitName,
  size: Triple,
  evalCrop?: Triple,
): Promise<Dataset> {
  return openDataset(task, dir, split, datasetOptions(task, size, evalCrop));
}
