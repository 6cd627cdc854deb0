import { readFile, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';

/**
 * Weights file format, version 1 ('.ranpw'):
 *   bytes 0–7   magic "RANPWGT1"
 *   bytes 8–11  header length H (uint32 little-endian)
 *   12…12+H     header: UTF-8 JSON { format: 'ranp-weights', version: 1, net, tensors: [{ name, shape, dtype: 'float32', offset, byteLength }] }
 *               padded with spaces so the data starts 4-byte aligned
 *   then        data: each tensor's values as float32 little-endian, row-major, at `offset` bytes from the data start
 */
export const WEIGHTS_MAGIC = 'RANPWGT1';
export const WEIGHTS_VERSION = 1;

export interface WeightEntry {
  shape: number[];
  values: Float32Array;
}

interface HeaderTensor {
  name: string;
  shape: number[];
  dtype: 'float32';
  offset: number;
  byteLength: number;
}

interface WeightsHeader {
  format: 'ranp-weights';
  version: number;
  net: string;
  tensors: HeaderTensor[];
}

/** Error about a weights file: names the file and what was wrong. */
export class WeightsFileError extends Error {
  constructor(file: string, problem: string) {
    super(`weights file ${file}: ${problem}`);
    this.name = 'WeightsFileError';
  }
}

function littleEndianBytes(values: Float32Array): Buffer {
  const bytes = Buffer.from(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  return endianness() === 'LE' ? bytes : bytes.swap32();
}

export function encodeWeights(netName: string, weights: ReadonlyMap<string, WeightEntry>): Buffer {
  const tensors: HeaderTensor[] = [];
  let offset = 0;
  for (const [name, { shape, values }] of weights) {
    tensors.push({ name, shape, dtype: 'float32', offset, byteLength: values.byteLength });
    offset += values.byteLength;
  }
  const header: WeightsHeader = { format: 'ranp-weights', version: WEIGHTS_VERSION, net: netName, tensors };
  let headerText = JSON.stringify(header);
  headerText += ' '.repeat((4 - ((12 + Buffer.byteLength(headerText)) % 4)) % 4);
  const prefix = Buffer.alloc(12);
  prefix.write(WEIGHTS_MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(Buffer.byteLength(headerText), 8);
  return Buffer.concat([
    prefix,
    Buffer.from(headerText),
    ...[...weights.values()].map((w) => littleEndianBytes(w.values)),
  ]);
}

/** Parses and validates a weights file's bytes; `file` only labels errors. */
export function decodeWeights(
  bytes: Buffer,
  file = '<buffer>',
): { net: string; weights: Map<string, WeightEntry> } {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 8) !== WEIGHTS_MAGIC)
    throw new WeightsFileError(file, `not a RANP weights file (expected magic ${WEIGHTS_MAGIC})`);
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length)
    throw new WeightsFileError(file, `header length ${headerLength} runs past the end of the file`);
  let header: WeightsHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as WeightsHeader;
  } catch (error) {
    throw new WeightsFileError(file, `header is not valid JSON (${(error as Error).message})`);
  }
  if (
    header.format !== 'ranp-weights' ||
    header.version !== WEIGHTS_VERSION ||
    !Array.isArray(header.tensors)
  )
    throw new WeightsFileError(
      file,
      `unsupported header (format ${String(header.format)}, version ${String(header.version)}; expected ranp-weights v${WEIGHTS_VERSION})`,
    );
  const dataStart = 12 + headerLength;
  const weights = new Map<string, WeightEntry>();
  for (const t of header.tensors) {
    const count = Array.isArray(t.shape) ? t.shape.reduce((a, b) => a * b, 1) : NaN;
    if (t.dtype !== 'float32' || !Number.isInteger(count) || count < 0 || t.byteLength !== count * 4)
      throw new WeightsFileError(
        file,
        `tensor '${t.name}': shape [${String(t.shape)}] / dtype ${t.dtype} do not match byteLength ${t.byteLength}`,
      );
    const start = dataStart + t.offset;
    if (!Number.isInteger(t.offset) || t.offset < 0 || start + t.byteLength > bytes.length)
      throw new WeightsFileError(
        file,
        `tensor '${t.name}': data at offset ${t.offset} runs past the end of the file`,
      );
    if (weights.has(t.name)) throw new WeightsFileError(file, `tensor '${t.name}' appears twice`);
    const copy = Buffer.from(bytes.subarray(start, start + t.byteLength));
    if (endianness() !== 'LE') copy.swap32();
    weights.set(t.name, { shape: t.shape, values: new Float32Array(copy.buffer, copy.byteOffset, count) });
  }
  return { net: String(header.net), weights };
}

export async function writeWeightsFile(
  file: string,
  netName: string,
  weights: ReadonlyMap<string, WeightEntry>,
): Promise<void> {
  await writeFile(file, encodeWeights(netName, weights));
}

export async function readWeightsFile(
  file: string,
): Promise<{ net: string; weights: Map<string, WeightEntry> }> {
  return decodeWeights(await readFile(file), file);
}
