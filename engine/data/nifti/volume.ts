import { fittedDims } from '../../domain/viewer-fit.js';
import type { VolumeDataType, VolumeHeader, VoxelArray as PayloadArray } from '../../protocol/volume.js';
import { stridedAffine } from './affine.js';
import type { VoxelArray } from './datatypes.js';
import type { NiftiImage } from './read.js';

export interface VolumeMessage {
  header: VolumeHeader;
  payload: ArrayBuffer;
}

export interface ToVolumeOptions {
  id: string;
  title: string;
  kind: VolumeHeader['kind'];
  /** Keep every f-th voxel per axis (engine/domain/viewer-fit.ts fitFactors); default all voxels. */
  factors?: readonly [number, number, number];
  /** Names for the 4th dimension's volumes (modalities); defaults to 'volume 0', 'volume 1', ... */
  channelNames?: string[];
}

/** Turns a read NIfTI image into the header + payload the viewer takes (engine/protocol/volume.ts). */
export function niftiToVolume(image: NiftiImage, options: ToVolumeOptions): VolumeMessage {
  const [ni, nj = 1, nk = 1] = image.dims;
  const channels = image.dims.slice(3).reduce((a, b) => a * b, 1);
  const voxels = ni * nj * nk;
  const factors = options.factors ?? [1, 1, 1];
  const [fi, fj, fk] = factors;
  const strided = factors.some((f) => f !== 1);
  const dims = fittedDims([ni, nj, nk], factors);
  const dataType = viewerType(image.data);
  const out = strided
    ? allocate(dataType, dims[0] * dims[1] * dims[2] * channels)
    : fullResolution(image.data, dataType, voxels * channels);
  if (strided) {
    let at = 0;
    for (let c = 0; c < channels; c++) {
      for (let k = 0; k < nk; k += fk) {
        for (let j = 0; j < nj; j += fj) {
          for (let i = 0; i < ni; i += fi) out[at++] = image.data[c * voxels + (k * nj + j) * ni + i];
        }
      }
    }
  }
  const perChannel = out.length / channels;
  const ranges = Array.from({ length: channels }, (_, c) =>
    rangeOf(out.subarray(c * perChannel, (c + 1) * perChannel)),
  );
  const header: VolumeHeader = {
    id: options.id,
    title: options.title,
    kind: options.kind,
    dims,
    channels:
      options.channelNames ??
      Array.from({ length: channels }, (_, c) => (channels === 1 ? options.title : `volume ${c}`)),
    dataType,
    affine: stridedAffine(image.affine, factors),
    ranges,
  };
  if (strided) {
    header.downsampled = [fi, fj, fk];
    header.sourceDims = [ni, nj, nk];
  }
  return { header, payload: out.buffer as ArrayBuffer };
}

/**
 * The voxels as the payload's type at full resolution: the image's own array when it already has that
 * type (no copy: the volume cache and the payload share it, and neither writes to it), else one native
 * typed-array conversion.
 */
function fullResolution(data: VoxelArray, type: VolumeDataType, length: number): PayloadArray {
  const Payload = PAYLOAD_TYPES[type];
  if (
    data instanceof Payload &&
    data.length === length &&
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength
  )
    return data;
  const out = new Payload(length);
  out.set(data.length === length ? data : data.subarray(0, length));
  return out;
}

/** Minimum and maximum in one pass (a plain loop: Math.min/max over spread arrays overflow the stack). */
function rangeOf(values: PayloadArray): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let v = 0; v < values.length; v++) {
    const x = values[v];
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return [min, max];
}

function viewerType(data: VoxelArray): VolumeDataType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array || data instanceof Int8Array) return 'int16';
  if (data instanceof Int32Array || data instanceof Uint16Array) return 'int32';
  return 'float32';
}

const PAYLOAD_TYPES = {
  uint8: Uint8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
} as const satisfies Record<VolumeDataType, new (length: number) => PayloadArray>;

function allocate(type: VolumeDataType, length: number): PayloadArray {
  return new PAYLOAD_TYPES[type](length);
}
