/**
 * NIfTI orientation: voxel (i, j, k) → world (RAS+, mm) as a row-major 4x4 matrix (16 numbers).
 * Priority follows the NIfTI-1 standard and nibabel: sform when sform_code > 0, else qform when
 * qform_code > 0, else pixdim scaling only.
 */

export type Affine = number[];

export interface QuaternionForm {
  b: number;
  c: number;
  d: number;
  offset: [number, number, number];
  /** Voxel sizes pixdim[1..3] (absolute values). */
  pixdim: [number, number, number];
  /** pixdim[0]: -1 flips the k axis (left-handed voxel grid), anything else counts as +1. */
  qfac: number;
}

export function identityAffine(): Affine {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

/** NIfTI-1 "method 2": rotation from the unit quaternion (a derived from b, c, d), scaled by pixdim. */
export function quaternionToAffine(q: QuaternionForm): Affine {
  let { b, c, d } = q;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // As nifti1_io.c: a float32-stored quaternion with a ≈ 0 is renormalized, else rounding tilts the axes.
    const norm = Math.sqrt(b * b + c * c + d * d);
    [a, b, c, d] = [0, b / norm, c / norm, d / norm];
  } else {
    a = Math.sqrt(a);
  }
  const r = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  const scale = [q.pixdim[0], q.pixdim[1], q.qfac < 0 ? -q.pixdim[2] : q.pixdim[2]];
  const out: Affine = [];
  for (let row = 0; row < 3; row++) {
    out.push(r[row][0] * scale[0], r[row][1] * scale[1], r[row][2] * scale[2], q.offset[row]);
  }
  out.push(0, 0, 0, 1);
  return out;
}

/**
 * The inverse of quaternionToAffine for writing headers (nifti_mat44_to_quatern): voxel sizes are
 * the column lengths, a negative determinant becomes qfac = -1. Assumes orthogonal columns, which
 * holds for every grid this app writes (they copy a reader's affine).
 */
export function affineToQuaternion(affine: Affine): QuaternionForm {
  const col = (j: number) => [affine[j], affine[4 + j], affine[8 + j]];
  const columns = [col(0), col(1), col(2)];
  const pixdim = columns.map((v) => Math.hypot(v[0], v[1], v[2]) || 1) as [number, number, number];
  const r = columns.map((v, j) => v.map((x) => x / pixdim[j]));
  // r[j] is column j; determinant of [c0 c1 c2].
  const det =
    r[0][0] * (r[1][1] * r[2][2] - r[2][1] * r[1][2]) -
    r[1][0] * (r[0][1] * r[2][2] - r[2][1] * r[0][2]) +
    r[2][0] * (r[0][1] * r[1][2] - r[1][1] * r[0][2]);
  const qfac = det < 0 ? -1 : 1;
  if (qfac < 0) r[2] = r[2].map((x) => -x);
  // m[row][col]
  const m = (row: number, column: number) => r[column][row];
  let a = m(0, 0) + m(1, 1) + m(2, 2) + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (m(2, 1) - m(1, 2))) / a;
    c = (0.25 * (m(0, 2) - m(2, 0))) / a;
    d = (0.25 * (m(1, 0) - m(0, 1))) / a;
  } else {
    const xd = 1 + m(0, 0) - (m(1, 1) + m(2, 2));
    const yd = 1 + m(1, 1) - (m(0, 0) + m(2, 2));
    const zd = 1 + m(2, 2) - (m(0, 0) + m(1, 1));
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (m(0, 1) + m(1, 0))) / b;
      d = (0.25 * (m(0, 2) + m(2, 0))) / b;
      a = (0.25 * (m(2, 1) - m(1, 2))) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (m(0, 1) + m(1, 0))) / c;
      d = (0.25 * (m(1, 2) + m(2, 1))) / c;
      a = (0.25 * (m(0, 2) - m(2, 0))) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (m(0, 2) + m(2, 0))) / d;
      c = (0.25 * (m(1, 2) + m(2, 1))) / d;
      a = (0.25 * (m(1, 0) - m(0, 1))) / d;
    }
    // The standard keeps a >= 0 (a is not stored, only derived).
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, offset: [affine[3], affine[7], affine[11]], pixdim, qfac };
}

/** World position (mm) of voxel (i, j, k). */
export function voxelToWorld(affine: Affine, i: number, j: number, k: number): [number, number, number] {
  return [0, 1, 2].map(
    (row) => affine[4 * row] * i + affine[4 * row + 1] * j + affine[4 * row + 2] * k + affine[4 * row + 3],
  ) as [number, number, number];
}

/** The affine of a grid resampled by integer `factor` per axis (voxel centres of the coarse grid). */
export function downsampledAffine(affine: Affine, factor: [number, number, number]): Affine {
  const out = affine.slice();
  for (let row = 0; row < 3; row++) {
    let shift = 0;
    for (let axis = 0; axis < 3; axis++) {
      out[4 * row + axis] = affine[4 * row + axis] * factor[axis];
      shift += (affine[4 * row + axis] * (factor[axis] - 1)) / 2;
    }
    out[4 * row + 3] = affine[4 * row + 3] + shift;
  }
  return out;
}

/** The affine of a grid that keeps every `steps[axis]`-th voxel along each axis, starting at voxel 0. */
export function stridedAffine(affine: Affine, steps: readonly number[]): Affine {
  return affine.map((v, n) => (n < 12 && n % 4 !== 3 ? v * steps[n % 4] : v));
}
