import {
  BYTES_PER_VOXEL,
  voxelView,
  type VolumeHeader,
  type VoxelArray,
} from '../../engine/protocol/volume.js';
import { checkAffine } from './affine.js';

export type { VoxelArray };

/** A volume as the viewer holds it: the protocol header and one typed array per channel. */
export interface ViewerVolume {
  header: VolumeHeader;
  channels: VoxelArray[];
}

/**
 * Splits a protocol payload (channel after channel, i fastest; a whole buffer or an aligned view into one)
 * into per-channel views without copying. Checks the header against the payload first, naming the volume
 * and the mismatch.
 */
export function volumeFromPayload(
  header: VolumeHeader,
  payload: ArrayBuffer | ArrayBufferView,
): ViewerVolume {
  const what = `volume "${header.title}" (${header.id})`;
  checkAffine(header.affine, what);
  if (header.dims.length !== 3 || header.dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${what}: dims must be three positive integers, got [${header.dims.join(', ')}]`);
  }
  if (header.channels.length < 1) throw new Error(`${what}: needs at least one channel`);
  if (header.kind === 'labels' && header.channels.length !== 1) {
    throw new Error(`${what}: a label map has one channel, got ${header.channels.length}`);
  }
  const bytes = BYTES_PER_VOXEL[header.dataType];
  if (!bytes) throw new Error(`${what}: unknown dataType "${header.dataType}"`);
  const voxels = header.dims[0] * header.dims[1] * header.dims[2];
  const expected = voxels * header.channels.length * bytes;
  if (payload.byteLength !== expected) {
    throw new Error(
      `${what}: payload has ${payload.byteLength} bytes, expected ${expected} ` +
        `(${header.dims.join('×')} × ${header.channels.length} channels × ${bytes} bytes)`,
    );
  }
  const [buffer, offset] = ArrayBuffer.isView(payload) ? [payload.buffer, payload.byteOffset] : [payload, 0];
  const channels = header.channels.map((_, c) =>
    voxelView(header.dataType, buffer, offset + c * voxels * bytes, voxels),
  );
  return { header, channels };
}

export function voxelCount(header: Pick<VolumeHeader, 'dims'>): number {
  return header.dims[0] * header.dims[1] * header.dims[2];
}

/**
 * `volume` with `more`'s channels after its own (no voxel copied). Both must be images on one grid; the
 * header's allChannels is dropped once every channel it names is there.
 */
export function appendChannels(volume: ViewerVolume, more: ViewerVolume): ViewerVolume {
  const a = volume.header;
  const b = more.header;
  const what = `channels ${b.channels.join(', ')} ("${b.title}")`;
  if (a.kind !== 'image' || b.kind !== 'image')
    throw new Error(`${what}: only image volumes take more channels`);
  if (a.dims.some((d, i) => d !== b.dims[i]) || a.affine.some((v, i) => Math.abs(v - b.affine[i]) > 1e-6))
    throw new Error(
      `${what}: grid ${b.dims.join('×')} is not the image's ${a.dims.join('×')} (dims and affine must match)`,
    );
  const channels = [...a.channels, ...b.channels];
  const header: VolumeHeader = {
    ...a,
    channels,
    ranges: [...a.ranges, ...b.ranges],
    // Each channel keeps its own typed array; the header's type is the first's when they differ.
    dataType: a.dataType,
  };
  const complete = !a.allChannels || a.allChannels.every((c) => channels.includes(c));
  if (complete) delete header.allChannels;
  return { header, channels: [...volume.channels, ...more.channels] };
}
