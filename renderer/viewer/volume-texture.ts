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
      const bytes = new Uint8Array(source.length);
      for (let v = 0; v < source.length; v++) {
        const value = source[v];
        // Labels beyond the colour lookup's range cannot be coloured; show them as background.
        bytes[v] = value >= 0 && value <= MAX_LABEL_VALUE ? value : 0;
      }
      this.texture = new Data3DTexture(bytes, ni, nj, nk);
      this.texture.format = RedFormat;
      this.texture.type = UnsignedByteType;
      this.texture.minFilter = this.texture.magFilter = NearestFilter;
    } else {
      const floats = source instanceof Float32Array ? source : Float32Array.from(source);
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
