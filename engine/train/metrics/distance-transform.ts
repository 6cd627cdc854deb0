/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012): for every voxel, the
 * distance in world units to the nearest feature voxel, separable over the three axes with
 * anisotropic spacing. Infinity everywhere when there is no feature voxel.
 */
export function distanceToFeatures(
  features: ArrayLike<number | boolean>,
  shape: readonly [number, number, number],
  spacing: readonly [number, number, number] = [1, 1, 1],
): Float64Array {
  const [d, h, w] = shape;
  if (features.length !== d * h * w)
    throw new Error(`distanceToFeatures: ${features.length} voxels for shape ${shape.join('x')}`);
  const squared = new Float64Array(features.length);
  for (let i = 0; i < squared.length; i++) squared[i] = features[i] ? 0 : Infinity;
  const strides = [h * w, w, 1];
  for (let axis = 0; axis < 3; axis++) {
    const n = shape[axis];
    const stride = strides[axis];
    const line = new Float64Array(n);
    const out = new Float64Array(n);
    const others = [0, 1, 2].filter((a) => a !== axis);
    for (let a = 0; a < shape[others[0]]; a++)
      for (let b = 0; b < shape[others[1]]; b++) {
        const base = a * strides[others[0]] + b * strides[others[1]];
        for (let i = 0; i < n; i++) line[i] = squared[base + i * stride];
        lowerEnvelope(line, out, spacing[axis]);
        for (let i = 0; i < n; i++) squared[base + i * stride] = out[i];
      }
  }
  for (let i = 0; i < squared.length; i++) squared[i] = Math.sqrt(squared[i]);
  return squared;
}

/** 1D squared distance transform of sampled function f at positions i·step. */
function lowerEnvelope(f: Float64Array, out: Float64Array, step: number): void {
  const n = f.length;
  const vertices = new Int32Array(n);
  const bounds = new Float64Array(n + 1);
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue; // a point with no feature in reach never lies on the envelope
    const xq = q * step;
    let s = -Infinity;
    while (k >= 0) {
      const v = vertices[k];
      const xv = v * step;
      s = (f[q] + xq * xq - (f[v] + xv * xv)) / (2 * (xq - xv));
      if (s > bounds[k]) break;
      k--;
    }
    k++;
    vertices[k] = q;
    bounds[k] = k === 0 ? -Infinity : s;
    bounds[k + 1] = Infinity;
  }
  if (k < 0) {
    out.fill(Infinity);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    const x = q * step;
    while (bounds[j + 1] < x) j++;
    const dx = x - vertices[j] * step;
    out[q] = dx * dx + f[vertices[j]];
  }
}
