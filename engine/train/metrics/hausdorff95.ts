import { distanceToFeatures } from './distance-transform.js';

/**
 * 95th-percentile Hausdorff distance between two binary masks, surface-based (medpy's hd95):
 * - surface of a mask = its voxels with a 6-neighbour outside the mask or on the volume border;
 * - distances, in world units (voxel index × spacing), from every surface voxel of each mask to the
 *   nearest surface voxel of the other; HD95 = 95th percentile of both directions pooled,
 *   linear interpolation between order statistics (numpy's default).
 * Empty cases, defined explicitly: both masks empty → 0 (nothing to miss); exactly one empty →
 * the volume's diagonal length in world units, the largest distance possible on the grid (the
 * BraTS toolkit's 373.13 is this value for 240×240×155 at 1 mm), so averages stay finite and a miss
 * is penalized maximally.
 */
export function hausdorff95(
  prediction: ArrayLike<number | boolean>,
  truth: ArrayLike<number | boolean>,
  shape: readonly [number, number, number],
  spacing: readonly [number, number, number] = [1, 1, 1],
): number {
  const n = shape[0] * shape[1] * shape[2];
  if (prediction.length !== n || truth.length !== n)
    throw new Error(
      `hausdorff95: masks have ${prediction.length} and ${truth.length} voxels, shape ${shape.join('x')} needs ${n}`,
    );
  const predSurface = surfaceVoxels(prediction, shape);
  const truthSurface = surfaceVoxels(truth, shape);
  const predEmpty = !predSurface.some((v) => v === 1);
  const truthEmpty = !truthSurface.some((v) => v === 1);
  if (predEmpty && truthEmpty) return 0;
  if (predEmpty || truthEmpty) return Math.hypot(...shape.map((s, i) => s * spacing[i]));
  const toTruth = distanceToFeatures(truthSurface, shape, spacing);
  const toPrediction = distanceToFeatures(predSurface, shape, spacing);
  const distances: number[] = [];
  for (let i = 0; i < n; i++) {
    if (predSurface[i]) distances.push(toTruth[i]);
    if (truthSurface[i]) distances.push(toPrediction[i]);
  }
  return percentile(distances, 95);
}

export function surfaceVoxels(
  mask: ArrayLike<number | boolean>,
  shape: readonly [number, number, number],
): Uint8Array {
  const [d, h, w] = shape;
  const surface = new Uint8Array(d * h * w);
  const inside = (z: number, y: number, x: number) =>
    z >= 0 && z < d && y >= 0 && y < h && x >= 0 && x < w && Boolean(mask[(z * h + y) * w + x]);
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if (!mask[(z * h + y) * w + x]) continue;
        const interior =
          inside(z - 1, y, x) &&
          inside(z + 1, y, x) &&
          inside(z, y - 1, x) &&
          inside(z, y + 1, x) &&
          inside(z, y, x - 1) &&
          inside(z, y, x + 1);
        if (!interior) surface[(z * h + y) * w + x] = 1;
      }
  return surface;
}

/** numpy.percentile with linear interpolation. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('percentile: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}
