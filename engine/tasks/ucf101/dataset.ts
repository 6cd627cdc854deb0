import { DataError, type Dataset, type Sample, type SplitName } from '../../data/dataset.js';
import { randomInt, sampleRandom } from '../../data/random.js';
import { readSkippingBad, type CommonDatasetOptions } from '../../data/reader.js';
import { FrameCache } from './cache.js';
import {
  CLIP_FRAMES,
  centreSquare,
  clipFrames,
  evalClipStart,
  randomClipTransform,
  renderClip,
} from './clip.js';
import { readClassIndex, readUcfSplit } from './layout.js';

export interface Ucf101Options extends CommonDatasetOptions {
  /** Output frame size: 112 (MobileNetV2, default) or 224 (I3D). */
  size?: number;
  /** Frames per clip (default 16). */
  clipFrames?: number;
  /** Clips per video for val/test (default 3). */
  evalClips?: number;
  /** Official split 1, 2 or 3 (default 1). */
  splitIndex?: number;
  /** Folder for decoded frames; without it every read decodes again. */
  cacheDir?: string;
  /** Use only the first n videos of the list. */
  limit?: number;
  ffmpeg?: string;
}

/** Fields of Sample.meta for UCF101. */
export interface Ucf101SampleMeta {
  video: string;
  className: string;
  /** Clip number within the video (0 for training samples). */
  clip: number;
  frames: number[];
}

export async function openUcf101Dataset(
  root: string,
  split: SplitName,
  options: Ucf101Options = {},
): Promise<Dataset> {
  const size = options.size ?? 112;
  const length = options.clipFrames ?? CLIP_FRAMES;
  const classes = await readClassIndex(root);
  let videos = await readUcfSplit(root, split, classes, options.splitIndex ?? 1);
  if (options.limit !== undefined) videos = videos.slice(0, options.limit);
  if (videos.length === 0) throw new DataError(root, `the ${split} list names no videos`);
  const training = split === 'train';
  const clipsPerVideo = training ? 1 : (options.evalClips ?? 3);
  // Frames are cached a little larger than the output (128 for 112, 256 for 224), as the reference's pre-extracted frames.
  const cache = new FrameCache(options.cacheDir, {
    shortSide: Math.round((size * 8) / 7),
    ffmpeg: options.ffmpeg,
  });
  const count = videos.length * clipsPerVideo;
  return {
    task: 'ucf101',
    split,
    length: count,
    sampleSize: [length, size, size],
    inputChannels: 3,
    classes: classes.length,
    get(index, seed) {
      return readSkippingBad(count, index, options, async (i): Promise<Sample> => {
        const video = videos[Math.floor(i / clipsPerVideo)];
        const clip = i % clipsPerVideo;
        const decoded = await cache.frames(video.file);
        const random = sampleRandom(seed, i);
        const start = training
          ? randomInt(random, Math.max(1, decoded.frames - length + 1))
          : evalClipStart(clip, clipsPerVideo, decoded.frames, length);
        const frames = clipFrames(start, decoded.frames, length);
        const transform = training
          ? randomClipTransform(decoded.width, decoded.height, random)
          : { crop: centreSquare(decoded.width, decoded.height), flip: false };
        const meta: Ucf101SampleMeta = { video: video.name, className: video.className, clip, frames };
        return {
          id: training ? video.name : `${video.name}#${clip}`,
          input: renderClip(decoded, frames, transform, size),
          inputShape: [length, size, size, 3],
          label: Int32Array.of(video.classIndex),
          labelShape: [1],
          meta: { ...meta },
        };
      });
    },
  };
}
