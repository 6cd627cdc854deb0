import type { VolumeHeader } from '../../engine/protocol/volume.js';
import { multiplyAffine } from './affine.js';
import type { ViewerVolume, VoxelArray } from './volume-data.js';

/** Smallest integer factor per axis that brings every dimension within `maxSize`. */
export function downsampleFactors(dims: readonly number[], maxSize: number): [number, number, number] {
  if (!(maxSize >= 1)) throw new Error(`downsample: maxSize must be ≥ 1, got ${maxSize}`);
  return [0, 1, 2].map((a) => Math.ceil(dims[a] / maxSize)) as [number, number, number];
}

/**
 * Keeps every f-th voxel per axis (nearest sampling, so label values stay valid labels). Voxel i' of the
 * result is voxel f·i' of the input, hence the new affine = affine · diag(f, 1).
 */
export function downsampleVolume(volume: ViewerVolume, factors: readonly number[]): ViewerVolume {
  const [fi, fj, fk] = factors;
  if (fi === 1 && fj === 1 && fk === 1) return volume;
  const [ni, nj, nk] = volume.header.dims;
  const dims: [number, number, number] = [Math.ceil(ni / fi), Math.ceil(nj / fj), Math.ceil(nk / fk)];
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
  };
  return { header, channels };
}

/** Downsamples only when a dimension exceeds the GPU's 3D texture limit; `factors` all 1 when it did not. */
export function fitToTextureLimit(
  volume: ViewerVolume,
  maxTextureSize: number,
): { volume: ViewerVolume; factors: [number, number, number] } {
  const factors = downsampleFactors(volume.header.dims, maxTextureSize);
  if (factors.every((f) => f === 1)) return { volume, factors };
  return { volume: downsampleVolume(volume, factors), factors };
}

/** One on-screen line for every volume downsampled the same way (titles listed together). */
export function downsampleNotices(
  fitted: { title: string; from: readonly number[]; to: readonly number[]; factors: readonly number[] }[],
  maxTextureSize: number,
): string[] {
  const groups = new Map<string, string[]>();
  for (const f of fitted) {
    if (f.factors.every((x) => x === 1)) continue;
    const what = `(${f.from.join('×')}) exceeds this GPU's 3D texture limit ${maxTextureSize}; shown downsampled to ${f.to.join('×')} (every ${f.factors.join('/')} voxel)`;
    groups.set(what, [...(groups.get(what) ?? []), `"${f.title}"`]);
  }
  return [...groups].map(([what, titles]) => `${titles.join(', ')} ${what}`);
}
