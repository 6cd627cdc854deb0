import { z } from 'zod';

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
  /** Set when the payload holds only some of the image's channels (volume.get `channels`): all of them, in order. */
  allChannels?: string[];
  dataType: VolumeDataType;
  /** Voxel (i, j, k) to world (RAS+, mm) as a row-major 4x4 matrix. */
  affine: number[];
  /**
   * Set when the engine downsampled the volume to fit the viewer's limits (volume.get maxTextureSize,
   * maxVoxels): every f-th voxel per axis was kept, f given per axis; sourceDims is the grid before.
   */
  downsampled?: [number, number, number];
  sourceDims?: [number, number, number];
  /** Intensity range of each channel (for window/level defaults). */
  ranges: [number, number][];
  /**
   * Set when a uint8 label map travels run-length encoded (encodeRuns): the payload is `runs` uint32 run
   * lengths, then `runs` uint8 labels. Label maps are long runs of one label: a 181×217×181 map of 7.1 MB
   * is ~0.3 MB so, which matters because moving bytes into the page is what an open waits for.
   */
  runs?: number;
}

export const VolumeDataTypeSchema = z.enum(['uint8', 'int16', 'int32', 'float32']);

/** Runtime check of VolumeHeader (the renderer validates every header before reading the payload). */
export const VolumeHeaderSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['image', 'labels']),
  dims: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  channels: z.array(z.string()).min(1),
  allChannels: z.array(z.string()).min(1).optional(),
  dataType: VolumeDataTypeSchema,
  affine: z.array(z.number()).length(16),
  downsampled: z.tuple([z.number(), z.number(), z.number()]).optional(),
  sourceDims: z
    .tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()])
    .optional(),
  ranges: z.array(z.tuple([z.number(), z.number()])),
  runs: z.number().int().positive().optional(),
}) satisfies z.ZodType<VolumeHeader>;

const BYTES_PER_VOXEL: Record<VolumeDataType, number> = { uint8: 1, int16: 2, int32: 4, float32: 4 };

/** Payload size the header promises; a payload of any other size is rejected. */
export function volumeByteLength(header: VolumeHeader): number {
  if (header.runs !== undefined) return header.runs * 5;
  const [i, j, k] = header.dims;
  return i * j * k * header.channels.length * BYTES_PER_VOXEL[header.dataType];
}

/** The payload (a whole buffer or a view into one, 4-byte aligned) as the typed array its header names. */
export function volumeArray(
  header: VolumeHeader,
  payload: ArrayBuffer | Uint8Array,
): Uint8Array | Int16Array | Int32Array | Float32Array {
  const expected = volumeByteLength(header);
  if (payload.byteLength !== expected) {
    throw new Error(
      `volume '${header.id}': payload has ${payload.byteLength} bytes, header promises ${expected}`,
    );
  }
  const [buffer, offset] =
    payload instanceof Uint8Array ? [payload.buffer, payload.byteOffset] : [payload, 0];
  if (header.runs !== undefined) return decodeRuns(header, new Uint8Array(buffer, offset, expected));
  const length = expected / BYTES_PER_VOXEL[header.dataType];
  switch (header.dataType) {
    case 'uint8':
      return new Uint8Array(buffer, offset, length);
    case 'int16':
      return new Int16Array(buffer, offset, length);
    case 'int32':
      return new Int32Array(buffer, offset, length);
    case 'float32':
      return new Float32Array(buffer, offset, length);
  }
}

/** Run-length encoding of a uint8 label map (VolumeHeader.runs): run lengths (uint32), then run labels. */
export function encodeRuns(labels: Uint8Array): { runs: number; payload: Uint8Array } {
  let runs = 0;
  for (let v = 0; v < labels.length; v++) if (v === 0 || labels[v] !== labels[v - 1]) runs++;
  const payload = new Uint8Array(runs * 5);
  const lengths = new Uint32Array(payload.buffer, 0, runs);
  const values = payload.subarray(runs * 4);
  let run = -1;
  for (let v = 0; v < labels.length; v++) {
    if (v === 0 || labels[v] !== labels[v - 1]) values[++run] = labels[v];
    lengths[run]++;
  }
  return { runs, payload };
}

/** The voxels of a run-length encoded payload; the runs must cover the grid exactly. */
function decodeRuns(header: VolumeHeader, payload: Uint8Array): Uint8Array {
  const runs = header.runs!;
  const voxels = header.dims[0] * header.dims[1] * header.dims[2] * header.channels.length;
  if (header.dataType !== 'uint8')
    throw new Error(
      `volume '${header.id}': run-length encoding is for uint8 label maps, not ${header.dataType}`,
    );
  // A Uint32Array view needs 4-byte alignment; otherwise the lengths are copied out first.
  const lengths =
    payload.byteOffset % 4 === 0
      ? new Uint32Array(payload.buffer, payload.byteOffset, runs)
      : new Uint32Array(payload.slice(0, runs * 4).buffer);
  const values = payload.subarray(runs * 4);
  let total = 0;
  for (let r = 0; r < runs; r++) total += lengths[r];
  if (total !== voxels)
    throw new Error(`volume '${header.id}': the runs cover ${total} voxels, the header's grid has ${voxels}`);
  const out = new Uint8Array(voxels);
  let at = 0;
  for (let r = 0; r < runs; r++) {
    out.fill(values[r], at, at + lengths[r]);
    at += lengths[r];
  }
  return out;
}
