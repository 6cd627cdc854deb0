/**
 * How a volume is fitted to the viewer: per axis at most the GPU's 3D texture size (WebGL2
 * MAX_3D_TEXTURE_SIZE, which the renderer reads from its GPU and sends with volume.get) and at most a
 * stated budget of voxels per channel (what one channel costs as the viewer's float32 texture). The engine
 * downsamples to these before sending; the renderer checks what arrives against its own limits and names
 * any factor on screen.
 */
export interface ViewerLimits {
  /** Largest size of a 3D texture along any axis, in voxels. */
  maxTextureSize: number;
  /** Most voxels one channel may have. */
  maxVoxels: number;
}

/** WebGL2 guarantees at least this MAX_3D_TEXTURE_SIZE: the limit assumed when a request names none. */
const WEBGL2_MIN_3D_TEXTURE_SIZE = 256;

/** The viewer's memory budget per channel: 2^27 voxels (a 512³ volume), 512 MiB as a float32 texture. */
export const VIEWER_VOXEL_BUDGET = 2 ** 27;

export const DEFAULT_VIEWER_LIMITS: ViewerLimits = {
  maxTextureSize: WEBGL2_MIN_3D_TEXTURE_SIZE,
  maxVoxels: VIEWER_VOXEL_BUDGET,
};

/**
 * Integer keep-every-f-th factors per axis: the smallest that bring every axis within the texture size,
 * then, while the voxels exceed the budget, the currently longest axis (the first of equal ones) one step
 * coarser, so voxels stay as near their original shape as the budget allows. All 1 when the volume fits.
 */
export function fitFactors(dims: readonly number[], limits: ViewerLimits): [number, number, number] {
  const { maxTextureSize, maxVoxels } = limits;
  if (!(Number.isInteger(maxTextureSize) && maxTextureSize >= 1))
    throw new Error(`viewer limits: maxTextureSize must be a whole number ≥ 1, got ${maxTextureSize}`);
  if (!(maxVoxels >= 1)) throw new Error(`viewer limits: maxVoxels must be ≥ 1, got ${maxVoxels}`);
  // A 2D image is one slice deep.
  const size = [0, 1, 2].map((a) => dims[a] ?? 1);
  const factors = size.map((d) => Math.ceil(d / maxTextureSize)) as [number, number, number];
  const sizes = () => fittedDims(size, factors);
  for (let s = sizes(); s[0] * s[1] * s[2] > maxVoxels; s = sizes()) {
    const longest = s.indexOf(Math.max(...s));
    factors[longest]++;
  }
  return factors;
}

/** The grid kept by `factors` (every f-th voxel from voxel 0). */
export function fittedDims(dims: readonly number[], factors: readonly number[]): [number, number, number] {
  return [0, 1, 2].map((a) => Math.ceil(dims[a] / factors[a])) as [number, number, number];
}
