import { describe, expect, it } from 'vitest';
import { fitFactors, VIEWER_VOXEL_BUDGET } from '../../../engine/domain/viewer-fit.js';
import type { VolumeHeader } from '../../../engine/protocol/volume.js';
import { applyAffine } from '../../../renderer/viewer/affine.js';
import {
  downsampleNotices,
  downsampleVolume,
  fitted,
  fitToLimits,
} from '../../../renderer/viewer/downsample.js';

const header: VolumeHeader = {
  id: 'v',
  title: 'T1',
  kind: 'image',
  dims: [5, 4, 3],
  channels: ['a', 'b'],
  dataType: 'int16',
  affine: [-1, 0, 0, 10, 0, 0, 2, 20, 0, 1.5, 0, 30, 0, 0, 0, 1],
  ranges: [
    [0, 59],
    [0, 59],
  ],
};
const voxels = 5 * 4 * 3;
const channelA = Int16Array.from({ length: voxels }, (_, v) => v);
const channelB = Int16Array.from({ length: voxels }, (_, v) => -v);

describe('downsampling to the GPU limit', () => {
  it('picks the smallest integer factor per axis, then coarsens the longest axis until the budget holds', () => {
    const budget = VIEWER_VOXEL_BUDGET;
    expect(fitFactors([240, 240, 155], { maxTextureSize: 256, maxVoxels: budget })).toEqual([1, 1, 1]);
    expect(fitFactors([240, 240, 155], { maxTextureSize: 128, maxVoxels: budget })).toEqual([2, 2, 2]);
    expect(fitFactors([300, 100, 129], { maxTextureSize: 128, maxVoxels: budget })).toEqual([3, 1, 2]);
    // 181×217×181 (7,109,137 voxels) in 2^19 = 524,288: j first (f 1/2/1: 181×109×181 = 3,570,949), then i
    // (the first of equal axes; 2/2/1: 91×109×181 = 1,795,339), k (2/2/2: 902,629), j (2/3/2: 91×73×91 =
    // 604,513), i (3/3/2: 61×73×91 = 405,223 ≤ 524,288).
    expect(fitFactors([181, 217, 181], { maxTextureSize: 2048, maxVoxels: 2 ** 19 })).toEqual([3, 3, 2]);
    // A 2D image is one slice deep.
    expect(fitFactors([300, 100], { maxTextureSize: 128, maxVoxels: budget })).toEqual([3, 1, 1]);
    expect(() => fitFactors([4, 4, 4], { maxTextureSize: 0, maxVoxels: budget })).toThrow(
      'maxTextureSize must be a whole number ≥ 1, got 0',
    );
  });

  it('keeps every f-th voxel of every channel and moves the affine with it', () => {
    const out = downsampleVolume({ header, channels: [channelA, channelB] }, [2, 1, 2]);
    expect(out.header.dims).toEqual([3, 4, 2]);
    expect(out.header.downsampled).toEqual([2, 1, 2]);
    expect(out.header.sourceDims).toEqual([5, 4, 3]);
    // Voxel (i', j', k') is voxel (2i', j', 2k'): index 2i' + 5 j' + 20 · 2k'.
    expect(out.channels[0][0 + 3 * (1 + 4 * 1)]).toBe(0 + 5 * 1 + 40);
    expect(out.channels[0][2 + 3 * (3 + 4 * 0)]).toBe(4 + 15);
    expect(out.channels[1][1]).toBe(-2);
    expect(out.channels[0]).toBeInstanceOf(Int16Array);
    // Same world position as the original voxel it came from.
    expect(applyAffine(out.header.affine, [1, 2, 1])).toEqual(applyAffine(header.affine, [2, 2, 2]));
  });

  it('leaves volumes within the limit alone and explains, in one line per kind of change, when it does not', () => {
    const volume = { header, channels: [channelA, channelB] };
    const limits = (maxTextureSize: number, maxVoxels = VIEWER_VOXEL_BUDGET) => ({
      maxTextureSize,
      maxVoxels,
    });
    expect(fitToLimits(volume, limits(8))).toBe(volume);
    const small = fitToLimits(volume, limits(2));
    expect(small.header.dims).toEqual([2, 2, 2]);
    expect(small.header.downsampled).toEqual([3, 2, 2]);
    const notices = downsampleNotices(
      [
        fitted('T1', small.header),
        fitted('truth', small.header),
        fitted('small', { ...header, dims: [2, 2, 2] }),
      ],
      limits(2),
    );
    expect(notices).toEqual([
      '"T1", "truth" (5×4×3) exceeds this GPU\'s 3D texture limit 2; shown downsampled to 2×2×2 (every 3/2/2 voxel)',
    ]);
    // Downsampled by the engine (header from volume.get) for the budget, then again here: the factors multiply.
    const fromEngine = {
      ...header,
      dims: [3, 2, 3] as [number, number, number],
      downsampled: [2, 2, 1] as [number, number, number],
      sourceDims: [5, 4, 3] as [number, number, number],
    };
    const again = fitToLimits({ header: fromEngine, channels: [channelA.subarray(0, 18)] }, limits(2));
    expect(again.header.downsampled).toEqual([4, 2, 2]);
    expect(downsampleNotices([fitted('T1', again.header)], limits(8, 24))).toEqual([
      '"T1" (5×4×3) exceeds the viewer\'s budget of 24 voxels; shown downsampled to 2×2×2 (every 4/2/2 voxel)',
    ]);
  });
});
