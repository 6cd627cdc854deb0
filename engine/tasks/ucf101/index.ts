import type { DatasetReader } from '../../data/reader.js';
import { checkUcf101Folder } from './check.js';
import { openUcf101Dataset, type Ucf101Options } from './dataset.js';
import { detectUcfRoot } from './layout.js';

export const ucf101Reader: DatasetReader<Ucf101Options> = {
  task: 'ucf101',
  detect: detectUcfRoot,
  open: openUcf101Dataset,
  check: checkUcf101Folder,
};

export { openUcf101Dataset, type Ucf101Options, type Ucf101SampleMeta } from './dataset.js';
export { decodeVideo, probeVideo, type DecodedVideo, type DecodeOptions, type VideoProbe } from './decode.js';
export { FrameCache } from './cache.js';
export * from './clip.js';
export { readClassIndex, readUcfSplit, detectUcfRoot, type UcfVideo } from './layout.js';
