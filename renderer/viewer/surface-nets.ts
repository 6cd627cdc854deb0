import type { LabelArray } from './disagreement.js';

/** A triangle mesh in voxel coordinates (voxel centres at integers). */
export interface VoxelSurface {
  positions: Float32Array;
  /** Triangles, counter-clockwise seen from outside the label. */
  indices: Uint32Array;
}

// Cell corner c (bits: i, j, k) and the 12 cell edges as corner pairs.
const CELL_EDGES: [number, number][] = [
  [0, 1], [2, 3], [4, 5], [6, 7], // along i
  [0, 2], [1, 3], [4, 6], [5, 7], // along j
  [0, 4], [1, 5], [2, 6], [3, 7], // along k
]; // prettier-ignore

/**
 * Naive surface nets (Gibson 1998) on the binary mask `labels == label`: one vertex per grid cell the
 * boundary crosses, at the mean of its crossing edges' midpoints; one quad per crossing grid edge.
 * The mask is padded with background so surfaces touching the volume's border are closed too.
 * Only the label's bounding box is visited, so small structures in big scans stay cheap.
 */
export function labelSurface(labels: LabelArray, dims: readonly number[], label: number): VoxelSurface {
  const [ni, nj, nk] = dims;
  if (labels.length !== ni * nj * nk) {
    throw new Error(`labelSurface: ${labels.length} voxels do not match dims ${dims.join('×')}`);
  }
  const lo = [ni, nj, nk];
  const hi = [-1, -1, -1];
  for (let k = 0, v = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, v++) {
        if (labels[v] !== label) continue;
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
      }
    }
  }
  if (hi[0] < 0) return { positions: new Float32Array(0), indices: new Uint32Array(0) };

  // Local point grid: the bounding box plus one background point on every side.
  const origin = [lo[0] - 1, lo[1] - 1, lo[2] - 1];
  const size = [hi[0] - lo[0] + 3, hi[1] - lo[1] + 3, hi[2] - lo[2] + 3];
  const inside = new Uint8Array(size[0] * size[1] * size[2]);
  for (let z = 1; z < size[2] - 1; z++) {
    for (let y = 1; y < size[1] - 1; y++) {
      const src = (z + origin[2]) * ni * nj + (y + origin[1]) * ni + origin[0];
      const dst = z * size[0] * size[1] + y * size[0];
      for (let x = 1; x < size[0] - 1; x++) inside[dst + x] = labels[src + x] === label ? 1 : 0;
    }
  }
  const point = (x: number, y: number, z: number): number => inside[(z * size[1] + y) * size[0] + x];

  // One vertex per crossed cell (cells named by their min corner, size − 1 per axis).
  const cells = [size[0] - 1, size[1] - 1, size[2] - 1];
  const cellVertex = new Int32Array(cells[0] * cells[1] * cells[2]).fill(-1);
  const positions: number[] = [];
  const corner = new Uint8Array(8);
  for (let z = 0; z < cells[2]; z++) {
    for (let y = 0; y < cells[1]; y++) {
      for (let x = 0; x < cells[0]; x++) {
        let count = 0;
        for (let c = 0; c < 8; c++) {
          corner[c] = point(x + (c & 1), y + ((c >> 1) & 1), z + ((c >> 2) & 1));
          count += corner[c];
        }
        if (count === 0 || count === 8) continue;
        let sx = 0;
        let sy = 0;
        let sz = 0;
        let crossings = 0;
        for (const [a, b] of CELL_EDGES) {
          if (corner[a] === corner[b]) continue;
          sx += ((a & 1) + (b & 1)) / 2;
          sy += (((a >> 1) & 1) + ((b >> 1) & 1)) / 2;
          sz += (((a >> 2) & 1) + ((b >> 2) & 1)) / 2;
          crossings++;
        }
        cellVertex[(z * cells[1] + y) * cells[0] + x] = positions.length / 3;
        positions.push(
          origin[0] + x + sx / crossings,
          origin[1] + y + sy / crossings,
          origin[2] + z + sz / crossings,
        );
      }
    }
  }

  // One quad per grid edge whose ends differ, joining the four cells around that edge.
  const indices: number[] = [];
  const cellAt = (c: number[]): number => cellVertex[(c[2] * cells[1] + c[1]) * cells[0] + c[0]];
  const p = [0, 0, 0];
  for (p[2] = 1; p[2] < size[2] - 1; p[2]++) {
    for (p[1] = 1; p[1] < size[1] - 1; p[1]++) {
      for (p[0] = 1; p[0] < size[0] - 1; p[0]++) {
        if (!point(p[0], p[1], p[2])) continue;
        // Only inside points start crossing edges here: look at both neighbours on every axis.
        for (let axis = 0; axis < 3; axis++) {
          const b = (axis + 1) % 3;
          const c = (axis + 2) % 3;
          for (const dir of [1, -1]) {
            const q = [p[0], p[1], p[2]];
            q[axis] += dir;
            if (point(q[0], q[1], q[2])) continue;
            const edgeMin = Math.min(p[axis], q[axis]);
            const quad = [
              [-1, -1],
              [0, -1],
              [0, 0],
              [-1, 0],
            ].map(([db, dc]) => {
              const cell = [0, 0, 0];
              cell[axis] = edgeMin;
              cell[b] = p[b] + db;
              cell[c] = p[c] + dc;
              return cellAt(cell);
            });
            // (b, c) corners in this order turn counter-clockwise about +axis; flip when the outside is −axis.
            if (dir === 1) indices.push(quad[0], quad[1], quad[2], quad[0], quad[2], quad[3]);
            else indices.push(quad[0], quad[2], quad[1], quad[0], quad[3], quad[2]);
          }
        }
      }
    }
  }
  return { positions: new Float32Array(positions), indices: new Uint32Array(indices) };
}
