import { gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { affineToQuaternion, type Affine } from './affine.js';
import type { NiftiHeader } from './read.js';

export type WritableVoxels = Uint8Array | Int16Array | Int32Array | Float32Array;

/** The grid a written volume must sit on: what readNifti returned for the input it belongs to. */
export interface NiftiGrid {
  /** (i, j, k) sizes. */
  dims: number[];
  affine: Affine;
  /** When given, its qform/sform codes and units are kept so other tools treat the output like the input. */
  header?: Pick<NiftiHeader, 'qformCode' | 'sformCode' | 'xyztUnits'>;
}

export interface WriteNiftiOptions {
  description?: string;
  /** NIFTI_INTENT_LABEL (1002) for segmentations. */
  intentCode?: number;
}

const DATATYPE_OF: ReadonlyArray<[new (n: number) => WritableVoxels, number, number]> = [
  [Uint8Array, 2, 8],
  [Int16Array, 4, 16],
  [Int32Array, 8, 32],
  [Float32Array, 16, 32],
];

const NIFTI_INTENT_LABEL = 1002;
const HEADER_BYTES = 348;
const VOX_OFFSET = 352;

/** Encodes a 3D volume as a little-endian single-file NIfTI-1 (.nii bytes, not compressed). */
export function encodeNifti(
  voxels: WritableVoxels,
  grid: NiftiGrid,
  options: WriteNiftiOptions = {},
): Uint8Array {
  const dims = grid.dims.slice(0, 3);
  const count = dims.reduce((a, b) => a * b, 1);
  if (dims.length !== 3 || voxels.length !== count) {
    throw new Error(
      `encodeNifti: ${voxels.length} voxels do not fill the grid [${grid.dims.join(', ')}] (${count} voxels)`,
    );
  }
  if (grid.affine.length !== 16)
    throw new Error(`encodeNifti: affine must have 16 numbers, got ${grid.affine.length}`);
  const entry = DATATYPE_OF.find(([ctor]) => voxels instanceof ctor);
  if (!entry)
    throw new Error('encodeNifti: voxels must be Uint8Array, Int16Array, Int32Array or Float32Array');
  const [, datatype, bitpix] = entry;
  const out = new Uint8Array(VOX_OFFSET + voxels.byteLength);
  const view = new DataView(out.buffer);
  const le = true;
  view.setInt32(0, HEADER_BYTES, le);
  view.setUint8(38, 'r'.charCodeAt(0)); // 'regular', as FSL and nibabel write it
  view.setInt16(40, 3, le);
  dims.forEach((d, n) => view.setInt16(42 + 2 * n, d, le));
  for (let n = 4; n < 8; n++) view.setInt16(40 + 2 * n, 1, le);
  view.setInt16(68, options.intentCode ?? 0, le);
  view.setInt16(70, datatype, le);
  view.setInt16(72, bitpix, le);
  const q = affineToQuaternion(grid.affine);
  view.setFloat32(76, q.qfac, le);
  q.pixdim.forEach((p, n) => view.setFloat32(80 + 4 * n, p, le));
  for (let n = 4; n < 8; n++) view.setFloat32(76 + 4 * n, 1, le);
  view.setFloat32(108, VOX_OFFSET, le);
  view.setFloat32(112, 1, le); // scl_slope 1, scl_inter 0: values are stored as they are
  view.setUint8(123, grid.header?.xyztUnits ?? 2 /* mm */);
  out.set(new TextEncoder().encode((options.description ?? '').slice(0, 79)), 148);
  view.setInt16(252, grid.header ? Math.max(grid.header.qformCode, 1) : 1, le);
  view.setInt16(254, grid.header ? Math.max(grid.header.sformCode, 1) : 1, le);
  [q.b, q.c, q.d, ...q.offset].forEach((v, n) => view.setFloat32(256 + 4 * n, v, le));
  for (let n = 0; n < 12; n++) view.setFloat32(280 + 4 * n, grid.affine[n], le);
  out.set(new TextEncoder().encode('n+1\0'), 344);
  // Bytes 348-351 stay 0: no extensions.
  out.set(new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength), VOX_OFFSET);
  if (!littleEndianMachine) swapVoxels(out.subarray(VOX_OFFSET), bitpix / 8);
  return out;
}

const littleEndianMachine = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapVoxels(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let start = 0; start < bytes.length; start += width) bytes.subarray(start, start + width).reverse();
}

/**
 * Writes .nii, or gzip-compressed when the name ends in .gz. Written to `<file>.tmp` and renamed,
 * so a full disk or read-only folder rejects with FileWriteError and leaves nothing half-written
 * under `file`.
 */
export async function writeNifti(
  file: string,
  voxels: WritableVoxels,
  grid: NiftiGrid,
  options: WriteNiftiOptions = {},
): Promise<void> {
  const bytes = encodeNifti(voxels, grid, options);
  writeFileAtomic(file, [file.endsWith('.gz') ? gzipSync(bytes, { level: 9 }) : bytes], {
    createFolder: true,
  });
}

/**
 * Writes a segmentation on the grid of its input (same dims, same affine), so ITK-SNAP, 3D Slicer,
 * FSLeyes and nibabel overlay it on the input.
 */
export function writeLabelMap(
  file: string,
  labels: Uint8Array | Int16Array,
  reference: NiftiGrid,
): Promise<void> {
  return writeNifti(file, labels, reference, {
    intentCode: NIFTI_INTENT_LABEL,
    description: 'RANP Studio segmentation',
  });
}
