import {
  Data3DTexture,
  FloatType,
  LinearFilter,
  Matrix4,
  NearestFilter,
  RedFormat,
  UnsignedByteType,
  Vector3,
} from 'three';
import { invertAffine } from './affine.js';
import { MAX_LABEL_VALUE } from './colour-table.js';
import type { ViewerVolume } from './volume-data.js';

/**
 * One channel of a volume on the GPU as a WebGL2 3D texture, with the world → voxel matrix the slice
 * shader needs. Images are float (R32F, raw intensities: window/level happens in the shader); label maps
 * are R8 with nearest sampling so a voxel never blends two labels.
 */
export class VolumeTexture {
  readonly texture: Data3DTexture;
  readonly worldToVoxel: Matrix4;
  readonly dims: Vector3;

  constructor(volume: ViewerVolume, channel: number, options: { linear: boolean }) {
    const { header } = volume;
    const source = volume.channels[channel];
    if (!source) throw new Error(`VolumeTexture: "${header.title}" has no channel ${channel}`);
    const [ni, nj, nk] = header.dims;
    if (header.kind === 'labels') {
      this.texture = new Data3DTexture(labelBytes(source), ni, nj, nk);
      this.texture.format = RedFormat;
      this.texture.type = UnsignedByteType;
      this.texture.minFilter = this.texture.magFilter = NearestFilter;
    } else {
      // The typed-array constructor converts natively (Float32Array.from iterates, ~10× slower).
      const floats = source instanceof Float32Array ? source : new Float32Array(source);
      this.texture = new Data3DTexture(floats, ni, nj, nk);
      this.texture.format = RedFormat;
      this.texture.type = FloatType;
      this.texture.internalFormat = 'R32F';
      this.texture.minFilter = this.texture.magFilter = options.linear ? LinearFilter : NearestFilter;
    }
    this.texture.unpackAlignment = 1;
    this.texture.generateMipmaps = false;
    this.texture.needsUpdate = true;
    this.worldToVoxel = new Matrix4().fromArray(invertAffine(header.affine)).transpose();
    this.dims = new Vector3(ni, nj, nk);
  }

  dispose(): void {
    this.texture.dispose();
  }
}

/**
 * Label values as R8 texels. A uint8 map is uploaded as it is (no copy: the lookup covers 0–255, MAX_LABEL_VALUE);
 * wider types are narrowed, labels beyond the lookup's range (which cannot be coloured) becoming background.
 */
function labelBytes(source: ArrayLike<number>): Uint8Array {
  if (source instanceof Uint8Array) return source;
  const bytes = new Uint8Array(source.length);
  for (let v = 0; v < source.length; v++) {
    const value = source[v];
    bytes[v] = value >= 0 && value <= MAX_LABEL_VALUE ? value : 0;
  }
  return bytes;
}
