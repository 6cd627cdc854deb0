import { endianness } from 'node:os';
import { writeFileAtomic } from './atomic-write.js';

/**
 * The container under RANP's binary tensor files (weights .ranpw, scores .ranpscores, training
 * checkpoints):
 *   bytes 0–7    ASCII magic naming the format and its version, e.g. "RANPWGT1"
 *   bytes 8–11   uint32 little-endian: header length H in bytes
 *   next H bytes UTF-8 JSON header (the format's own fields, including where each tensor lies)
 *   padding      so the data starts at a multiple of the format's alignment (4 or 8 bytes)
 *   data         the tensors' little-endian values, at the offsets the header gives
 * Files written before this module existed read unchanged: scores and checkpoints padded with
 * zero bytes after the header, weights padded the JSON itself with spaces up to the alignment
 * (so 12 + H was already aligned); the data start, 12 + H rounded up, is the same for all three.
 */
export interface TensorFileFormat {
  /** Exactly 8 ASCII characters. */
  magic: string;
  /** Byte alignment of the data start. */
  align: 4 | 8;
  /** Names the file kind in errors: "not a <what> (expected magic …)". */
  what: string;
}

const PREFIX_BYTES = 12;

function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** The file's bytes as chunks: prefix with header and padding, then each payload in order. */
export function encodeTensorFile(
  format: TensorFileFormat,
  header: unknown,
  payloads: readonly Uint8Array[],
): Uint8Array[] {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(alignUp(PREFIX_BYTES + json.byteLength, format.align));
  prefix.write(format.magic, 0, 'ascii');
  prefix.writeUInt32LE(json.byteLength, 8);
  json.copy(prefix, PREFIX_BYTES);
  return [prefix, ...payloads];
}

/** encodeTensorFile, written to `<file>.tmp`, fsynced and renamed over `file` (writeFileAtomic). */
export function writeTensorFile(
  file: string,
  format: TensorFileFormat,
  header: unknown,
  payloads: readonly Uint8Array[],
): void {
  writeFileAtomic(file, encodeTensorFile(format, header, payloads));
}

/**
 * The parsed JSON header and where the data starts. `fail` raises the format's own error for a
 * problem in words (wrong magic, header past the end, header not UTF-8 JSON).
 */
export function decodeTensorFile(
  format: TensorFileFormat,
  bytes: Uint8Array,
  fail: (problem: string) => never,
): { header: unknown; dataStart: number } {
  const magic = bytes.length >= 8 ? Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') : '';
  if (bytes.length < PREFIX_BYTES || magic !== format.magic)
    fail(`not a ${format.what} (expected magic ${format.magic})`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (PREFIX_BYTES + headerLength > bytes.length)
    fail(`header length ${headerLength} runs past the end of the file`);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength),
      ),
    );
  } catch (error) {
    fail(`header is not valid UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return { header, dataStart: alignUp(PREFIX_BYTES + headerLength, format.align) };
}

/** The values' bytes in little-endian order (the file's), without a copy on a little-endian host. */
export function littleEndianBytes(values: Float32Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return endianness() === 'LE' ? bytes : Buffer.from(bytes).swap32();
}

/** `count` 4-byte values at byte `start`, copied into a fresh (so aligned) array in host order. */
export function readValues<D extends 'float32' | 'int32'>(
  bytes: Uint8Array,
  start: number,
  count: number,
  dtype: D,
): D extends 'int32' ? Int32Array : Float32Array {
  const copy = Buffer.from(bytes.subarray(start, start + count * 4));
  if (endianness() !== 'LE') copy.swap32();
  const values = dtype === 'int32' ? new Int32Array(count) : new Float32Array(count);
  new Uint8Array(values.buffer).set(copy);
  return values as D extends 'int32' ? Int32Array : Float32Array;
}
