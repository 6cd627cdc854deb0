import { describe, expect, it } from 'vitest';
import { labelSurface, type VoxelSurface } from '../../../renderer/viewer/surface-nets.js';

function grid(dims: [number, number, number], fill: (i: number, j: number, k: number) => number): Uint8Array {
  const out = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++) out[i + dims[0] * (j + dims[1] * k)] = fill(i, j, k);
  return out;
}

/** Signed volume by the divergence theorem: positive iff triangles face outwards. */
function signedVolume({ positions: p, indices }: VoxelSurface): number {
  let v = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const [a, b, c] = [indices[t] * 3, indices[t + 1] * 3, indices[t + 2] * 3];
    v +=
      p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) -
      p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) +
      p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
  }
  return v / 6;
}

/** Every undirected edge used by exactly two triangles, once in each direction: closed and consistently wound. */
function isClosedManifold(indices: Uint32Array): boolean {
  const directed = new Map<string, number>();
  for (let t = 0; t < indices.length; t += 3) {
    for (let e = 0; e < 3; e++) {
      const key = `${indices[t + e]}>${indices[t + ((e + 1) % 3)]}`;
      directed.set(key, (directed.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of directed) {
    const [a, b] = key.split('>');
    if (count !== 1 || directed.get(`${b}>${a}`) !== 1) return false;
  }
  return true;
}

describe('surface nets on label maps', () => {
  it('wraps a single voxel in a cube of side 1/3 (worked out by hand)', () => {
    // Each of the 8 cells around the voxel crosses 3 edges whose midpoints average to (±1/6, ±1/6, ±1/6).
    const labels = grid([3, 3, 3], (i, j, k) => (i === 1 && j === 1 && k === 1 ? 7 : 0));
    const s = labelSurface(labels, [3, 3, 3], 7);
    expect(s.positions.length / 3).toBe(8);
    expect(s.indices.length / 3).toBe(12);
    for (const c of s.positions) expect(Math.abs(Math.abs(c - 1) - 1 / 6)).toBeLessThan(1e-6);
    expect(signedVolume(s)).toBeCloseTo(1 / 27, 6);
    expect(isClosedManifold(s.indices)).toBe(true);
  });

  it('closes surfaces that touch the volume border', () => {
    const labels = grid([2, 2, 2], () => 1);
    const s = labelSurface(labels, [2, 2, 2], 1);
    expect(isClosedManifold(s.indices)).toBe(true);
    expect(signedVolume(s)).toBeGreaterThan(0);
    // Vertices stay within half a voxel of the occupied voxels.
    for (const c of s.positions) expect(c >= -0.5 && c <= 1.5).toBe(true);
  });

  it('gives one closed sphere-like component per blob (Euler characteristic 2 each)', () => {
    const labels = grid([9, 5, 5], (i, j, k) => ((i === 2 || i === 6) && j === 2 && k === 2 ? 3 : 0));
    const s = labelSurface(labels, [9, 5, 5], 3);
    const vertices = s.positions.length / 3;
    const faces = s.indices.length / 3;
    const edges = (faces * 3) / 2;
    expect(vertices - edges + faces).toBe(4);
    expect(signedVolume(s)).toBeCloseTo(2 / 27, 6);
  });

  it('encloses about the voxel volume of a ball and ignores other labels', () => {
    const n = 21;
    const r = 7;
    let voxels = 0;
    const labels = grid([n, n, n], (i, j, k) => {
      const inside = (i - 10) ** 2 + (j - 10) ** 2 + (k - 10) ** 2 <= r * r;
      if (inside) voxels++;
      return inside ? 2 : 5;
    });
    const s = labelSurface(labels, [n, n, n], 2);
    expect(isClosedManifold(s.indices)).toBe(true);
    // The net surface runs between inside and outside voxel centres: its volume lies within a few % of the count.
    expect(Math.abs(signedVolume(s) - voxels) / voxels).toBeLessThan(0.15);
    expect(labelSurface(labels, [n, n, n], 9).indices.length).toBe(0);
  });

  it('checks the grid size', () => {
    expect(() => labelSurface(new Uint8Array(5), [2, 2, 2], 1)).toThrow(/5 voxels do not match dims 2×2×2/);
  });
});
