import { readFile } from 'node:fs/promises';
import {
  decodeTensorFile,
  littleEndianBytes,
  readValues,
  writeTensorFile,
  type TensorFileFormat,
} from '../util/tensor-file.js';

/**
 * Weights file format, version 1 ('.ranpw'), in the tensor-file container (engine/util/tensor-file.ts)
 * with magic "RANPWGT1", data 4-byte aligned. Header: { format: 'ranp-weights', version: 1, net,
 * tensors: [{ name, shape, dtype: 'float32', offset, byteLength }] }; each tensor's values are
 * float32 little-endian, row-major, at `offset` bytes from the data start.
 */
export const WEIGHTS_MAGIC = 'RANPWGT1';
export const WEIGHTS_VERSION = 1;
const FORMAT: TensorFileFormat = { magic: WEIGHTS_MAGIC, align: 4, what: 'RANP weights file' };

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

function weightsHeader(netName: string, weights: ReadonlyMap<string, WeightEntry>): WeightsHeader {
  const tensors: HeaderTensor[] = [];
  let offset = 0;
  for (const [name, { shape, values }] of weights) {
    tensors.push({ name, shape, dtype: 'float32', offset, byteLength: values.byteLength });
    offset += values.byteLength;
  }
  return { format: 'ranp-weights', version: WEIGHTS_VERSION, net: netName, tensors };
}

/** Parses and validates a weights file's bytes; `file` only labels errors. */
export function decodeWeights(
  bytes: Uint8Array,
  file = '<buffer>',
): { net: string; weights: Map<string, WeightEntry> } {
  const fail = (problem: string): never => {
    throw new WeightsFileError(file, problem);
  };
  const decoded = decodeTensorFile(FORMAT, bytes, fail);
  const header = decoded.header as WeightsHeader;
  if (header === null || typeof header !== 'object') fail('header is not a JSON object');
  if (
    header.format !== 'ranp-weights' ||
    header.version !== WEIGHTS_VERSION ||
    !Array.isArray(header.tensors)
  )
    throw new WeightsFileError(
      file,
      `unsupported header (format ${String(header.format)}, version ${String(header.version)}; expected ranp-weights v${WEIGHTS_VERSION})`,
    );
  const { dataStart } = decoded;
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
    weights.set(t.name, { shape: t.shape, values: readValues(bytes, start, count, 'float32') });
  }
  return { net: String(header.net), weights };
}

export async function writeWeightsFile(
  file: string,
  netName: string,
  weights: ReadonlyMap<string, WeightEntry>,
): Promise<void> {
  writeTensorFile(
    file,
    FORMAT,
    weightsHeader(netName, weights),
    [...weights.values()].map((w) => littleEndianBytes(w.values)),
  );
}

export async function readWeightsFile(
  file: string,
): Promise<{ net: string; weights: Map<string, WeightEntry> }> {
  return decodeWeights(await readFile(file), file);
}
