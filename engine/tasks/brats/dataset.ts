import type { Triple } from '../../nn/description.js';
import { DataError, type Dataset, type Sample, type SplitName } from '../../data/dataset.js';
import { readNifti } from '../../data/nifti/read.js';
import { sampleRandom } from '../../data/random.js';
import { readSkippingBad, type CommonDatasetOptions } from '../../data/reader.js';
import { centreCrop, clampCropSize, extractCrop, randomForegroundCrop } from './crop.js';
import { BRATS_MODALITIES, findBratsSubjects, type BratsSubject } from './layout.js';
import { BRATS_CLASSES } from './regions.js';
import { splitBratsSubjects, type SubjectSplitOptions } from './split.js';
import { loadBratsSubject } from './subject.js';

export interface BratsOptions extends CommonDatasetOptions, SubjectSplitOptions {
  /** Training crop (D, H, W); default 128³, limited to the volume. */
  trainCrop?: Triple;
  /** Validation/test centre crop; default 192³, limited to the volume. */
  evalCrop?: Triple;
  /** Use only the first n subjects of the split (quick runs). */
  limit?: number;
}

/** Fields of Sample.meta for BraTS. */
export interface BratsSampleMeta {
  subject: string;
  grade: string;
  /** (D, H, W) of the whole volume; NIfTI dims are its reverse. */
  volume: Triple;
  crop: { origin: Triple; size: Triple };
  /** Voxel (i, j, k) → RAS mm of the whole volume (row-major 4x4). */
  affine: number[];
  segFile: string;
}

export async function openBratsDataset(
  root: string,
  split: SplitName,
  options: BratsOptions = {},
): Promise<Dataset> {
  const found = await findBratsSubjects(root);
  if (found.length === 0)
    throw new DataError(
      root,
      'no BraTS subjects found (expected {HGG,LGG}/<subject>/<subject>_flair.nii.gz ...)',
    );
  const usable: BratsSubject[] = [];
  for (const subject of found) {
    if (subject.missing.length === 0) usable.push(subject);
    else {
      const error = new DataError(
        subject.missing[0],
        `missing (subject ${subject.id} needs ${[...BRATS_MODALITIES, 'seg'].join(', ')})`,
      );
      if (!options.skipBad) throw error;
      options.onWarning?.(error);
    }
  }
  let subjects = splitBratsSubjects(usable, split, options);
  if (options.limit !== undefined) subjects = subjects.slice(0, options.limit);
  if (subjects.length === 0)
    throw new DataError(root, `the ${split} split has no subjects (${usable.length} usable in total)`);
  const first = await readNifti(subjects[0].files.seg);
  const volume: Triple = [first.dims[2] ?? 1, first.dims[1] ?? 1, first.dims[0]];
  const training = split === 'train';
  const cropSize = training ? (options.trainCrop ?? [128, 128, 128]) : (options.evalCrop ?? [192, 192, 192]);
  return {
    task: 'brats',
    split,
    length: subjects.length,
    sampleSize: clampCropSize(cropSize, volume),
    inputChannels: BRATS_MODALITIES.length,
    classes: BRATS_CLASSES,
    ignoreLabel: 255,
    get(index, seed) {
      return readSkippingBad(subjects.length, index, options, async (i): Promise<Sample> => {
        const loaded = await loadBratsSubject(subjects[i]);
        const box = training
          ? randomForegroundCrop(loaded.labels, loaded.volume, cropSize, sampleRandom(seed, i))
          : centreCrop(loaded.volume, cropSize);
        const channels = BRATS_MODALITIES.length;
        const voxels = box.size[0] * box.size[1] * box.size[2];
        const meta: BratsSampleMeta = {
          subject: loaded.subject.id,
          grade: loaded.subject.grade,
          volume: loaded.volume,
          crop: box,
          affine: loaded.affine,
          segFile: loaded.subject.files.seg,
        };
        return {
          id: loaded.subject.id,
          input: extractCrop(loaded.input, loaded.volume, channels, box, new Float32Array(voxels * channels)),
          inputShape: [...box.size, channels],
          label: extractCrop(loaded.labels, loaded.volume, 1, box, new Int32Array(voxels)),
          labelShape: [...box.size],
          meta: { ...meta },
        };
      });
    },
  };
}
