import type { Triple } from '../../nn/description.js';
import { randomInt, type Random } from '../../data/random.js';

/** A box in (D, H, W) = (k, j, i) voxel order. */
export interface CropBox {
  origin: Triple;
  size: Triple;
}

/** The requested crop size, limited to the volume on each axis. */
export function clampCropSize(size: Triple, volume: Triple): Triple {
  return size.map((s, axis) => Math.min(s, volume[axis])) as Triple;
}

export function centreCrop(volume: Triple, size: Triple): CropBox {
  const clamped = clampCropSize(size, volume);
  return { origin: volume.map((n, axis) => Math.floor((n - clamped[axis]) / 2)) as Triple, size: clamped };
}

/**
 * A random crop that contains a random foreground voxel (label > 0) when there is one, otherwise a
 * uniformly random crop.
 */
export function randomForegroundCrop(
  labels: ArrayLike<number>,
  volume: Triple,
  size: Triple,
  random: Random,
): CropBox {
  const clamped = clampCropSize(size, volume);
  const foreground: number[] = [];
  for (let v = 0; v < labels.length; v++) if (labels[v] > 0) foreground.push(v);
  const origin: number[] = [];
  if (foreground.length === 0) {
    for (let axis = 0; axis < 3; axis++) origin.push(randomInt(random, volume[axis] - clamped[axis] + 1));
  } else {
    const v = foreground[randomInt(random, foreground.length)];
    const point = [
      Math.floor(v / (volume[1] * volume[2])),
      Math.floor(v / volume[2]) % volume[1],
      v % volume[2],
    ];
    for (let axis = 0; axis < 3; axis++) {
      const lowest = Math.max(0, point[axis] - clamped[axis] + 1);
      const highest = Math.min(point[axis], volume[axis] - clamped[axis]);
      origin.push(lowest + randomInt(random, highest - lowest + 1));
    }
  }
  return { origin: origin as Triple, size: clamped };
}

/** Copies a box out of a (D, H, W, C) volume. */
export function extractCrop<T extends Float32Array | Int32Array>(
  source: ArrayLike<number>,
  volume: Triple,
  channels: number,
  box: CropBox,
  out: T,
): T {
  const [sd, sh, sw] = box.size;
  const [od, oh, ow] = box.origin;
  if (out.length !== sd * sh * sw * channels)
    throw new Error(
      `extractCrop: output holds ${out.length} values, the box needs ${sd * sh * sw * channels}`,
    );
  let at = 0;
  for (let d = 0; d < sd; d++) {
    for (let h = 0; h < sh; h++) {
      const rowStart = (((od + d) * volume[1] + oh + h) * volume[2] + ow) * channels;
      for (let x = 0; x < sw * channels; x++) out[at++] = source[rowStart + x];
    }
  }
  return out;
}

/**
 * Puts a crop's labels back on the full grid (zeros elsewhere), i fastest, ready for writeLabelMap.
 * `volume` is in (D, H, W) order.
 */
export function pasteCrop(labels: ArrayLike<number>, box: CropBox, volume: Triple): Uint8Array {
  const [sd, sh, sw] = box.size;
  if (labels.length !== sd * sh * sw)
    throw new Error(`pasteCrop: ${labels.length} labels for a ${box.size.join('x')} box`);
  const out = new Uint8Array(volume[0] * volume[1] * volume[2]);
  let at = 0;
  for (let d = 0; d < sd; d++) {
    for (let h = 0; h < sh; h++) {
      const rowStart = ((box.origin[0] + d) * volume[1] + box.origin[1] + h) * volume[2] + box.origin[2];
      for (let w = 0; w < sw; w++) out[rowStart + w] = labels[at++];
    }
  }
  return out;
}
