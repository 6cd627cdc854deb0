import type { VolumeDataType, VolumeHeader } from '../../protocol/volume.js';
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
  /** Downsample (every n-th voxel, same n on all axes) until one channel has at most this many voxels. */
  maxVoxels?: number;
  /** Names for the 4th dimension's volumes (modalities); defaults to 'volume 0', 'volume 1', ... */
  channelNames?: string[];
}

/** Turns a read NIfTI image into the header + payload the viewer takes (engine/protocol/volume.ts). */
export function niftiToVolume(image: NiftiImage, options: ToVolumeOptions): VolumeMessage {
  const [ni, nj = 1, nk = 1] = image.dims;
  const channels = image.dims.slice(3).reduce((a, b) => a * b, 1);
  const voxels = ni * nj * nk;
  let step = 1;
  while (
    options.maxVoxels &&
    Math.ceil(ni / step) * Math.ceil(nj / step) * Math.ceil(nk / step) > options.maxVoxels
  )
    step++;
  const dims: [number, number, number] = [Math.ceil(ni / step), Math.ceil(nj / step), Math.ceil(nk / step)];
  const dataType = viewerType(image.data);
  const out = allocate(dataType, dims[0] * dims[1] * dims[2] * channels);
  const ranges: [number, number][] = [];
  let at = 0;
  for (let c = 0; c < channels; c++) {
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0; k < nk; k += step) {
      for (let j = 0; j < nj; j += step) {
        for (let i = 0; i < ni; i += step) {
          const v = image.data[c * voxels + (k * nj + j) * ni + i];
          out[at++] = v;
          if (v < min) min = v;
          if (v > max) max = v;
        }
      }
    }
    ranges.push([min, max]);
  }
  const header: VolumeHeader = {
    id: options.id,
    title: options.title,
    kind: options.kind,
    dims,
    channels:
      options.channelNames ??
      Array.from({ length: channels }, (_, c) => (channels === 1 ? options.title : `volume ${c}`)),
    dataType,
    affine: stridedAffine(image.affine, step),
    ranges,
  };
  if (step > 1) header.downsampled = [step, step, step];
  return { header, payload: out.buffer as ArrayBuffer };
}

function viewerType(data: VoxelArray): VolumeDataType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array || data instanceof Int8Array) return 'int16';
  if (data instanceof Int32Array || data instanceof Uint16Array) return 'int32';
  return 'float32';
}

function allocate(type: VolumeDataType, length: number): Uint8Array | Int16Array | Int32Array | Float32Array {
  if (type === 'uint8') return new Uint8Array(length);
  if (type === 'int16') return new Int16Array(length);
  if (type === 'int32') return new Int32Array(length);
  return new Float32Array(length);
}
