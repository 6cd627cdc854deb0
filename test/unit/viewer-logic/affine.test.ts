import { describe, expect, it } from 'vitest';
import {
  applyAffine,
  checkAffine,
  invertAffine,
  multiplyAffine,
  orientationCodes,
  voxelSpacing,
  worldBounds,
} from '../../../renderer/viewer/affine.js';

// The Debian ITK example's affine (rounded): i → patient left 2 mm, j → superior 2 mm, k → anterior 3 mm.
const ITK = [-2, 0, 0, 0, 0, 0, 3, -254, 0, 2, 0, 0, 0, 0, 0, 1];

describe('affine math', () => {
  it('inverts a permuting, flipping affine (checked by hand)', () => {
    // x = -2i, y = 3k - 254, z = 2j  ⇒  i = -x/2, j = z/2, k = (y + 254)/3
    const inverse = invertAffine(ITK);
    expect(applyAffine(inverse, [10, -254 + 9, 4])).toEqual([-5, 2, 3]);
    const identity = multiplyAffine(ITK, inverse);
    identity.forEach((v, i) =>
      expect(v).toBeCloseTo([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1][i], 12),
    );
  });

  it('names voxel axes by patient direction like nibabel', () => {
    expect(orientationCodes([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe('RAS');
    expect(orientationCodes(ITK)).toBe('LSA');
    // A slightly oblique LPS (DICOM-like) grid still reads as LPS.
    expect(orientationCodes([-1, 0.1, 0, 0, 0.05, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe('LPS');
  });

  it('gives spacings and world bounds including half a voxel', () => {
    expect([0, 1, 2].map((a) => voxelSpacing(ITK, a as 0 | 1 | 2))).toEqual([2, 2, 3]);
    // dims 4×5×6: i spans x ∈ [-2·3.5, 2·0.5] = [-7, 1]; j: z ∈ [-1, 9]; k: y ∈ [-254 - 1.5, -254 + 16.5]
    expect(worldBounds(ITK, [4, 5, 6])).toEqual({ min: [-7, -255.5, -1], max: [1, -237.5, 9] });
  });

  it('rejects malformed and singular affines with the reason', () => {
    expect(() => checkAffine([1, 2, 3], 'volume "x"')).toThrow(
      /volume "x": affine must be 16 finite numbers/,
    );
    expect(() => checkAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1], 'v')).toThrow(/last row/);
    expect(() => invertAffine([1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toThrow(/singular/);
  });
});
