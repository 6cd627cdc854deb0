import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/dataset.js';
import { niftiToVolume, parseNifti, readNifti, writeLabelMap } from '../../../engine/data/nifti/index.js';
import { buildNifti, encodeValues, rawNifti1 } from './nifti-bytes.js';

const ITK = join(import.meta.dirname, '../../fixtures/debian/itk');
const T1 = join(ITK, 'KmeansTest_T1UCharRaw.nii.gz');
const SEG = join(ITK, 'KmeansTest_T1KmeansPrelimSegmentation.nii.gz');

/**
 * The ITK files store srow = (-2 0 0 0 | 0 0 3 -254 | 0 2 0 0) with sform_code 1 and a qform
 * (b, c, d) = (0, √½, √½), a = 0, i.e. R = [[-1,0,0],[0,0,1],[0,1,0]] times pixdim (2, 2, 3):
 * both give this affine (worked out by hand from the header bytes).
 */
const ITK_AFFINE = [-2, 0, 0, 0, 0, 0, 3, -254, 0, 2, 0, 0, 0, 0, 0, 1];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ranp-nifti-'));
});

function close(actual: number[], expected: number[], digits = 5) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, n) => expect(a, `element ${n}`).toBeCloseTo(expected[n], digits));
}

describe('readNifti on the real ITK MRI (Debian insighttoolkit5-examples)', () => {
  it('matches the header and voxel bytes parsed by hand', async () => {
    const image = await readNifti(T1);
    const raw = gunzipSync(await readFile(T1));
    const fields = rawNifti1(raw);
    expect(fields.dims).toEqual([128, 128, 62]);
    expect(image.dims).toEqual([128, 128, 62]);
    expect(fields.datatype).toBe(4);
    expect(image.data).toBeInstanceOf(Int16Array);
    expect(image.scaled).toBe(false);
    close(image.affine, ITK_AFFINE);
    // Voxels at known (i, j, k): offset 352 + 2 * (i + 128 * (j + 128 * k)), little-endian int16.
    for (const [i, j, k] of [
      [0, 0, 0],
      [64, 64, 31],
      [100, 20, 50],
      [127, 127, 61],
      [40, 90, 10],
    ]) {
      const expected = fields.view.getInt16(352 + 2 * (i + 128 * (j + 128 * k)), true);
      expect(image.data[i + 128 * (j + 128 * k)], `voxel ${i},${j},${k}`).toBe(expected);
    }
    expect(image.data[64 + 128 * (64 + 128 * 31)]).toBeGreaterThan(0);
  });

  it('reads the uint8 label map with the values an independent parse finds', async () => {
    const image = await readNifti(SEG);
    const raw = gunzipSync(await readFile(SEG));
    expect(image.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(image.data as Uint8Array).equals(raw.subarray(352))).toBe(true);
    expect(new Set(image.data)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
  });

  it('turns it into a viewer volume (engine/protocol/volume.ts), downsampled on request', async () => {
    const image = await readNifti(T1);
    const full = niftiToVolume(image, { id: 't1', title: 'T1', kind: 'image' });
    expect(full.header.dims).toEqual([128, 128, 62]);
    expect(full.header.dataType).toBe('int16');
    expect(full.payload.byteLength).toBe(128 * 128 * 62 * 2);
    const small = niftiToVolume(image, { id: 't1', title: 'T1', kind: 'image', factors: [2, 2, 2] });
    expect(small.header.dims).toEqual([64, 64, 31]);
    expect(small.header.downsampled).toEqual([2, 2, 2]);
    // Voxel (1, 1, 1) of the strided grid is voxel (2, 2, 2) of the original, 4/4/6 mm columns.
    expect(new Int16Array(small.payload)[1 + 64 * (1 + 64)]).toBe(image.data[2 + 128 * (2 + 128 * 2)]);
    close(small.header.affine, [-4, 0, 0, 0, 0, 0, 6, -254, 0, 4, 0, 0, 0, 0, 0, 1]);
  });
});

describe('writeLabelMap', () => {
  it('round-trips the real label map on the same grid, readable by a hand parser', async () => {
    const seg = await readNifti(SEG);
    const file = join(tmp, 'labels.nii.gz');
    await writeLabelMap(file, seg.data as Uint8Array, seg);
    const back = await readNifti(file);
    expect(back.dims).toEqual(seg.dims);
    close(back.affine, ITK_AFFINE);
    expect(Buffer.from(back.data as Uint8Array).equals(Buffer.from(seg.data as Uint8Array))).toBe(true);

    const fields = rawNifti1(gunzipSync(await readFile(file)));
    expect(fields).toMatchObject({
      sizeofHdr: 348,
      datatype: 2,
      bitpix: 8,
      intent: 1002,
      voxOffset: 352,
      magic: 'n+1',
    });
    close(fields.srow, ITK_AFFINE.slice(0, 12));
    expect(fields.qformCode).toBeGreaterThan(0);
    expect(fields.sformCode).toBeGreaterThan(0);
    // The qform other tools fall back to encodes the same rotation: (b, c, d) = (0, √½, √½).
    close(fields.quatern.map(Math.abs), [0, Math.SQRT1_2, Math.SQRT1_2]);
    close(fields.pixdim.slice(1), [2, 2, 3]);
  });

  it('writes int16 labels uncompressed to .nii', async () => {
    const labels = Int16Array.from({ length: 24 }, (_, n) => (n % 3) * 100 - 100);
    const affine = [0, 0, 1.5, 10, 0, -2, 0, 20, 3, 0, 0, -30, 0, 0, 0, 1];
    const file = join(tmp, 'small.nii');
    await writeLabelMap(file, labels, { dims: [2, 3, 4], affine });
    const bytes = await readFile(file);
    expect(bytes.length).toBe(352 + 48);
    expect(rawNifti1(bytes).datatype).toBe(4);
    const back = await readNifti(file);
    expect(Array.from(back.data)).toEqual(Array.from(labels));
    close(back.affine, affine);
    // qform alone (as a tool without sform support reads it) gives the same affine: a rotation with det -1 → qfac -1.
    const qformOnly = parseNifti(patchInt16(bytes, 254, 0), 'qform-only.nii');
    close(qformOnly.affine, affine);
  });
});

function patchInt16(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setInt16(offset, value, true);
  return copy;
}

describe('parseNifti on hand-built files', () => {
  it('decodes big-endian int16 and applies scl_slope/scl_inter', () => {
    const stored = [1, -2, 300, 7, 0, -32768];
    const bytes = buildNifti(
      { littleEndian: false, dims: [3, 2, 1], datatype: 4, bitpix: 16, slope: 0.5, inter: 10 },
      encodeValues(stored, 'setInt16', 2, false),
    );
    const image = parseNifti(bytes, 'be.nii');
    expect(image.header.littleEndian).toBe(false);
    expect(image.scaled).toBe(true);
    expect(image.data).toBeInstanceOf(Float32Array);
    expect(Array.from(image.data)).toEqual(stored.map((x) => x * 0.5 + 10));
  });

  it.each([
    [256, 8, 'setInt8', 1, [-128, -1, 0, 127], Int8Array],
    [512, 16, 'setUint16', 2, [0, 1, 65535, 40000], Uint16Array],
    [768, 32, 'setUint32', 4, [0, 4294967295, 5, 123456789], Uint32Array],
    [8, 32, 'setInt32', 4, [-2147483648, -1, 0, 2147483647], Int32Array],
    [16, 32, 'setFloat32', 4, [-1.5, 0.25, 1e6, -0], Float32Array],
    [64, 64, 'setFloat64', 8, [Math.PI, -1e-300, 2 ** 60, 0.1], Float64Array],
  ] as const)(
    'datatype %i keeps its type and values (big- and little-endian)',
    (code, bitpix, setter, width, values, ctor) => {
      for (const le of [true, false]) {
        const image = parseNifti(
          buildNifti(
            { littleEndian: le, dims: [4], datatype: code, bitpix },
            encodeValues([...values], setter, width, le),
          ),
          'x.nii',
        );
        expect(image.data).toBeInstanceOf(ctor);
        expect(Array.from(image.data)).toEqual(Array.from(ctor.from([...values])));
      }
    },
  );

  it('reads 64-bit integers and RGB (as luminance)', () => {
    const ints = new Uint8Array(16);
    new DataView(ints.buffer).setBigInt64(0, -5n, true);
    new DataView(ints.buffer).setBigInt64(8, 2n ** 40n, true);
    expect(
      Array.from(parseNifti(buildNifti({ dims: [2], datatype: 1024, bitpix: 64 }, ints), 'i64.nii').data),
    ).toEqual([-5, 2 ** 40]);
    const rgb = parseNifti(
      buildNifti({ dims: [2], datatype: 128, bitpix: 24 }, Uint8Array.of(255, 0, 0, 10, 20, 30)),
      'rgb.nii',
    );
    close(Array.from(rgb.data), [0.299 * 255, 0.299 * 10 + 0.587 * 20 + 0.114 * 30], 3);
  });

  it('reads NIfTI-2 (int64 dims, float64 srow)', () => {
    const srow = [0.5, 0, 0, -10, 0, 0.75, 0, 20, 0, 0, 1.25, 30];
    const bytes = buildNifti(
      { version: 2, dims: [2, 2, 2], datatype: 2, bitpix: 8, sformCode: 2, srow },
      Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
    );
    const image = parseNifti(gzipSync(bytes), 'two.nii.gz');
    expect(image.header.version).toBe(2);
    expect(image.dims).toEqual([2, 2, 2]);
    expect(Array.from(image.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    close(image.affine, [...srow, 0, 0, 0, 1]);
  });

  it('uses the qform (with qfac -1) when sform_code is 0, pixdim when both codes are 0', () => {
    // Quaternion (b, c, d) = (0, 0, 1): a = 0, rotation by 180° about z → diag(-1, -1, 1); qfac -1 flips k.
    const header = {
      dims: [1, 1, 1],
      datatype: 2,
      bitpix: 8,
      pixdim: [2, 3, 4],
      qfac: -1,
      quatern: [0, 0, 1] as [number, number, number],
      qoffset: [5, 6, 7] as [number, number, number],
    };
    const qform = parseNifti(buildNifti({ ...header, qformCode: 1 }, Uint8Array.of(9)), 'q.nii');
    close(qform.affine, [-2, 0, 0, 5, 0, -3, 0, 6, 0, 0, -4, 7, 0, 0, 0, 1]);
    const none = parseNifti(buildNifti(header, Uint8Array.of(9)), 'none.nii');
    close(none.affine, [2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1]);
  });
});

describe('bad NIfTI input gives a DataError naming the file', () => {
  async function rejection(bytes: Uint8Array, name: string): Promise<DataError> {
    const file = join(tmp, name);
    await writeFile(file, bytes);
    const error = await readNifti(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe(file);
    return error as DataError;
  }

  it('truncated gzip', async () => {
    const whole = await readFile(T1);
    expect((await rejection(whole.subarray(0, whole.length / 2), 'cut.nii.gz')).problem).toMatch(/gzip/);
  });

  it('truncated voxel data', async () => {
    const bytes = buildNifti({ dims: [10, 10, 10], datatype: 4, bitpix: 16 }, new Uint8Array(1000));
    expect((await rejection(bytes, 'short.nii')).problem).toMatch(/truncated.*1000 voxels/);
  });

  it('wrong header size, wrong magic, unsupported datatype, bitpix mismatch, missing file', async () => {
    const good = buildNifti({ dims: [2], datatype: 2, bitpix: 8 }, Uint8Array.of(1, 2));
    const badSize = new Uint8Array(good);
    new DataView(badSize.buffer).setInt32(0, 123, true);
    expect((await rejection(badSize, 'size.nii')).problem).toMatch(/sizeof_hdr is 123/);
    const badMagic = new Uint8Array(good);
    badMagic.set([0x78, 0x78, 0x78], 344);
    expect((await rejection(badMagic, 'magic.nii')).problem).toMatch(/magic 'xxx'/);
    const complex = buildNifti({ dims: [1], datatype: 32, bitpix: 64 }, new Uint8Array(8));
    expect((await rejection(complex, 'complex.nii')).problem).toMatch(/unsupported NIfTI datatype 32/);
    const mismatch = buildNifti({ dims: [1], datatype: 4, bitpix: 8 }, new Uint8Array(2));
    expect((await rejection(mismatch, 'bitpix.nii')).problem).toMatch(/bitpix 8/);
    const missing = await readNifti(join(tmp, 'nope.nii.gz')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DataError);
    expect((missing as DataError).file).toBe(join(tmp, 'nope.nii.gz'));
  });
});
