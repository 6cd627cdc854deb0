import { readFile, stat } from 'node:fs/promises';
import * as nifti from 'nifti-reader-js';
import { DataError } from '../dataset.js';
import { identityAffine, quaternionToAffine, type Affine, type QuaternionForm } from './affine.js';
import { niftiDatatypes, type VoxelArray } from './datatypes.js';
import { countNonFinite, type NonFiniteVoxels } from './finite.js';
import { gunzipBounded, gunzipBoundedAsync, gunzipPrefix, isGzip, MAX_NIFTI_BYTES } from './gunzip.js';

/** The header fields the app uses, for NIfTI-1 and NIfTI-2 alike. */
export interface NiftiHeader {
  version: 1 | 2;
  littleEndian: boolean;
  /** Sizes of the used dimensions (dim[1..dim[0]]): (i, j, k[, t, ...]). */
  dims: number[];
  /** Voxel sizes of the used dimensions (pixdim[1..dim[0]]). */
  pixdim: number[];
  datatypeCode: number;
  datatype: string;
  bitpix: number;
  voxOffset: number;
  /** Raw scl_slope / scl_inter (slope 0 means "no scaling"). */
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  quaternion: QuaternionForm;
  /** srow_x, srow_y, srow_z (12 numbers). */
  srow: number[];
  xyztUnits: number;
  intentCode: number;
  description: string;
}

export interface NiftiImage {
  file: string;
  header: NiftiHeader;
  /** Same as header.dims. */
  dims: number[];
  /** Voxel (i, j, k) → RAS+ mm, row-major 4x4. */
  affine: Affine;
  /** Voxels, i fastest. Float32Array (Float64Array for float64 files) when scaling applies, else the stored type. */
  data: VoxelArray;
  /** True when scl_slope/scl_inter changed the stored values. */
  scaled: boolean;
  /** NaN/Inf voxels (after scaling); readers that train on the data refuse them, `data check` reports them. */
  nonFinite: NonFiniteVoxels;
}

/** Reads and decodes a .nii or .nii.gz file; a gzip stream inflates off the event loop (gunzipBoundedAsync). */
export async function readNifti(file: string): Promise<NiftiImage> {
  let bytes: Uint8Array;
  try {
    const { size } = await stat(file);
    if (size > MAX_NIFTI_BYTES) throw tooLarge(file, size, 'the file holds');
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(file, `cannot read the file (${(error as Error).message})`);
  }
  if (!isGzip(bytes)) return decodeNifti(bytes, file);
  return decodeNifti(await gunzipBoundedAsync(bytes, promisedBytes(bytes, file), file), file);
}

/**
 * Decodes .nii or .nii.gz bytes; every problem is a DataError naming `file`. A gzip stream is
 * inflated only up to the size its header promises (engine/data/nifti/gunzip.ts).
 */
export function parseNifti(bytes: Uint8Array, file: string): NiftiImage {
  if (!isGzip(bytes)) return decodeNifti(bytes, file);
  return decodeNifti(gunzipBounded(bytes, promisedBytes(bytes, file), file), file);
}

/** What a gzip stream's NIfTI header says the file holds (header + voxels); refused beyond MAX_NIFTI_BYTES. */
function promisedBytes(gzipped: Uint8Array, file: string): number {
  const promised = voxelLayout(parseHeader(gunzipPrefix(gzipped, 540, file), file), file).needed;
  if (promised > MAX_NIFTI_BYTES) throw tooLarge(file, promised, 'its header promises');
  return promised;
}

/** Header and voxels of uncompressed NIfTI bytes. */
function decodeNifti(raw: Uint8Array, file: string): NiftiImage {
  const header = parseHeader(raw, file);
  const { type, count, needed } = voxelLayout(header, file);
  if (needed > MAX_NIFTI_BYTES) throw tooLarge(file, needed, 'its header promises');
  if (raw.length < needed) {
    throw new DataError(
      file,
      `truncated: the header promises ${count} voxels (${needed} bytes with the header) but the file holds ${raw.length} bytes`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const stored = type.decode(view, header.voxOffset, count, header.littleEndian);
  const scaling =
    header.sclSlope !== 0 &&
    Number.isFinite(header.sclSlope) &&
    (header.sclSlope !== 1 || header.sclInter !== 0);
  const data = scaling ? applyScaling(stored, header.sclSlope, header.sclInter) : stored;
  const affine = headerAffine(header);
  checkAffine(affine, header, file);
  return {
    file,
    header,
    dims: header.dims,
    affine,
    data,
    scaled: scaling,
    nonFinite: countNonFinite(data),
  };
}

/** The datatype, voxel count and bytes (header included) the header describes. */
function voxelLayout(header: NiftiHeader, file: string) {
  const type = niftiDatatypes.get(header.datatypeCode);
  if (!type)
    throw new DataError(file, `unsupported NIfTI datatype ${header.datatypeCode} (${header.datatype})`);
  if (header.bitpix !== type.bytes * 8) {
    throw new DataError(
      file,
      `bitpix ${header.bitpix} does not match datatype ${type.name} (${type.bytes * 8} bits)`,
    );
  }
  const count = header.dims.reduce((a, b) => a * b, 1);
  return { type, count, needed: header.voxOffset + count * type.bytes };
}

function tooLarge(file: string, bytes: number, what: string): DataError {
  return new DataError(
    file,
    `${what} ${bytes} bytes, more than the ${MAX_NIFTI_BYTES} bytes (1 GiB) a NIfTI file may hold here; ` +
      'crop or resample the volume, or split a 4D series into 3D files',
  );
}

/** The transform used must be finite: NaN/Inf there would put every voxel nowhere. */
function checkAffine(affine: number[], header: NiftiHeader, file: string): void {
  if (affine.every(Number.isFinite)) return;
  const source =
    header.sformCode > 0
      ? `the sform (srow_x/y/z: ${header.srow.join(', ')})`
      : header.qformCode > 0
        ? `the qform (quatern_b/c/d ${[header.quaternion.b, header.quaternion.c, header.quaternion.d].join(', ')}, ` +
          `qoffset ${header.quaternion.offset.join(', ')}, pixdim ${header.quaternion.pixdim.join(', ')})`
        : `pixdim (${header.pixdim.join(', ')})`;
  throw new DataError(
    file,
    `${source} has values that are not finite numbers (sform_code ${header.sformCode}, qform_code ${header.qformCode}); ` +
      'the voxel-to-world transform must be finite',
  );
}

function applyScaling(stored: VoxelArray, slope: number, inter: number): Float32Array | Float64Array {
  const out =
    stored instanceof Float64Array ? new Float64Array(stored.length) : new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = stored[i] * slope + inter;
  return out;
}

export function headerAffine(header: NiftiHeader): Affine {
  if (header.sformCode > 0) return [...header.srow, 0, 0, 0, 1];
  if (header.qformCode > 0) return quaternionToAffine(header.quaternion);
  const out = identityAffine();
  for (let axis = 0; axis < 3; axis++) out[5 * axis] = header.pixdim[axis] ?? 1;
  return out;
}

function parseHeader(raw: Uint8Array, file: string): NiftiHeader {
  if (raw.length < 348)
    throw new DataError(file, `too short for a NIfTI header (${raw.length} bytes, need at least 348)`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const sizeLE = view.getInt32(0, true);
  const sizeBE = view.getInt32(0, false);
  const sizeofHdr = [348, 540].includes(sizeLE) ? sizeLE : sizeBE;
  if (sizeofHdr !== 348 && sizeofHdr !== 540) {
    throw new DataError(
      file,
      `not a NIfTI file: sizeof_hdr is ${sizeLE} (expected 348 for NIfTI-1 or 540 for NIfTI-2)`,
    );
  }
  const version = sizeofHdr === 348 ? 1 : 2;
  const magic = new TextDecoder().decode(raw.subarray(version === 1 ? 344 : 4, version === 1 ? 347 : 7));
  if (magic === 'ni1' || magic === 'ni2') {
    throw new DataError(file, 'a .hdr/.img pair header; store the image as a single .nii or .nii.gz file');
  }
  if (magic !== `n+${version}`)
    throw new DataError(file, `bad NIfTI-${version} magic '${magic}' (expected 'n+${version}')`);
  if (raw.length < sizeofHdr)
    throw new DataError(file, `truncated NIfTI-${version} header (${raw.length} of ${sizeofHdr} bytes)`);

  const ab =
    raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? raw.buffer : raw.slice().buffer;
  let parsed: nifti.NIFTI1 | nifti.NIFTI2;
  try {
    parsed = nifti.readHeader(ab as ArrayBuffer);
  } catch (error) {
    throw new DataError(file, `unreadable NIfTI header (${(error as Error).message})`);
  }
  const ndim = parsed.dims[0];
  if (!(ndim >= 1 && ndim <= 7)) throw new DataError(file, `dim[0] is ${ndim} (expected 1 to 7)`);
  const dims = parsed.dims.slice(1, ndim + 1);
  if (dims.some((d) => !(Number.isInteger(d) && d > 0)))
    throw new DataError(file, `invalid dimensions [${dims.join(', ')}]`);
  const srowAt = version === 1 ? 280 : 400;
  const srow = Array.from({ length: 12 }, (_, n) =>
    version === 1
      ? view.getFloat32(srowAt + 4 * n, parsed.littleEndian)
      : view.getFloat64(srowAt + 8 * n, parsed.littleEndian),
  );
  if (!Number.isFinite(parsed.vox_offset))
    throw new DataError(
      file,
      `vox_offset is ${parsed.vox_offset} (expected the byte offset of the voxels, e.g. 352)`,
    );
  const voxOffset = Math.round(parsed.vox_offset);
  if (voxOffset < sizeofHdr)
    throw new DataError(file, `vox_offset ${voxOffset} lies inside the ${sizeofHdr}-byte header`);
  const pixdim = parsed.pixDims.slice(1, ndim + 1).map(Math.abs);
  const badPixdim = pixdim.findIndex((p, n) => n < 3 && !Number.isFinite(p));
  if (badPixdim >= 0)
    throw new DataError(
      file,
      `pixdim[${badPixdim + 1}] is ${pixdim[badPixdim]} (voxel sizes must be finite, in mm)`,
    );
  checkScaling(parsed.scl_slope, parsed.scl_inter, file);
  return {
    version,
    littleEndian: parsed.littleEndian,
    dims,
    pixdim,
    datatypeCode: parsed.datatypeCode,
    datatype: niftiDatatypes.get(parsed.datatypeCode)?.name ?? `code ${parsed.datatypeCode}`,
    bitpix: parsed.numBitsPerVoxel,
    voxOffset,
    sclSlope: parsed.scl_slope,
    sclInter: parsed.scl_inter,
    qformCode: parsed.qform_code,
    sformCode: parsed.sform_code,
    quaternion: {
      b: parsed.quatern_b,
      c: parsed.quatern_c,
      d: parsed.quatern_d,
      offset: [parsed.qoffset_x, parsed.qoffset_y, parsed.qoffset_z],
      pixdim: [1, 2, 3].map((n) => Math.abs(parsed.pixDims[n] || 1)) as [number, number, number],
      qfac: parsed.pixDims[0] < 0 ? -1 : 1,
    },
    srow,
    xyztUnits: parsed.xyzt_units,
    intentCode: parsed.intent_code,
    description: parsed.description,
  };
}

/**
 * scl_slope 0 or NaN means "not scaled" (NaN is what nibabel writes for an unscaled image, and how
 * nibabel and FSL read it); ±Inf cannot be meant. A slope that applies needs a finite intercept.
 */
function checkScaling(slope: number, inter: number, file: string): void {
  if (slope === Infinity || slope === -Infinity)
    throw new DataError(
      file,
      `scl_slope is ${slope} (expected a finite number, or 0/NaN for unscaled voxels)`,
    );
  if (slope !== 0 && Number.isFinite(slope) && !Number.isFinite(inter))
    throw new DataError(
      file,
      `scl_inter is ${inter} while scl_slope is ${slope} (a scaled file needs a finite scl_inter, e.g. 0)`,
    );
}
