import { fitFactors, fittedDims, type VolumeHeader, type ViewerLimits } from '../../engine/protocol/index.js';
import { multiplyAffine } from './affine.js';
import type { ViewerVolume, VoxelArray } from './volume-data.js';

/**
 * Keeps every f-th voxel per axis (nearest sampling, so label values stay valid labels). Voxel i' of the
 * result is voxel f·i' of the input, hence the new affine = affine · diag(f, 1).
 */
export function downsampleVolume(volume: ViewerVolume, factors: readonly number[]): ViewerVolume {
  const [fi, fj, fk] = factors;
  if (fi === 1 && fj === 1 && fk === 1) return volume;
  const [ni, nj] = volume.header.dims;
  const dims = fittedDims(volume.header.dims, factors);
  const channels = volume.channels.map((source) => {
    const out = new (source.constructor as new (n: number) => VoxelArray)(dims[0] * dims[1] * dims[2]);
    let o = 0;
    for (let k = 0; k < dims[2]; k++) {
      for (let j = 0; j < dims[1]; j++) {
        const row = k * fk * ni * nj + j * fj * ni;
        for (let i = 0; i < dims[0]; i++) out[o++] = source[row + i * fi];
      }
    }
    return out;
  });
  const scale = [fi, 0, 0, 0, 0, fj, 0, 0, 0, 0, fk, 0, 0, 0, 0, 1];
  const prior = volume.header.downsampled ?? [1, 1, 1];
  const header: VolumeHeader = {
    ...volume.header,
    dims,
    affine: multiplyAffine(volume.header.affine, scale),
    downsampled: [prior[0] * fi, prior[1] * fj, prior[2] * fk],
    sourceDims: volume.header.sourceDims ?? volume.header.dims,
  };
  return { header, channels };
}

/**
 * Downsamples only when the volume as it arrived exceeds the viewer's limits (the engine fits volumes to
 * the limits the request names, so this acts on volumes given directly, or limits lower than those sent).
 * The result's header names the whole factor from the source grid (engine's × this one).
 */
export function fitToLimits(volume: ViewerVolume, limits: ViewerLimits): ViewerVolume {
  const factors = fitFactors(volume.header.dims, limits);
  return factors.every((f) => f === 1) ? volume : downsampleVolume(volume, factors);
}

/** A volume as shown next to its source grid (downsampleNotices). */
export interface FittedVolume {
  title: string;
  from: readonly number[];
  to: readonly number[];
  factors: readonly number[];
}

export function fitted(title: string, shown: VolumeHeader): FittedVolume {
  return {
    title,
    from: shown.sourceDims ?? shown.dims,
    to: shown.dims,
    factors: shown.downsampled ?? [1, 1, 1],
  };
}

/** One on-screen line for every volume downsampled the same way (titles listed together), with why. */
export function downsampleNotices(volumes: readonly FittedVolume[], limits: ViewerLimits): string[] {
  const groups = new Map<string, string[]>();
  for (const f of volumes) {
    if (f.factors.every((x) => x === 1)) continue;
    const why = f.from.some((d) => d > limits.maxTextureSize)
      ? `exceeds this GPU's 3D texture limit ${limits.maxTextureSize}`
      : `exceeds the viewer's budget of ${limits.maxVoxels.toLocaleString('en-US')} voxels`;
    const what = `(${f.from.join('×')}) ${why}; shown downsampled to ${f.to.join('×')} (every ${f.factors.join('/')} voxel)`;
    groups.set(what, [...(groups.get(what) ?? []), `"${f.title}"`]);
  }
  return [...groups].map(([what, titles]) => `${titles.join(', ')} ${what}`);
}
