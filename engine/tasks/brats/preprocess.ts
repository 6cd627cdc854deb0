/**
 * BraTS intensity normalization (docs/method.md §3): brain mask = sum of the modalities > 0; each
 * modality is clipped to the 0.2/99.8 percentiles of its masked voxels and z-scored with the
 * masked mean and standard deviation; voxels outside the mask are set to 0.
 */

export const CLIP_PERCENTILES: [number, number] = [0.2, 99.8];

type Voxels = ArrayLike<number>;

export function brainMask(modalities: readonly Voxels[]): Uint8Array {
  const n = modalities[0].length;
  const mask = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    let sum = 0;
    for (const m of modalities) sum += m[v];
    mask[v] = sum > 0 ? 1 : 0;
  }
  return mask;
}

/** Percentile p (0-100) of sorted values with linear interpolation between ranks (numpy's default). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = ((sorted.length - 1) * p) / 100;
  const below = Math.floor(rank);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
}

/** The masked values in ascending order; BraTS stores small integers, which a counting sort orders in O(n). */
function sortedMaskedValues(values: Voxels, mask: Uint8Array, count: number): Float64Array {
  const sorted = new Float64Array(count);
  const smallIntegers =
    values instanceof Int16Array ||
    values instanceof Uint16Array ||
    values instanceof Uint8Array ||
    values instanceof Int8Array;
  if (!smallIntegers) {
    for (let v = 0, n = 0; v < values.length; v++) if (mask[v]) sorted[n++] = values[v];
    return sorted.sort();
  }
  const offset = 32768;
  const histogram = new Uint32Array(65536 + offset);
  for (let v = 0; v < values.length; v++) if (mask[v]) histogram[values[v] + offset]++;
  for (let bin = 0, n = 0; bin < histogram.length; bin++)
    for (let c = histogram[bin]; c > 0; c--) sorted[n++] = bin - offset;
  return sorted;
}

/** One modality, normalized inside the mask. */
export function normalizeModality(values: Voxels, mask: Uint8Array): Float32Array {
  let count = 0;
  for (let v = 0; v < values.length; v++) count += mask[v];
  const out = new Float32Array(values.length);
  if (count === 0) return out;
  const sorted = sortedMaskedValues(values, mask, count);
  const low = percentileOfSorted(sorted, CLIP_PERCENTILES[0]);
  const high = percentileOfSorted(sorted, CLIP_PERCENTILES[1]);
  let sum = 0;
  let sumSquares = 0;
  for (let n = 0; n < count; n++) {
    const c = Math.min(high, Math.max(low, sorted[n]));
    sum += c;
    sumSquares += c * c;
  }
  const mean = sum / count;
  const std = Math.sqrt(Math.max(0, sumSquares / count - mean * mean));
  // A constant modality (std 0) carries no information: zeros rather than a division by zero.
  const scale = std > 0 ? 1 / std : 0;
  for (let v = 0; v < values.length; v++) {
    if (mask[v]) out[v] = (Math.min(high, Math.max(low, values[v])) - mean) * scale;
  }
  return out;
}
