import { describe, expect, it } from 'vitest';
import {
  decodeBinaryFrame,
  encodeBinaryFrame,
  MAX_REQUEST_BYTES,
  methods,
  parseRequest,
  volumeArray,
  encodeRuns,
  encodeZeroRuns,
  volumeByteLength,
  VolumeHeaderSchema,
  type VolumeHeader,
} from '../../../engine/protocol/index.js';

describe('parseRequest', () => {
  it('accepts a well-formed request envelope', () => {
    const parsed = parseRequest(JSON.stringify({ kind: 'request', id: 7, method: 'runs.list', params: {} }));
    expect(parsed).toEqual({
      ok: true,
      request: { kind: 'request', id: 7, method: 'runs.list', params: {} },
    });
  });

  it.each([
    ['not JSON', '{kind: request', null],
    ['a bare number', '42', null],
    ['a missing method', JSON.stringify({ kind: 'request', id: 3, params: {} }), 3],
    ['an extra field', JSON.stringify({ kind: 'request', id: 4, method: 'x', params: {}, evil: 1 }), 4],
    ['a negative id', JSON.stringify({ kind: 'request', id: -1, method: 'x', params: {} }), null],
    ['a response instead of a request', JSON.stringify({ kind: 'response', id: 5, ok: true, result: 1 }), 5],
  ])('rejects %s as invalid-message, keeping a usable id', (_what, text, id) => {
    const parsed = parseRequest(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('invalid-message');
      expect(parsed.id).toBe(id);
    }
  });

  it('rejects a message over the size limit without parsing it', () => {
    const text = JSON.stringify({
      kind: 'request',
      id: 1,
      method: 'runs.list',
      params: { pad: 'x'.repeat(MAX_REQUEST_BYTES) },
    });
    const parsed = parseRequest(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain(`limit of ${MAX_REQUEST_BYTES}`);
  });
});

describe('binary frames', () => {
  it('carry the request id little-endian in front of the payload', () => {
    const frame = encodeBinaryFrame(0x01020304, new Uint8Array([9, 8, 7]));
    // Bytes written by hand: id 0x01020304 little-endian is 04 03 02 01.
    expect([...frame]).toEqual([4, 3, 2, 1, 9, 8, 7]);
    const { id, payload } = decodeBinaryFrame(frame.buffer as ArrayBuffer);
    expect(id).toBe(0x01020304);
    expect([...new Uint8Array(payload)]).toEqual([9, 8, 7]);
  });

  it('refuses a frame too short to hold an id', () => {
    expect(() => decodeBinaryFrame(new ArrayBuffer(3))).toThrow(/no request id/);
  });
});

describe('volume payloads', () => {
  const header: VolumeHeader = {
    id: 'v',
    title: 'T1',
    kind: 'image',
    dims: [2, 3, 4],
    channels: ['t1', 't2'],
    dataType: 'int16',
    affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    ranges: [
      [0, 1],
      [0, 1],
    ],
  };

  it('size is voxels × channels × bytes per voxel', () => {
    expect(volumeByteLength(header)).toBe(2 * 3 * 4 * 2 * 2);
    expect(VolumeHeaderSchema.safeParse(header).success).toBe(true);
  });

  it('a payload of the wrong size is rejected, a right one typed as the header says', () => {
    expect(() => volumeArray(header, new ArrayBuffer(95))).toThrow(/95 bytes, header promises 96/);
    const voxels = volumeArray(header, new Int16Array([-5, ...new Array(47).fill(0)]).buffer);
    expect(voxels).toBeInstanceOf(Int16Array);
    expect(voxels[0]).toBe(-5);
  });

  it('a uint8 label map travels run-length encoded: lengths (uint32) then labels', () => {
    const labels = new Uint8Array([0, 0, 0, 2, 2, 4, 0, 0]);
    const { runs, payload } = encodeRuns(labels);
    // By hand: runs 3×0, 2×2, 1×4, 2×0.
    expect(runs).toBe(4);
    expect([...new Uint32Array(payload.buffer, 0, 4)]).toEqual([3, 2, 1, 2]);
    expect([...payload.subarray(16)]).toEqual([0, 2, 4, 0]);
    const labelHeader: VolumeHeader = {
      ...header,
      kind: 'labels',
      dims: [2, 2, 2],
      channels: ['seg'],
      dataType: 'uint8',
      ranges: [[0, 4]],
      runs,
    };
    expect(VolumeHeaderSchema.safeParse(labelHeader).success).toBe(true);
    // After a 4-byte frame prefix, as it arrives.
    const frame = new Uint8Array(4 + payload.length);
    frame.set(payload, 4);
    expect([...volumeArray(labelHeader, frame.subarray(4))]).toEqual([...labels]);
    const short = encodeRuns(labels.subarray(0, 7));
    expect(() => volumeArray({ ...labelHeader, runs: short.runs }, short.payload)).toThrow(
      "volume 'v': the runs cover 7 voxels, the header's grid has 8",
    );
  });

  it('an image with a zero background travels without its zero runs: (zeros, values) pairs, then the values', () => {
    const voxels = new Int16Array(48);
    voxels.set([5, -3], 10);
    voxels[30] = 7;
    const encoded = encodeZeroRuns(voxels)!;
    // By hand: 10 zeros then 2 values, 18 zeros then 1 value, the last 17 voxels zero.
    expect(encoded.zeroRuns).toEqual({ pairs: 3, values: 3 });
    expect([...new Uint32Array(encoded.payload.buffer, 0, 6)]).toEqual([10, 2, 18, 1, 17, 0]);
    expect([...new Int16Array(encoded.payload.buffer, 24, 3)]).toEqual([5, -3, 7]);
    const sent: VolumeHeader = { ...header, zeroRuns: encoded.zeroRuns };
    expect(VolumeHeaderSchema.safeParse(sent).success).toBe(true);
    expect(volumeByteLength(sent)).toBe(3 * 8 + 3 * 2);
    const frame = new Uint8Array(4 + encoded.payload.length);
    frame.set(encoded.payload, 4);
    const decoded = volumeArray(sent, frame.subarray(4));
    expect(decoded).toBeInstanceOf(Int16Array);
    expect([...decoded]).toEqual([...voxels]);
    // Float voxels alike; all zero is one pair.
    const zeros = encodeZeroRuns(new Float32Array(48))!;
    expect(zeros.zeroRuns).toEqual({ pairs: 1, values: 0 });
    expect([
      ...volumeArray({ ...header, dataType: 'float32', zeroRuns: zeros.zeroRuns }, zeros.payload),
    ]).toEqual(new Array(48).fill(0));
    // Without a zero background nothing is saved: sent as it is.
    expect(encodeZeroRuns(Int16Array.from({ length: 48 }, (_, v) => v + 1))).toBeNull();
    // Pairs that do not cover the grid are refused, named.
    const short = encodeZeroRuns(voxels.subarray(0, 40))!;
    expect(() => volumeArray({ ...header, zeroRuns: short.zeroRuns }, short.payload)).toThrow(
      "volume 'v': the zero runs cover 40 voxels with 3 of 3 values, the header's grid has 48",
    );
  });

  it('a header with an affine of the wrong length fails validation', () => {
    expect(VolumeHeaderSchema.safeParse({ ...header, affine: [1, 0, 0] }).success).toBe(false);
  });
});

describe('method params', () => {
  it('prune.preview refuses a sparsity of 1 and unknown fields', () => {
    const base = {
      task: 'brats',
      net: 'unet3d-brats',
      dataset: '/d',
      method: 'ranp-f',
      sparsity: 0.5,
      lambda: 15,
    };
    expect(methods['prune.preview'].params.safeParse(base).success).toBe(true);
    expect(methods['prune.preview'].params.safeParse({ ...base, sparsity: 1 }).success).toBe(false);
    expect(methods['prune.preview'].params.safeParse({ ...base, extra: true }).success).toBe(false);
  });
});
