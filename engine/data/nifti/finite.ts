import type { VoxelArray } from './datatypes.js';

/** Voxels that are not finite numbers: NaN or ±Inf stored in a float file, or made by scaling. */
export interface NonFiniteVoxels {
  /** NaN + infinite voxels. */
  count: number;
  nan: number;
  infinite: number;
  /** Index (i fastest) of the first one; -1 when there is none. */
  first: number;
}

/** Integer arrays cannot hold NaN or Inf, so only float data is scanned. */
export function countNonFinite(data: VoxelArray): NonFiniteVoxels {
  const found: NonFiniteVoxels = { count: 0, nan: 0, infinite: 0, first: -1 };
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return found;
  for (let v = 0; v < data.length; v++) {
    const x = data[v];
    // x - x is 0 for every finite x and NaN for NaN and ±Inf: one test in the common case.
    if (x - x === 0) continue;
    if (found.first < 0) found.first = v;
    if (Number.isNaN(x)) found.nan++;
    else found.infinite++;
  }
  found.count = found.nan + found.infinite;
  return found;
}

/**
 * "12 of 4096 voxels are not finite (10 NaN, 2 ±Inf), the first at voxel (3, 0, 1)", or undefined
 * when every voxel is finite. `dims` gives the voxel position of the first one.
 */
export function describeNonFinite(found: NonFiniteVoxels, dims: readonly number[]): string | undefined {
  if (found.count === 0) return undefined;
  const total = dims.reduce((a, b) => a * b, 1);
  const position: number[] = [];
  let rest = found.first;
  for (const size of dims) {
    position.push(rest % size);
    rest = Math.floor(rest / size);
  }
  const kinds = [found.nan ? `${found.nan} NaN` : '', found.infinite ? `${found.infinite} ±Inf` : '']
    .filter(Boolean)
    .join(', ');
  return (
    `${found.count} of ${total} voxels are not finite (${kinds}), the first at voxel (${position.join(', ')}); ` +
    'training on them gives NaN losses — fix or mask them (e.g. set them to 0) before using the file'
  );
}
