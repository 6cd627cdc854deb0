import { describe, expect, it } from 'vitest';
import type { VolumeHeader } from '../../../engine/protocol/volume.js';
import { appendChannels, volumeFromPayload } from '../../../renderer/viewer/volume-data.js';

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

  it('reads a payload that is a view into a larger frame (after the 4-byte request id), without copying', () => {
    const frame = new Float32Array([99, 0, 1, 2, 3, 10, 11, 12, 13]);
    const volume = volumeFromPayload(header, new Uint8Array(frame.buffer, 4));
    expect([...volume.channels[1]]).toEqual([10, 11, 12, 13]);
    expect(volume.channels[0].buffer).toBe(frame.buffer);
  });

  it('appends channels that arrive later, and refuses another grid', () => {
    const first = volumeFromPayload(
      { ...header, channels: ['flair'], ranges: [[0, 3]], allChannels: ['flair', 't1ce'] },
      new Float32Array([0, 1, 2, 3]).buffer,
    );
    const later = volumeFromPayload(
      { ...header, channels: ['t1ce'], ranges: [[10, 13]], allChannels: ['flair', 't1ce'] },
      new Float32Array([10, 11, 12, 13]).buffer,
    );
    const both = appendChannels(first, later);
    expect(both.header.channels).toEqual(['flair', 't1ce']);
    expect(both.header.ranges).toEqual(header.ranges);
    expect(both.header.allChannels).toBeUndefined();
    expect(both.channels[1]).toBe(later.channels[0]);
    const shifted = {
      ...later,
      header: { ...later.header, affine: [1, 0, 0, 5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] },
    };
    expect(() => appendChannels(first, shifted)).toThrow(
      /not the image's 2×2×1 \(dims and affine must match\)/,
    );
  });
});
