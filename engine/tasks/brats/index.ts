import type { DatasetReader } from '../../data/reader.js';
import { checkBratsFolder } from './check.js';
import { openBratsDataset, type BratsOptions } from './dataset.js';
import { detectBratsRoot } from './layout.js';

export const bratsReader: DatasetReader<BratsOptions> = {
  task: 'brats',
  detect: detectBratsRoot,
  open: openBratsDataset,
  check: checkBratsFolder,
};

export { openBratsDataset, type BratsOptions, type BratsSampleMeta } from './dataset.js';
export {
  findBratsSubjects,
  BRATS_MODALITIES,
  type BratsSubject,
  type BratsGrade,
  type BratsModality,
} from './layout.js';
export { splitBratsSubjects, type SubjectSplitOptions } from './split.js';
export { loadBratsSubject, type LoadedBratsSubject } from './subject.js';
export { BRATS_REGIONS, BRATS_LABELS, BRATS_CLASSES, regionMask, type BratsRegion } from './regions.js';
export { brainMask, normalizeModality, percentileOfSorted, CLIP_PERCENTILES } from './preprocess.js';
export {
  centreCrop,
  randomForegroundCrop,
  clampCropSize,
  extractCrop,
  pasteCrop,
  type CropBox,
} from './crop.js';
