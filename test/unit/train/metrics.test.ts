import { describe, expect, it } from 'vitest';
import { bratsDice } from '../../../engine/tasks/brats/dice.js';
import { confusionMatrix } from '../../../engine/train/metrics/confusion.js';
import { distanceToFeatures } from '../../../engine/train/metrics/distance-transform.js';
import { hausdorff95, percentile } from '../../../engine/train/metrics/hausdorff95.js';
import { aggregatePartMiou, shapePartIoU } from '../../../engine/tasks/shapenet/part-miou.js';
import { clipTop1, videoTop1 } from '../../../engine/tasks/ucf101/top1.js';
import { createRandom } from '../../../engine/train/rng.js';

describe('ShapeNet part mIoU', () => {
  const truth = [10, 10, 11, 255, 255, 11];
  const pred = [10, 11, 11, 12, 10, 12];
  it('scores occupied voxels only, per part of the category', () => {
    // part 10: I 1 / U 2; part 11: I 1 / U 3; part 12: I 0 / U 1 (predicted once on an occupied voxel)
    expect(shapePartIoU(pred, truth, [10, 11, 12])).toBeCloseTo((0.5 + 1 / 3 + 0) / 3, 12);
  });
  it('a part absent from both prediction and truth counts IoU 1', () => {
    expect(shapePartIoU(pred, truth, [10, 11, 12, 13])).toBeCloseTo((0.5 + 1 / 3 + 0 + 1) / 4, 12);
  });
  it('averages shapes per category, then categories', () => {
    const m = aggregatePartMiou([
      { category: 'A', iou: 0.5 },
      { category: 'A', iou: 1.0 },
      { category: 'B', iou: 0.2 },
    ]);
    expect(m.perCategory.A.miou).toBeCloseTo(0.75, 12);
    expect(m.classMiou).toBeCloseTo(0.475, 12);
    expect(m.instanceMiou).toBeCloseTo(1.7 / 3, 12);
  });
});

describe('BraTS Dice', () => {
  it('ET / TC / WT regions against hand counts', () => {
    const truth = [0, 4, 1, 1, 2, 2];
    const pred = [4, 4, 1, 0, 2, 2];
    const d = bratsDice(pred, truth);
    expect(d.et).toBeCloseTo(2 / 3, 12); // pred {0,1}, truth {1}
    expect(d.tc).toBeCloseTo(4 / 6, 12); // pred {0,1,2}, truth {1,2,3}
    expect(d.wt).toBeCloseTo(8 / 10, 12); // pred {0,1,2,4,5}, truth {1..5}
  });
  it('empty region: 1 when both empty, 0 when only the prediction has it', () => {
    expect(bratsDice([0, 2, 0], [0, 2, 0]).et).toBe(1);
    expect(bratsDice([4, 2, 0], [0, 2, 0]).et).toBe(0);
  });
  it('skips ignored voxels', () => {
    expect(bratsDice([4, 4], [4, 255]).et).toBe(1);
  });
});

/** Independent brute force: surfaces by neighbour test, all-pairs nearest distances, numpy percentile. */
function bruteHd95(a: Uint8Array, b: Uint8Array, shape: number[], spacing: number[]): number {
  const [d, h, w] = shape;
  const surface = (m: Uint8Array) => {
    const pts: number[][] = [];
    const at = (z: number, y: number, x: number) =>
      z >= 0 && y >= 0 && x >= 0 && z < d && y < h && x < w ? m[(z * h + y) * w + x] : 0;
    for (let z = 0; z < d; z++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          if (
            at(z, y, x) &&
            [
              [1, 0, 0],
              [-1, 0, 0],
              [0, 1, 0],
              [0, -1, 0],
              [0, 0, 1],
              [0, 0, -1],
            ].some(([dz, dy, dx]) => !at(z + dz, y + dy, x + dx))
          )
            pts.push([z * spacing[0], y * spacing[1], x * spacing[2]]);
    return pts;
  };
  const sa = surface(a);
  const sb = surface(b);
  const nearest = (p: number[], set: number[][]) =>
    Math.min(...set.map((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2])));
  const all = [...sa.map((p) => nearest(p, sb)), ...sb.map((p) => nearest(p, sa))].sort((x, y) => x - y);
  const rank = 0.95 * (all.length - 1);
  const lo = Math.floor(rank);
  return all[lo] + (all[Math.ceil(rank)] - all[lo]) * (rank - lo);
}

describe('HD95', () => {
  it('two single voxels 3 apart along an axis with 2 mm spacing → 6', () => {
    expect(hausdorff95([1, 0, 0, 0, 0], [0, 0, 0, 1, 0], [1, 1, 5], [1, 1, 2])).toBeCloseTo(6, 12);
  });
  it('empty cases: both empty 0, one empty → grid diagonal', () => {
    const empty = new Uint8Array(24);
    const one = new Uint8Array(24);
    one[5] = 1;
    expect(hausdorff95(empty, empty, [2, 3, 4])).toBe(0);
    expect(hausdorff95(one, empty, [2, 3, 4])).toBeCloseTo(Math.sqrt(29), 12);
    expect(hausdorff95(empty, one, [2, 3, 4], [2, 1, 1])).toBeCloseTo(Math.sqrt(16 + 9 + 16), 12);
  });
  it('equals a brute-force computation on random blobs with anisotropic spacing', () => {
    const random = createRandom(7);
    const shape = [6, 7, 8];
    const spacing = [1.5, 1, 0.7];
    for (let trial = 0; trial < 5; trial++) {
      const blob = (cz: number, cy: number, cx: number, r: number) => {
        const m = new Uint8Array(6 * 7 * 8);
        for (let z = 0; z < 6; z++)
          for (let y = 0; y < 7; y++)
            for (let x = 0; x < 8; x++)
              if ((z - cz) ** 2 + (y - cy) ** 2 + (x - cx) ** 2 <= r * r || random() < 0.05)
                m[(z * 7 + y) * 8 + x] = 1;
        return m;
      };
      const a = blob(2 + random() * 2, 3, 3 + random() * 2, 2);
      const b = blob(3, 2 + random() * 3, 4, 1.5 + random());
      expect(hausdorff95(a, b, [6, 7, 8], [1.5, 1, 0.7])).toBeCloseTo(bruteHd95(a, b, shape, spacing), 9);
    }
  });
  it('percentile interpolates linearly like numpy', () => {
    expect(percentile([4, 1, 3, 2], 95)).toBeCloseTo(3.85, 12);
  });
});

describe('distance transform', () => {
  it('matches brute-force nearest-feature distances', () => {
    const random = createRandom(3);
    const shape: [number, number, number] = [4, 5, 6];
    const features = Array.from({ length: 120 }, () => (random() < 0.08 ? 1 : 0));
    features[17] = 1;
    const spacing: [number, number, number] = [2, 0.5, 1];
    const dt = distanceToFeatures(features, shape, spacing);
    const coords = (i: number) => [Math.floor(i / 30) * 2, (Math.floor(i / 6) % 5) * 0.5, i % 6];
    for (let i = 0; i < 120; i++) {
      const p = coords(i);
      let best = Infinity;
      for (let j = 0; j < 120; j++)
        if (features[j]) {
          const q = coords(j);
          best = Math.min(best, Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]));
        }
      expect(dt[i]).toBeCloseTo(best, 9);
    }
  });
});

describe('UCF101 top-1', () => {
  const clips = [
    { video: 'v1', logits: [2, 0, 0], label: 0 },
    { video: 'v1', logits: [0, 1, 0], label: 0 },
    { video: 'v2', logits: [0, 0, 3], label: 1 },
  ];
  it('clip accuracy counts each clip', () => expect(clipTop1(clips)).toBeCloseTo(1 / 3, 12));
  // v1 mean softmax ≈ [0.50, 0.34, 0.16] → class 0 (correct); v2 → class 2 (wrong)
  it('video accuracy averages softmax over a video’s clips', () =>
    expect(videoTop1(clips)).toBeCloseTo(0.5, 12));
});

describe('confusion matrix', () => {
  it('rows truth, columns prediction, ignore skipped', () => {
    const m = confusionMatrix(3, [0, 2, 2, 1, 1], [0, 1, 2, 255, 1]);
    expect(Array.from(m)).toEqual([1, 0, 0, 0, 1, 1, 0, 0, 1]);
  });
  it('names out-of-range labels', () => {
    expect(() => confusionMatrix(2, [0], [5])).toThrow(/label 5/);
  });
});
