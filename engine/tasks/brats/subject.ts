import type { Triple } from '../../nn/description.js';
import { DataError } from '../../data/dataset.js';
import type { Affine } from '../../data/nifti/affine.js';
import { describeNonFinite } from '../../data/nifti/finite.js';
import { readNifti, type NiftiImage } from '../../data/nifti/read.js';
import { BRATS_MODALITIES, type BratsSubject } from './layout.js';
import { brainMask, normalizeModality } from './preprocess.js';
import { BRATS_LABELS } from './regions.js';

/** A whole preprocessed subject. */
export interface LoadedBratsSubject {
  subject: BratsSubject;
  /** (D, H, W) = NIfTI (k, j, i): NIfTI's i-fastest order is already D,H,W row-major. */
  volume: Triple;
  /** [D, H, W, 4] channels-last, channel order flair, t1ce, t1, t2. */
  input: Float32Array;
  /** [D, H, W] raw labels 0, 1, 2, 4. */
  labels: Int32Array;
  /** The seg file's affine (voxel → RAS mm) and header, to write predictions on the same grid. */
  grid: NiftiImage['header'];
  affine: Affine;
}

function sameGrid(a: NiftiImage, b: NiftiImage): boolean {
  return (
    a.dims.length >= 3 &&
    a.dims.slice(0, 3).join() === b.dims.slice(0, 3).join() &&
    a.dims.slice(3).every((d) => d === 1)
  );
}

/** Reads and normalizes one subject; DataError names the offending file. */
export async function loadBratsSubject(subject: BratsSubject): Promise<LoadedBratsSubject> {
  if (subject.missing.length) {
    throw new DataError(
      subject.missing[0],
      `missing (subject ${subject.id} needs flair, t1, t1ce, t2 and seg)`,
    );
  }
  const images = await Promise.all(BRATS_MODALITIES.map((m) => readNifti(subject.files[m])));
  const seg = await readNifti(subject.files.seg);
  for (const image of [...images, seg]) {
    const nonFinite = describeNonFinite(image.nonFinite, image.dims);
    if (nonFinite) throw new DataError(image.file, `${nonFinite} (subject ${subject.id})`);
    if (!sameGrid(image, seg)) {
      throw new DataError(
        image.file,
        `grid [${image.dims.join(', ')}] differs from the seg file's [${seg.dims.join(', ')}]`,
      );
    }
  }
  const labels = Int32Array.from(seg.data);
  const allowed = new Set<number>(BRATS_LABELS);
  for (let v = 0; v < labels.length; v++) {
    if (!allowed.has(labels[v])) {
      const [ni, nj] = seg.dims;
      const at = [v % ni, Math.floor(v / ni) % nj, Math.floor(v / (ni * nj))];
      throw new DataError(
        seg.file,
        `label ${seg.data[v]} at voxel (${at.join(', ')}) is not one of 0, 1, 2, 4`,
      );
    }
  }
  const mask = brainMask(images.map((i) => i.data));
  const channels = images.map((image) => normalizeModality(image.data, mask));
  const voxels = labels.length;
  const input = new Float32Array(voxels * channels.length);
  for (let v = 0; v < voxels; v++)
    for (let c = 0; c < channels.length; c++) input[v * channels.length + c] = channels[c][v];
  const [ni, nj, nk] = seg.dims;
  return { subject, volume: [nk, nj, ni], input, labels, grid: seg.header, affine: seg.affine };
}
