// Full training steps on the backend named by RANP_BACKEND (tfjs backends are per process, so
// webgpu-step.test.ts runs one child per backend): a small ShapeNet 3D-UNet, and two tiny nets that
// cover the layer kinds and losses the 3D-UNet does not use. Writes <out>.json (backend report,
// losses, tensor index) and <out>.bin (every variable before and after each step and every
// gradient, float32, in index order). Exits 3 with the reason when the backend is unavailable.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { BackendUnavailableError, selectBackend } from '../../engine/backend/index.js';
import type { Sample } from '../../engine/data/dataset.js';
import { seededRandom, type Random } from '../../engine/data/random.js';
import type { NetDescription } from '../../engine/nn/description.js';
import { buildModel } from '../../engine/nn/model.js';
import { scoreWeights } from '../../engine/prune/score.js';
import { NetBuilder, cube, padAll } from '../../engine/nn/zoo/builder.js';
import { buildNet } from '../../engine/nn/zoo/registry.js';
import { lossFor } from '../../engine/tasks/registry.js';
import { createOptimizer } from '../../engine/train/optimizers/registry.js';

export interface StepTensorEntry {
  /**
   * Every variable 'before' and 'after' the step (running statistics included), each 'grad', and
   * the RANP weight 'score' |∂L/∂w ⊙ w| of each prunable layer.
   */
  kind: 'before' | 'grad' | 'after' | 'score';
  /** `${case}/${layer}.${param}`, or `${case}/${layer}` for scores */
  key: string;
  shape: number[];
  offset: number;
  length: number;
}

export interface StepChildResult {
  chosen: string;
  tfBackend: string;
  /** The selection's explanation of the chosen backend (adapter name for webgpu). */
  chosenWhy: string;
  /** Loss of each case's step, by case name. */
  losses: Record<string, number>;
  /** The SGD step applied: p ← p − lr·(1 + momentum)·(g + weightDecay·p) on the first (Nesterov) step. */
  sgd: { lr: number; momentum: number; weightDecay: number };
  entries: StepTensorEntry[];
  /** What dataSync() of a GPU-computed tensor did: 'ok', or the error message. */
  syncRead: string;
}

interface StepCase {
  name: string;
  net: NetDescription;
  x: tf.Tensor5D;
  labels: tf.Tensor;
}

const BATCH = 2;
const IGNORE = 255;
const SEED = 7;
// The paper's ShapeNet optimizer (SGD, Nesterov 0.9, weight decay 1e-4), as the training loop runs it.
const SGD = { lr: 0.1, momentum: 0.9, weightDecay: 1e-4 };

const out = process.argv[2];
if (!out) throw new Error('usage: webgpu-step-child.ts OUT_PREFIX');

let report;
try {
  report = await selectBackend();
} catch (error) {
  if (!(error instanceof BackendUnavailableError)) throw error;
  process.stdout.write(`unavailable: ${error.message}\n`);
  process.exit(3);
}

/** Labels in [0, classes), about a quarter ignored (255) when `ignore`. */
function randomLabels(random: Random, count: number, classes: number, ignore: boolean): Int32Array {
  return Int32Array.from({ length: count }, () =>
    ignore && random() < 0.25 ? IGNORE : Math.floor(random() * classes),
  );
}

/** A batch of inputs in [0, 1) with random labels. */
function segmentationData(random: Random, size: number, channels: number, classes: number, ignore: boolean) {
  const voxels = BATCH * size ** 3;
  const x = tf.tensor5d(
    Float32Array.from({ length: voxels * channels }, () => random()),
    [BATCH, size, size, size, channels],
  );
  const label = randomLabels(random, voxels, classes, ignore);
  return { x, labels: tf.tensor4d(label, [BATCH, size, size, size], 'int32') };
}

/**
 * BraTS-style segmentation over the layer kinds the 3D-UNet lacks: strided conv with bias, ReLU6,
 * instance norm, depthwise conv, group norm, average pool, transposed conv, add, padded max pool,
 * upsampling by a scale; trained with the BraTS loss (cross-entropy + Dice). 8³ input.
 */
function layerCoverageNet(): NetDescription {
  const b = new NetBuilder();
  const input = b.add('input', 'input', [], { channels: 4 });
  const c1 = b.conv('c1', input, {
    inChannels: 4,
    outChannels: 8,
    kernel: cube(3),
    stride: cube(2),
    padding: padAll(1),
    bias: true,
  });
  // Every bias feeds a nonlinearity before any norm: a bias right before a norm has a zero
  // gradient, and comparing rounding noise against zero says nothing.
  const r1 = b.add('relu6', 'r1', [c1], {});
  const n1 = b.add('instanceNorm3d', 'n1', [r1], { channels: 8, eps: 1e-5 });
  const dw = b.conv('dw', n1, {
    inChannels: 8,
    outChannels: 8,
    kernel: cube(3),
    padding: padAll(1),
    groups: 8,
  });
  const n2 = b.add('groupNorm3d', 'n2', [dw], { channels: 8, eps: 1e-5, groups: 2 });
  const r2 = b.add('relu', 'r2', [n2], {});
  const pool = b.add('avgPool3d', 'pool', [r2], { kernel: cube(2), stride: cube(2), padding: padAll(0) });
  const up = b.add('convTranspose3d', 'up', [pool], {
    inChannels: 8,
    outChannels: 8,
    kernel: cube(2),
    stride: cube(2),
    padding: padAll(0),
    bias: true,
  });
  const sum = b.add('add', 'sum', [up, r2], {});
  const max = b.add('maxPool3d', 'max', [sum], { kernel: cube(3), stride: cube(1), padding: padAll(1) });
  const scaled = b.add('upsampleNearest3d', 'scaled', [max], { mode: 'scale', scale: cube(2) });
  const cat = b.add('concat', 'cat', [input, scaled], {});
  const logits = b.conv('final', cat, {
    inChannels: 12,
    outChannels: 5,
    kernel: cube(1),
    padding: padAll(0),
    bias: true,
  });
  return b.describe({
    name: 'webgpu-layer-coverage',
    task: 'brats',
    inputChannels: 4,
    classes: 5,
    inputSize: cube(8),
    output: logits,
    classifier: logits,
    meta: {},
  });
}

/** UCF101-style classification: global average pool, seeded dropout, linear, cross-entropy on [N, C]. */
function classifierNet(): NetDescription {
  const b = new NetBuilder();
  const input = b.add('input', 'input', [], { channels: 3 });
  const conv = b.conv('conv', input, { inChannels: 3, outChannels: 16, kernel: cube(3), padding: padAll(1) });
  const relu = b.add('relu', 'relu', [conv], {});
  const pooled = b.add('globalAvgPool', 'pooled', [relu], {});
  const dropped = b.add('dropout', 'dropped', [pooled], { rate: 0.5 });
  const logits = b.add('linear', 'fc', [dropped], { inFeatures: 16, outFeatures: 101, bias: true });
  return b.describe({
    name: 'webgpu-classifier',
    task: 'ucf101',
    inputChannels: 3,
    classes: 101,
    inputSize: cube(8),
    output: logits,
    classifier: logits,
    meta: {},
  });
}

// Same data in every process.
const random = seededRandom(SEED);
const cases: StepCase[] = [
  {
    name: 'unet3d-shapenet',
    net: buildNet('unet3d-shapenet', { width: 0.125, inputSize: cube(16) }),
    ...segmentationData(random, 16, 1, 50, true),
  },
  { name: 'layer-coverage', net: layerCoverageNet(), ...segmentationData(random, 8, 4, 5, false) },
  {
    name: 'classifier',
    net: classifierNet(),
    x: tf.tensor5d(
      Float32Array.from({ length: BATCH * 8 ** 3 * 3 }, () => random()),
      [BATCH, 8, 8, 8, 3],
    ),
    labels: tf.tensor1d([17, 93], 'int32'),
  },
];

const entries: StepTensorEntry[] = [];
const chunks: Float32Array[] = [];
let offset = 0;
async function record(kind: StepTensorEntry['kind'], key: string, t: tf.Tensor): Promise<void> {
  const data = Float32Array.from(await t.data());
  entries.push({ kind, key, shape: t.shape, offset, length: data.length });
  chunks.push(data);
  offset += data.length;
}

const losses: Record<string, number> = {};
for (const { name, net, x, labels } of cases) {
  const model = buildModel(net, { seed: SEED });
  const optimizer = createOptimizer({
    kind: 'sgd',
    momentum: SGD.momentum,
    nesterov: true,
    weightDecay: SGD.weightDecay,
  });
  const loss = lossFor(net.task);
  const keyOf = new Map([...model.variables].map(([key, v]) => [v.name, key]));
  for (const [key, v] of model.variables) await record('before', `${name}/${key}`, v);
  const { value, grads } = tf.variableGrads(
    () => loss(model.forward(x, { training: true, seed: SEED }), labels),
    model.trainableVariables(),
  );
  const namedGrads = new Map(Object.entries(grads).map(([id, g]) => [keyOf.get(id) ?? id, g]));
  for (const [key, g] of namedGrads) await record('grad', `${name}/${key}`, g);
  optimizer.apply(model.variables, namedGrads, SGD.lr);
  for (const [key, v] of model.variables) await record('after', `${name}/${key}`, v);
  losses[name] = (await value.data())[0];
  tf.dispose([x, labels, value, ...Object.values(grads)]);
  optimizer.dispose();
  model.dispose();
}

// RANP's weight scores (step 2 of the method) of the same 3D-UNet on one sample of its batch.
const scoredNet = buildNet('unet3d-shapenet', { width: 0.125, inputSize: cube(16) });
const scoredModel = buildModel(scoredNet, { seed: SEED });
const scoreRandom = seededRandom(SEED + 1);
const scoreSample: Sample = {
  id: 'webgpu-score',
  input: Float32Array.from({ length: 16 ** 3 }, () => scoreRandom()),
  inputShape: [16, 16, 16, 1],
  label: randomLabels(scoreRandom, 16 ** 3, 50, true),
  labelShape: [16, 16, 16],
  meta: {},
};
const scores = await scoreWeights(scoredModel, [scoreSample], { seed: SEED });
for (const [layer, { shape, values }] of scores.layers) {
  const t = tf.tensor(values, shape);
  await record('score', `scores/${layer}`, t);
  t.dispose();
}
scoredModel.dispose();

// Above tfjs-webgpu's CPU hand-off size, so the result is computed on (and lives on) the GPU.
const gpuResident = tf.tidy(() => tf.fill([4096], 2).square());
let syncRead = 'ok';
try {
  gpuResident.dataSync();
} catch (error) {
  syncRead = error instanceof Error ? error.message : String(error);
}
gpuResident.dispose();

const bytes = new Uint8Array(offset * 4);
let at = 0;
for (const chunk of chunks) {
  bytes.set(new Uint8Array(chunk.buffer), at);
  at += chunk.byteLength;
}
writeFileSync(`${out}.bin`, bytes);
const result: StepChildResult = {
  chosen: report.chosen,
  tfBackend: tf.getBackend(),
  chosenWhy: report.reasons.find((r) => r.backend === report.chosen)?.why ?? '',
  losses,
  sgd: SGD,
  entries,
  syncRead,
};
writeFileSync(`${out}.json`, JSON.stringify(result));
// Dawn's device keeps the event loop alive.
process.exit(0);
