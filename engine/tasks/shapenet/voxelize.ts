/**
 * Point cloud → occupancy grid + part labels (docs/method.md §3): centre the cloud on its mean,
 * scale so the farthest point is at distance 1, voxel index floor(G/2·p + G/2) (G = 64 gives the
 * paper's floor(32p + 32)), clamped to G - 1 for points exactly at +1. A voxel takes the label most
 * of its points carry (ties: the smaller id); empty voxels get the ignore label 255.
 */

export const EMPTY_VOXEL = 255;

export interface VoxelizedShape {
  /** [G, G, G, 1] occupancy (1 occupied, 0 empty), x slowest, z fastest. */
  occupancy: Float32Array;
  /** [G, G, G] global part ids, 255 where empty. */
  labels: Int32Array;
  occupied: number;
}

/** points: x, y, z interleaved; labels: global part id per point. */
export function voxelizePoints(points: Float32Array, labels: Int32Array, grid: number): VoxelizedShape {
  const n = labels.length;
  if (points.length !== 3 * n) throw new Error(`voxelizePoints: ${points.length / 3} points but ${n} labels`);
  if (!(Number.isInteger(grid) && grid >= 2))
    throw new Error(`voxelizePoints: grid must be an integer >= 2, got ${grid}`);
  const mean = [0, 0, 0];
  for (let p = 0; p < n; p++) for (let a = 0; a < 3; a++) mean[a] += points[3 * p + a] / n;
  let farthest = 0;
  for (let p = 0; p < n; p++) {
    const d = Math.hypot(points[3 * p] - mean[0], points[3 * p + 1] - mean[1], points[3 * p + 2] - mean[2]);
    if (d > farthest) farthest = d;
  }
  const half = grid / 2;
  const scale = farthest > 0 ? half / farthest : 0;
  // Per voxel: votes per label, kept sparse since a shape has few parts.
  const votes = new Map<number, Map<number, number>>();
  for (let p = 0; p < n; p++) {
    let voxel = 0;
    for (let a = 0; a < 3; a++) {
      const index = Math.min(grid - 1, Math.max(0, Math.floor((points[3 * p + a] - mean[a]) * scale + half)));
      voxel = voxel * grid + index;
    }
    const counts = votes.get(voxel) ?? new Map<number, number>();
    counts.set(labels[p], (counts.get(labels[p]) ?? 0) + 1);
    votes.set(voxel, counts);
  }
  const occupancy = new Float32Array(grid ** 3);
  const voxelLabels = new Int32Array(grid ** 3).fill(EMPTY_VOXEL);
  for (const [voxel, counts] of votes) {
    occupancy[voxel] = 1;
    let best = -1;
    let bestCount = 0;
    for (const [label, count] of counts) {
      if (count > bestCount || (count === bestCount && label < best)) [best, bestCount] = [label, count];
    }
    voxelLabels[voxel] = best;
  }
  return { occupancy, labels: voxelLabels, occupied: votes.size };
}
