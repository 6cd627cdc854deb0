import { describe, expect, it } from 'vitest';
import type { VolumeHeader } from '../../../engine/protocol/volume.js';
import { applyAffine } from '../../../renderer/viewer/affine.js';
import {
  downsampleFactors,
  downsampleNotices,
  downsampleVolume,
  fitToTextureLimit,
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
  it('picks the smallest integer factor per axis', () => {
    expect(downsampleFactors([240, 240, 155], 256)).toEqual([1, 1, 1]);
    expect(downsampleFactors([240, 240, 155], 128)).toEqual([2, 2, 2]);
    expect(downsampleFactors([300, 100, 129], 128)).toEqual([3, 1, 2]);
  });

  it('keeps every f-th voxel of every channel and moves the affine with it', () => {
    const out = downsampleVolume({ header, channels: [channelA, channelB] }, [2, 1, 2]);
    expect(out.header.dims).toEqual([3, 4, 2]);
    expect(out.header.downsampled).toEqual([2, 1, 2]);
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
    expect(fitToTextureLimit(volume, 8)).toEqual({ volume, factors: [1, 1, 1] });
    const fitted = fitToTextureLimit(volume, 2);
    expect(fitted.volume.header.dims).toEqual([2, 2, 2]);
    expect(fitted.factors).toEqual([3, 2, 2]);
    const notices = downsampleNotices(
      [
        { title: 'T1', from: [5, 4, 3], to: [2, 2, 2], factors: [3, 2, 2] },
        { title: 'truth', from: [5, 4, 3], to: [2, 2, 2], factors: [3, 2, 2] },
        { title: 'small', from: [2, 2, 2], to: [2, 2, 2], factors: [1, 1, 1] },
      ],
      2,
    );
    expect(notices).toEqual([
      '"T1", "truth" (5×4×3) exceeds this GPU\'s 3D texture limit 2; shown downsampled to 2×2×2 (every 3/2/2 voxel)',
    ]);
  });
});
