/**
 * Test helpers that build and parse NIfTI bytes by hand from the standard's byte offsets
 * (nifti1.h / nifti2.h), independently of engine/data/nifti.
 */

export interface HandHeader {
  version?: 1 | 2;
  littleEndian?: boolean;
  dims: number[];
  datatype: number;
  bitpix: number;
  pixdim?: number[];
  qfac?: number;
  slope?: number;
  inter?: number;
  qformCode?: number;
  sformCode?: number;
  quatern?: [number, number, number];
  qoffset?: [number, number, number];
  srow?: number[];
}

/** Header + 4 extension bytes + voxel bytes (already in the target byte order). */
export function buildNifti(h: HandHeader, voxelBytes: Uint8Array): Uint8Array {
  const version = h.version ?? 1;
  const le = h.littleEndian ?? true;
  const headerSize = version === 1 ? 348 : 540;
  const voxOffset = headerSize + 4;
  const out = new Uint8Array(voxOffset + voxelBytes.length);
  const v = new DataView(out.buffer);
  v.setInt32(0, headerSize, le);
  const pixdim = [h.qfac ?? 1, ...(h.pixdim ?? h.dims.map(() => 1))];
  while (pixdim.length < 8) pixdim.push(1);
  const dims = [h.dims.length, ...h.dims];
  while (dims.length < 8) dims.push(1);
  if (version === 1) {
    dims.forEach((d, n) => v.setInt16(40 + 2 * n, d, le));
    v.setInt16(70, h.datatype, le);
    v.setInt16(72, h.bitpix, le);
    pixdim.forEach((p, n) => v.setFloat32(76 + 4 * n, p, le));
    v.setFloat32(108, voxOffset, le);
    v.setFloat32(112, h.slope ?? 0, le);
    v.setFloat32(116, h.inter ?? 0, le);
    v.setInt16(252, h.qformCode ?? 0, le);
    v.setInt16(254, h.sformCode ?? 0, le);
    [...(h.quatern ?? [0, 0, 0]), ...(h.qoffset ?? [0, 0, 0])].forEach((x, n) =>
      v.setFloat32(256 + 4 * n, x, le),
    );
    (h.srow ?? new Array(12).fill(0)).forEach((x, n) => v.setFloat32(280 + 4 * n, x, le));
    out.set(new TextEncoder().encode('n+1\0'), 344);
  } else {
    out.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], 4);
    v.setInt16(12, h.datatype, le);
    v.setInt16(14, h.bitpix, le);
    dims.forEach((d, n) => v.setBigInt64(16 + 8 * n, BigInt(d), le));
    pixdim.forEach((p, n) => v.setFloat64(104 + 8 * n, p, le));
    v.setBigInt64(168, BigInt(voxOffset), le);
    v.setFloat64(176, h.slope ?? 0, le);
    v.setFloat64(184, h.inter ?? 0, le);
    v.setInt32(344, h.qformCode ?? 0, le);
    v.setInt32(348, h.sformCode ?? 0, le);
    [...(h.quatern ?? [0, 0, 0]), ...(h.qoffset ?? [0, 0, 0])].forEach((x, n) =>
      v.setFloat64(352 + 8 * n, x, le),
    );
    (h.srow ?? new Array(12).fill(0)).forEach((x, n) => v.setFloat64(400 + 8 * n, x, le));
  }
  out.set(voxelBytes, voxOffset);
  return out;
}

/** Bytes of numbers written with a DataView setter in the chosen byte order. */
export function encodeValues(
  values: number[],
  setter:
    | 'setInt16'
    | 'setUint16'
    | 'setInt32'
    | 'setUint32'
    | 'setFloat32'
    | 'setFloat64'
    | 'setInt8'
    | 'setUint8',
  width: number,
  le = true,
): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const v = new DataView(out.buffer);
  values.forEach((x, n) =>
    (v[setter] as (o: number, x: number, le?: boolean) => void).call(v, n * width, x, le),
  );
  return out;
}

/** Raw NIfTI-1 fields, read straight from the bytes (little-endian files only). */
export function rawNifti1(bytes: Uint8Array) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dimCount = v.getInt16(40, true);
  return {
    sizeofHdr: v.getInt32(0, true),
    dims: Array.from({ length: dimCount }, (_, n) => v.getInt16(42 + 2 * n, true)),
    datatype: v.getInt16(70, true),
    bitpix: v.getInt16(72, true),
    intent: v.getInt16(68, true),
    pixdim: Array.from({ length: 4 }, (_, n) => v.getFloat32(76 + 4 * n, true)),
    voxOffset: v.getFloat32(108, true),
    slope: v.getFloat32(112, true),
    qformCode: v.getInt16(252, true),
    sformCode: v.getInt16(254, true),
    quatern: [0, 1, 2].map((n) => v.getFloat32(256 + 4 * n, true)),
    qoffset: [0, 1, 2].map((n) => v.getFloat32(268 + 4 * n, true)),
    srow: Array.from({ length: 12 }, (_, n) => v.getFloat32(280 + 4 * n, true)),
    magic: new TextDecoder().decode(bytes.subarray(344, 347)),
    view: v,
  };
}
