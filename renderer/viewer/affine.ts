/**
 * 4×4 affine helpers for volume headers (engine/protocol/volume.ts: voxel (i, j, k) → world RAS+ mm,
 * row-major). Plain arrays so the math is testable without three.js.
 */
export type Vec3 = [number, number, number];
/** Row-major 4×4 matrix, 16 numbers. */
export type Mat4 = number[];

export function checkAffine(affine: readonly number[], what: string): void {
  if (affine.length !== 16 || affine.some((v) => !Number.isFinite(v))) {
    throw new Error(`${what}: affine must be 16 finite numbers (row-major 4×4), got ${affine.length} values`);
  }
  if (affine[12] !== 0 || affine[13] !== 0 || affine[14] !== 0 || affine[15] !== 1) {
    throw new Error(`${what}: affine's last row must be [0, 0, 0, 1], got [${affine.slice(12).join(', ')}]`);
  }
}

export function applyAffine(m: readonly number[], p: readonly number[]): Vec3 {
  return [
    m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3],
    m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7],
    m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11],
  ];
}

export function multiplyAffine(a: readonly number[], b: readonly number[]): Mat4 {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r * 4 + k] * b[k * 4 + c];
      out[r * 4 + c] = s;
    }
  }
  return out;
}

/** Inverse of an affine (last row 0 0 0 1): inverse of the 3×3 part, then the translation. */
export function invertAffine(m: readonly number[]): Mat4 {
  const [a, b, c, , d, e, f, , g, h, i] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (Math.abs(det) < 1e-12)
    throw new Error(`affine is singular (determinant ${det}): voxel axes are degenerate`);
  const r = [
    (e * i - f * h) / det,
    (c * h - b * i) / det,
    (b * f - c * e) / det,
    (f * g - d * i) / det,
    (a * i - c * g) / det,
    (c * d - a * f) / det,
    (d * h - e * g) / det,
    (b * g - a * h) / det,
    (a * e - b * d) / det,
  ];
  const t = [m[3], m[7], m[11]];
  return [
    r[0], r[1], r[2], -(r[0] * t[0] + r[1] * t[1] + r[2] * t[2]),
    r[3], r[4], r[5], -(r[3] * t[0] + r[4] * t[1] + r[5] * t[2]),
    r[6], r[7], r[8], -(r[6] * t[0] + r[7] * t[1] + r[8] * t[2]),
    0, 0, 0, 1,
  ]; // prettier-ignore
}

/** Length in mm of one voxel step along voxel axis `axis` (0 = i, 1 = j, 2 = k). */
export function voxelSpacing(m: readonly number[], axis: 0 | 1 | 2): number {
  return Math.hypot(m[axis], m[4 + axis], m[8 + axis]);
}

/**
 * Axis codes like nibabel's aff2axcodes: for each voxel axis, the world direction it points to most
 * ('R'/'L', 'A'/'P', 'S'/'I'). 'LSA' means i → patient left, j → superior, k → anterior.
 */
export function orientationCodes(m: readonly number[]): string {
  const positive = ['R', 'A', 'S'];
  const negative = ['L', 'P', 'I'];
  const used = new Set<number>();
  let codes = '';
  // Greedy by largest component so each world axis is claimed once, as nibabel does for near-oblique axes.
  const candidates: { voxelAxis: number; worldAxis: number; value: number }[] = [];
  for (let v = 0; v < 3; v++)
    for (let w = 0; w < 3; w++) candidates.push({ voxelAxis: v, worldAxis: w, value: m[w * 4 + v] });
  candidates.sort((x, y) => Math.abs(y.value) - Math.abs(x.value));
  const chosen = new Map<number, { worldAxis: number; value: number }>();
  for (const c of candidates) {
    if (chosen.has(c.voxelAxis) || used.has(c.worldAxis)) continue;
    chosen.set(c.voxelAxis, c);
    used.add(c.worldAxis);
  }
  for (let v = 0; v < 3; v++) {
    const c = chosen.get(v)!;
    codes += c.value >= 0 ? positive[c.worldAxis] : negative[c.worldAxis];
  }
  return codes;
}

/** Axis-aligned world bounding box of the voxel grid (voxel centres ± half a voxel). */
export function worldBounds(m: readonly number[], dims: readonly number[]): { min: Vec3; max: Vec3 } {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let corner = 0; corner < 8; corner++) {
    const p = [0, 1, 2].map((a) => ((corner >> a) & 1 ? dims[a] - 0.5 : -0.5));
    const w = applyAffine(m, p);
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a], w[a]);
      max[a] = Math.max(max[a], w[a]);
    }
  }
  return { min, max };
}
