/**
 * The data layer every task's reader builds on: samples and datasets, the reader interface, NIfTI,
 * seeded randomness and fingerprints. The readers of the published dataset layouts live with their
 * tasks (engine/tasks/NAME/; detect/open/check by task: engine/tasks/datasets.ts).
 */

export { DataError, type Dataset, type Sample, type SplitName } from './dataset.js';
export type { DatasetReport, CommonDatasetOptions } from './reader.js';
export {
  readNifti,
  writeLabelMap,
  writeNifti,
  niftiToVolume,
  type ToVolumeOptions,
  type NiftiImage,
  type NiftiHeader,
} from './nifti/index.js';
