/**
 * Volumes travel from the engine to the renderer as a JSON header plus one binary payload
 * (a WebSocket binary frame in browser mode, an ArrayBuffer over Electron IPC).
 * The engine is the only NIfTI parser; the renderer receives decoded voxels.
 */
export type VolumeDataType = 'uint8' | 'int16' | 'int32' | 'float32';

export interface VolumeHeader {
  /** Identifies the volume in later requests and in the viewer. */
  id: string;
  /** Human name, e.g. 'T1', 'ground truth', 'unpruned prediction'. */
  title: string;
  kind: 'image' | 'labels';
  /** Voxel grid size (i, j, k) as stored in the NIfTI file; i varies fastest in the payload. */
  dims: [number, number, number];
  /** Channel (modality) names; the payload stores channel after channel, each i-fastest. */
  channels: string[];
  dataType: VolumeDataType;
  /** Voxel (i, j, k) to world (RAS+, mm) as a row-major 4x4 matrix. */
  affine: number[];
  /** Set when the engine downsampled the volume to fit; the factor per axis. */
  downsampled?: [number, number, number];
  /** Intensity range of each channel (for window/level defaults). */
  ranges: [number, number][];
}
