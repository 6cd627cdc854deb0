import { describe, expect, it } from 'vitest';
import { shapeIoU, wrongVoxels } from '../../../renderer/viewer/shape-iou.js';

describe('per-shape part IoU', () => {
  it('averages over the category parts on occupied voxels (by hand)', () => {
    const E = 255;
    const truth = [12, 12, 13, 13, E, 14];
    const prediction = [12, 13, 13, 13, 12, 12];
    // part 12: ∩ 1 (v0), ∪ {v0, v1, v5} = 3; part 13: ∩ 2, ∪ 3; part 14: ∩ 0, ∪ 1; part 15: absent → 1.
    const result = shapeIoU(truth, prediction, [12, 13, 14, 15]);
    expect(result.perPart.map((p) => [p.intersection, p.union])).toEqual([
      [1, 3],
      [2, 3],
      [0, 1],
      [0, 0],
    ]);
    expect(result.mean).toBeCloseTo((1 / 3 + 2 / 3 + 0 + 1) / 4, 12);
  });

  it('marks the voxels whose prediction differs from the truth (errors-only mode keeps these)', () => {
    const E = 255;
    expect([...wrongVoxels([12, 12, 13, E, 14], [12, 13, 13, E, 12])]).toEqual([0, 1, 0, 0, 1]);
  });

  it('rejects mismatched lengths and empty part lists', () => {
    expect(() => shapeIoU([1], [1, 2], [1])).toThrow(/truth has 1 voxels, prediction 2/);
    expect(() => shapeIoU([1], [1], [])).toThrow(/no parts/);
  });
});
