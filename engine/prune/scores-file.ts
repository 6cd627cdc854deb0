import { readFileSync, writeFileSync } from 'node:fs';
import type { TaskName, Triple } from '../nn/description.js';
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
 *   "task": "shapenet" | "brats" | "ucf101",
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

export function encodeScores(scores: WeightScores): Uint8Array {
  let offset = 0;
  const layers: HeaderLayer[] = [...scores.layers].map(([name, layer]) => {
    const entry = { name, shape: layer.shape, outAxis: layer.outAxis, offset, length: layer.values.length };
    offset += layer.values.length;
    return entry;
  });
  const header: ScoresHeader = {
    format: 'ranp-scores',
    version: SCORES_VERSION,
    net: scores.net,
    task: scores.task,
    samples: scores.samples,
    inputSize: scores.inputSize,
    source: scores.source,
    layers,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((12 + json.length) / 4) * 4;
  const bytes = new Uint8Array(dataStart + offset * 4);
  bytes.set(new TextEncoder().encode(SCORES_MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, 12);
  const data = new DataView(bytes.buffer, dataStart);
  for (const [i, [, layer]] of [...scores.layers].entries()) {
    const base = layers[i].offset * 4;
    layer.values.forEach((v, j) => data.setFloat32(base + 4 * j, v, true));
  }
  return bytes;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isTriple = (v: unknown): v is Triple =>
  Array.isArray(v) && v.length === 3 && v.every((d) => isCount(d) && d > 0);

export function decodeScores(bytes: Uint8Array, file = 'scores'): WeightScores {
  const fail = (problem: string): never => {
    throw new ScoresFileError(file, problem);
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== SCORES_MAGIC) {
    fail(`not a RANP score file (expected magic "${SCORES_MAGIC}")`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) fail(`header length ${headerLength} runs past the end of the file`);
  let header: Partial<ScoresHeader>;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headerLength)),
    );
  } catch (error) {
    return fail(`header is not valid UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (header === null || typeof header !== 'object') return fail('header is not a JSON object');
  if (header.format !== 'ranp-scores')
    fail(`header.format is ${JSON.stringify(header.format)}, expected "ranp-scores"`);
  if (header.version !== SCORES_VERSION)
    fail(`version ${JSON.stringify(header.version)} is not supported (this build reads ${SCORES_VERSION})`);
  if (typeof header.net !== 'string' || !header.net) fail('header.net must be a net name');
  if (header.task !== 'shapenet' && header.task !== 'brats' && header.task !== 'ucf101') {
    fail(`header.task ${JSON.stringify(header.task)} is not shapenet, brats or ucf101`);
  }
  if (!isCount(header.samples)) fail('header.samples must be a non-negative integer');
  if (!isTriple(header.inputSize)) fail('header.inputSize must be three positive integers');
  if (typeof header.source !== 'string') fail('header.source must be a string');
  if (!Array.isArray(header.layers)) fail('header.layers must be an array');
  const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
  const floats = Math.floor(Math.max(0, bytes.length - dataStart) / 4);
  const data = new DataView(bytes.buffer, bytes.byteOffset + Math.min(dataStart, bytes.length));
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
    const values = new Float32Array(entry.length);
    for (let j = 0; j < entry.length; j++) {
      const v = data.getFloat32((entry.offset + j) * 4, true);
      if (!Number.isFinite(v) || v < 0)
        fail(`${at}: value ${j} is ${v} (scores must be finite and non-negative)`);
      values[j] = v;
    }
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
  writeFileSync(path, encodeScores(scores));
}

export function loadScores(path: string): WeightScores {
  return decodeScores(readFileSync(path), path);
}
