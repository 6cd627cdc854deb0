import { readFileSync } from 'node:fs';
import { isTaskName, TASK_NAMES } from '../domain/tasks.js';
import type { TaskName, Triple } from '../nn/description.js';
import {
  decodeTensorFile,
  encodeTensorFile,
  littleEndianBytes,
  readValues,
  writeTensorFile,
  type TensorFileFormat,
} from '../util/tensor-file.js';
import type { LayerWeightScores, WeightScores } from './types.js';

/**
 * Score file, version 1 (extension .ranpscores). Written by `ranp prune --out`, readable by
 * `ranp prune --scores`; another tool may write it too, so everything is validated on load.
 *
 *   bytes 0–7    ASCII magic "RANPSCR1"
 *   bytes 8–11   uint32 little-endian: header length H in bytes
 *   next H bytes UTF-8 JSON header (below)
 *   zero bytes   padding so the data starts at a multiple of 4
 *   data         float32 little-endian values, each layer row-major, at its header offset
 *
 * Header: {
 *   "format": "ranp-scores", "version": 1,
 *   "net": "unet3d-shapenet",            NetDescription.name the scores belong to
 *   "task": a task name of engine/domain/tasks.ts,
 *   "samples": 16,                        scoring samples averaged (0 when not from data)
 *   "inputSize": [16, 16, 16],            spatial size of the scoring samples
 *   "source": "samples",                  'samples', 'synthetic', or the writing tool
 *   "layers": [ { "name": "enc0.conv1",   prunable layer name
 *                 "shape": [3,3,3,1,32],  its weight's shape (engine ParamSpec layout)
 *                 "outAxis": 4,           axis indexed by output channel (neuron)
 *                 "offset": 0,            in float32 elements from the start of data
 *                 "length": 864 } ]       product of shape
 * }
 * Values are |∂L/∂m| = |g ⊙ w| averaged over the samples: finite and non-negative.
 * Validation against a net (names, shapes, output axes, values) is done by validateScores.
 */
export const SCORES_MAGIC = 'RANPSCR1';
export const SCORES_VERSION = 1;
const FORMAT: TensorFileFormat = { magic: SCORES_MAGIC, align: 4, what: 'RANP score file' };

interface HeaderLayer {
  name: string;
  shape: number[];
  outAxis: number;
  offset: number;
  length: number;
}

interface ScoresHeader {
  format: 'ranp-scores';
  version: number;
  net: string;
  task: TaskName;
  samples: number;
  inputSize: Triple;
  source: string;
  layers: HeaderLayer[];
}

export class ScoresFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`score file ${file}: ${problem}`);
    this.name = 'ScoresFileError';
  }
}

function scoresHeader(scores: WeightScores): ScoresHeader {
  let offset = 0;
  const layers: HeaderLayer[] = [...scores.layers].map(([name, layer]) => {
    const entry = { name, shape: layer.shape, outAxis: layer.outAxis, offset, length: layer.values.length };
    offset += layer.values.length;
    return entry;
  });
  return {
    format: 'ranp-scores',
    version: SCORES_VERSION,
    net: scores.net,
    task: scores.task,
    samples: scores.samples,
    inputSize: scores.inputSize,
    source: scores.source,
    layers,
  };
}

const payloads = (scores: WeightScores) =>
  [...scores.layers.values()].map((l) => littleEndianBytes(l.values));

export function encodeScores(scores: WeightScores): Uint8Array {
  // A fresh array (byteOffset 0), not a view into Node's shared Buffer pool.
  return new Uint8Array(Buffer.concat(encodeTensorFile(FORMAT, scoresHeader(scores), payloads(scores))));
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isTriple = (v: unknown): v is Triple =>
  Array.isArray(v) && v.length === 3 && v.every((d) => isCount(d) && d > 0);

export function decodeScores(bytes: Uint8Array, file = 'scores'): WeightScores {
  const fail = (problem: string): never => {
    throw new ScoresFileError(file, problem);
  };
  const decoded = decodeTensorFile(FORMAT, bytes, fail);
  const header = decoded.header as Partial<ScoresHeader>;
  if (header === null || typeof header !== 'object') return fail('header is not a JSON object');
  if (header.format !== 'ranp-scores')
    fail(`header.format is ${JSON.stringify(header.format)}, expected "ranp-scores"`);
  if (header.version !== SCORES_VERSION)
    fail(`version ${JSON.stringify(header.version)} is not supported (this build reads ${SCORES_VERSION})`);
  if (typeof header.net !== 'string' || !header.net) fail('header.net must be a net name');
  if (typeof header.task !== 'string' || !isTaskName(header.task)) {
    fail(`header.task ${JSON.stringify(header.task)} is not one of ${TASK_NAMES.join(', ')}`);
  }
  if (!isCount(header.samples)) fail('header.samples must be a non-negative integer');
  if (!isTriple(header.inputSize)) fail('header.inputSize must be three positive integers');
  if (typeof header.source !== 'string') fail('header.source must be a string');
  if (!Array.isArray(header.layers)) fail('header.layers must be an array');
  const { dataStart } = decoded;
  const floats = Math.floor(Math.max(0, bytes.length - dataStart) / 4);
  const layers = new Map<string, LayerWeightScores>();
  for (const [i, entry] of header.layers!.entries()) {
    const where = `layers[${i}]`;
    if (!entry || typeof entry.name !== 'string') return fail(`${where}.name must be a string`);
    const at = `layer '${entry.name}'`;
    if (layers.has(entry.name)) fail(`${at} appears twice`);
    if (!Array.isArray(entry.shape) || !entry.shape.every((d) => isCount(d) && d > 0))
      fail(`${at}: shape must be positive integers`);
    if (!isCount(entry.outAxis) || entry.outAxis >= entry.shape.length)
      fail(`${at}: outAxis ${entry.outAxis} is not an axis of its shape`);
    const expected = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.length !== expected)
      fail(`${at}: length ${entry.length} but shape [${entry.shape.join(', ')}] has ${expected} values`);
    if (!isCount(entry.offset) || entry.offset + entry.length > floats) {
      fail(
        `${at}: values [${entry.offset}, ${entry.offset + entry.length}) lie outside the ${floats} stored values`,
      );
    }
    const values = readValues(bytes, dataStart + entry.offset * 4, entry.length, 'float32');
    const bad = values.findIndex((v) => !Number.isFinite(v) || v < 0);
    if (bad >= 0) fail(`${at}: value ${bad} is ${values[bad]} (scores must be finite and non-negative)`);
    layers.set(entry.name, { shape: entry.shape, outAxis: entry.outAxis, values });
  }
  return {
    net: header.net!,
    task: header.task!,
    samples: header.samples!,
    inputSize: header.inputSize!,
    source: header.source!,
    layers,
  };
}

export function saveScores(path: string, scores: WeightScores): void {
  writeTensorFile(path, FORMAT, scoresHeader(scores), payloads(scores));
}

export function loadScores(path: string): WeightScores {
  return decodeScores(readFileSync(path), path);
}
