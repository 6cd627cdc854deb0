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
  /**
   * Set when an image travels with its zero runs left out (encodeZeroRuns): the payload is `pairs` pairs
   * of uint32 (a count of zeros, then a count of the values that follow them), then those `values` values
   * of dataType, channel after channel as ever. An MRI's background is zero: three quarters of the ITK T1,
   * more of a skull-stripped BraTS scan, so the 14 MB of one 181×217×181 int16 modality become ~4 MB.
   */
  zeroRuns?: { pairs: number; values: number };
  /** A ShapeNet shape's truth: its category and the part labels its per-shape IoU averages over. */
  parts?: { category: string; labels: number[] };
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
  zeroRuns: z
    .object({ pairs: z.number().int().positive(), values: z.number().int().nonnegative() })
    .strict()
    .optional(),
  parts: z.object({ category: z.string(), labels: z.array(z.number().int().nonnegative()) }).optional(),
}) satisfies z.ZodType<VolumeHeader>;

/** Voxels as a typed array of their data type. */
export type VoxelArray = Uint8Array | Int16Array | Int32Array | Float32Array;

/** Bytes of one voxel of each data type (the engine's payloads and the viewer's channel views). */
export const BYTES_PER_VOXEL: Record<VolumeDataType, number> = { uint8: 1, int16: 2, int32: 4, float32: 4 };

/** Payload size the header promises; a payload of any other size is rejected. */
export function volumeByteLength(header: VolumeHeader): number {
  if (header.runs !== undefined) return header.runs * 5;
  if (header.zeroRuns)
    return header.zeroRuns.pairs * 8 + header.zeroRuns.values * BYTES_PER_VOXEL[header.dataType];
  const [i, j, k] = header.dims;
  return i * j * k * header.channels.length * BYTES_PER_VOXEL[header.dataType];
}

/** The payload (a whole buffer or a view into one, 4-byte aligned) as the typed array its header names. */
export function volumeArray(header: VolumeHeader, payload: ArrayBuffer | Uint8Array): VoxelArray {
  const expected = volumeByteLength(header);
  if (payload.byteLength !== expected) {
    throw new Error(
      `volume '${header.id}': payload has ${payload.byteLength} bytes, header promises ${expected}`,
    );
  }
  const [buffer, offset] =
    payload instanceof Uint8Array ? [payload.buffer, payload.byteOffset] : [payload, 0];
  if (header.runs !== undefined) return decodeRuns(header, new Uint8Array(buffer, offset, expected));
  if (header.zeroRuns) return decodeZeroRuns(header, new Uint8Array(buffer, offset, expected));
  return voxelView(header.dataType, buffer, offset, expected / BYTES_PER_VOXEL[header.dataType]);
}

/** `length` voxels of `type` at `offset` of `buffer`, without a copy. */
export function voxelView(
  type: VolumeDataType,
  buffer: ArrayBufferLike,
  offset: number,
  length: number,
): VoxelArray {
  switch (type) {
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

/**
 * The voxels without their runs of zeros (VolumeHeader.zeroRuns), or null when that would not save a
 * quarter of the bytes (an image without a zero background is sent as it is).
 */
export function encodeZeroRuns(
  voxels: VoxelArray,
): { zeroRuns: { pairs: number; values: number }; payload: Uint8Array } | null {
  let pairs = 0;
  let values = 0;
  for (let v = 0; v < voxels.length; v++) {
    if (voxels[v] !== 0) {
      values++;
      if (v === 0 || voxels[v - 1] === 0) pairs++;
    }
  }
  // A trailing run of zeros is one more pair, with no values after it (an all-zero volume: one pair).
  if (voxels.length > 0 && voxels[voxels.length - 1] === 0) pairs++;
  const bytes = voxels.BYTES_PER_ELEMENT;
  if (pairs * 8 + values * bytes > (voxels.length * bytes * 3) / 4) return null;
  const payload = new Uint8Array(pairs * 8 + values * bytes);
  const counts = new Uint32Array(payload.buffer, 0, pairs * 2);
  const out = voxelView(dataTypeOf(voxels), payload.buffer, pairs * 8, values);
  let pair = -1;
  let at = 0;
  for (let v = 0; v < voxels.length;) {
    pair++;
    const zerosFrom = v;
    while (v < voxels.length && voxels[v] === 0) v++;
    const valuesFrom = v;
    while (v < voxels.length && voxels[v] !== 0) v++;
    counts[2 * pair] = valuesFrom - zerosFrom;
    counts[2 * pair + 1] = v - valuesFrom;
    out.set(voxels.subarray(valuesFrom, v), at);
    at += v - valuesFrom;
  }
  return { zeroRuns: { pairs, values }, payload };
}

function dataTypeOf(voxels: VoxelArray): VolumeDataType {
  if (voxels instanceof Uint8Array) return 'uint8';
  if (voxels instanceof Int16Array) return 'int16';
  return voxels instanceof Int32Array ? 'int32' : 'float32';
}

/** The voxels of a zero-run payload; the pairs must cover the grid exactly. */
function decodeZeroRuns(header: VolumeHeader, payload: Uint8Array): VoxelArray {
  const { pairs, values } = header.zeroRuns!;
  const voxels = header.dims[0] * header.dims[1] * header.dims[2] * header.channels.length;
  // Typed-array views need alignment; a payload at an odd offset is copied out first.
  const aligned = payload.byteOffset % 4 === 0 ? payload : payload.slice();
  const counts = new Uint32Array(aligned.buffer, aligned.byteOffset, pairs * 2);
  const given = voxelView(header.dataType, aligned.buffer, aligned.byteOffset + pairs * 8, values);
  const bytes = BYTES_PER_VOXEL[header.dataType];
  const out = voxelView(header.dataType, new ArrayBuffer(voxels * bytes), 0, voxels);
  let at = 0;
  let from = 0;
  for (let p = 0; p < pairs; p++) {
    at += counts[2 * p];
    const n = counts[2 * p + 1];
    if (at + n > voxels || from + n > values) break;
    out.set(given.subarray(from, from + n), at);
    at += n;
    from += n;
  }
  if (at !== voxels || from !== values)
    throw new Error(
      `volume '${header.id}': the zero runs cover ${at} voxels with ${from} of ${values} values, the header's grid has ${voxels}`,
    );
  return out;
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
