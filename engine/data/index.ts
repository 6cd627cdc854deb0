/**
 * The data layer: readers of the published dataset layouts (one folder each, registered with their
 * task in engine/tasks/registry.ts; detect/open/check by task: engine/tasks/datasets.ts).
 */

export { DataError, type Dataset, type Sample, type SplitName } from './dataset.js';
export type { DatasetReport, CommonDatasetOptions } from './reader.js';
export type { BratsOptions } from './brats/index.js';
export type { ShapenetOptions } from './shapenet/index.js';
export type { Ucf101Options } from './ucf101/index.js';
export {
  readNifti,
  writeLabelMap,
  writeNifti,
  niftiToVolume,
  type ToVolumeOptions,
  type NiftiImage,
  type NiftiHeader,
} from './nifti/index.js';
