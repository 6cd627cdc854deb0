/** NIfTI datatype codes the reader understands, and how to turn their bytes into a typed array. */

export type VoxelArray =
  Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export interface NiftiDatatype {
  code: number;
  name: string;
  bytes: number;
  /** Decodes `count` voxels starting at `offset` of `view`, in the file's byte order. */
  decode(view: DataView, offset: number, count: number, littleEndian: boolean): VoxelArray;
}

type TypedArrayCtor<T extends VoxelArray> = new (
  buffer: ArrayBuffer,
  byteOffset?: number,
  length?: number,
) => T;

/** Copies the voxel bytes (aligned) and swaps their byte order when the file's order differs from the machine's. */
function plain<T extends VoxelArray>(
  code: number,
  name: string,
  ctor: TypedArrayCtor<T> & { BYTES_PER_ELEMENT: number },
): NiftiDatatype {
  const bytes = ctor.BYTES_PER_ELEMENT;
  return {
    code,
    name,
    bytes,
    decode(view, offset, count, littleEndian) {
      const copy = new Uint8Array(count * bytes);
      copy.set(new Uint8Array(view.buffer, view.byteOffset + offset, count * bytes));
      if (bytes > 1 && littleEndian !== machineIsLittleEndian) swapBytes(copy, bytes);
      return new ctor(copy.buffer, 0, count);
    },
  };
}

/** 64-bit integers become float64: exact up to 2^53, which covers every intensity a scanner writes. */
function int64(code: number, name: string, signed: boolean): NiftiDatatype {
  return {
    code,
    name,
    bytes: 8,
    decode(view, offset, count, littleEndian) {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const at = offset + 8 * i;
        out[i] = Number(signed ? view.getBigInt64(at, littleEndian) : view.getBigUint64(at, littleEndian));
      }
      return out;
    },
  };
}

/** RGB voxels are read as their luminance (ITU-R BT.601), the way viewers show them in grey. */
const rgb24: NiftiDatatype = {
  code: 128,
  name: 'rgb24',
  bytes: 3,
  decode(view, offset, count) {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const at = offset + 3 * i;
      out[i] = 0.299 * view.getUint8(at) + 0.587 * view.getUint8(at + 1) + 0.114 * view.getUint8(at + 2);
    }
    return out;
  },
};

const machineIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let start = 0; start < bytes.length; start += width) {
    for (let a = start, b = start + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

export const niftiDatatypes: ReadonlyMap<number, NiftiDatatype> = new Map(
  [
    plain(2, 'uint8', Uint8Array),
    plain(4, 'int16', Int16Array),
    plain(8, 'int32', Int32Array),
    plain(16, 'float32', Float32Array),
    plain(64, 'float64', Float64Array),
    plain(256, 'int8', Int8Array),
    plain(512, 'uint16', Uint16Array),
    plain(768, 'uint32', Uint32Array),
    int64(1024, 'int64', true),
    int64(1280, 'uint64', false),
    rgb24,
  ].map((t) => [t.code, t]),
);
