import { describe, expect, it } from 'vitest';
import type { VolumeHeader } from '../../../engine/protocol/volume.js';
import { volumeFromPayload } from '../../../renderer/viewer/volume-data.js';

const header: VolumeHeader = {
  id: 'brats-1',
  title: 'BraTS subject',
  kind: 'image',
  dims: [2, 2, 1],
  channels: ['flair', 't1ce'],
  dataType: 'float32',
  affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  ranges: [
    [0, 3],
    [10, 13],
  ],
};

describe('protocol payload → viewer volume', () => {
  it('splits channel after channel, i fastest', () => {
    const payload = new Float32Array([0, 1, 2, 3, 10, 11, 12, 13]);
    const volume = volumeFromPayload(header, payload.buffer);
    expect([...volume.channels[0]]).toEqual([0, 1, 2, 3]);
    expect([...volume.channels[1]]).toEqual([10, 11, 12, 13]);
  });

  it('names the volume and the size mismatch', () => {
    expect(() => volumeFromPayload(header, new ArrayBuffer(12))).toThrow(
      'volume "BraTS subject" (brats-1): payload has 12 bytes, expected 32 (2×2×1 × 2 channels × 4 bytes)',
    );
    expect(() => volumeFromPayload({ ...header, kind: 'labels' }, new ArrayBuffer(32))).toThrow(
      /one channel, got 2/,
    );
  });
});
