// One full training step of a small ShapeNet 3D-UNet on the backend named by RANP_BACKEND (tfjs
// backends are per process, so webgpu-step.test.ts runs one child per backend). Writes
// <out>.json (backend report, loss, tensor index) and <out>.bin (every gradient and every variable
// after the step, float32, in index order). Exits 3 with the reason when the backend is unavailable.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { BackendUnavailableError, selectBackend } from '../../engine/backend/index.js';
import { seededRandom } from '../../engine/data/random.js';
import { buildModel } from '../../engine/nn/model.js';
import { buildNet } from '../../engine/nn/zoo/registry.js';
import { lossFor } from '../../engine/train/losses/registry.js';
import { createOptimizer } from '../../engine/train/optimizers/registry.js';

export interface StepTensorEntry {
  /** Every variable 'before' and 'after' the step (running statistics included), and each 'grad'. */
  kind: 'before' | 'grad' | 'after';
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
  loss: number;
  /** The SGD step applied: p ← p − lr·(1 + momentum)·(g + weightDecay·p) on the first (Nesterov) step. */
  sgd: { lr: number; momentum: number; weightDecay: number };
  entries: StepTensorEntry[];
}

const STEP_SIZE = 16;
const STEP_BATCH = 2;
const STEP_WIDTH = 0.125;
const CLASSES = 50;
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
  process.stdout.write(`${error.message}\n`);
  process.exit(3);
}

const net = buildNet('unet3d-shapenet', { width: STEP_WIDTH, inputSize: [STEP_SIZE, STEP_SIZE, STEP_SIZE] });
const model = buildModel(net, { seed: SEED });
// Same data in every process: inputs in [0, 1), labels over all classes with about a quarter ignored.
const random = seededRandom(SEED);
const voxels = STEP_BATCH * STEP_SIZE ** 3;
const input = Float32Array.from({ length: voxels }, () => random());
const label = Int32Array.from({ length: voxels }, () =>
  random() < 0.25 ? IGNORE : Math.floor(random() * CLASSES),
);
const x = tf.tensor5d(input, [STEP_BATCH, STEP_SIZE, STEP_SIZE, STEP_SIZE, 1]);
const labels = tf.tensor4d(label, [STEP_BATCH, STEP_SIZE, STEP_SIZE, STEP_SIZE], 'int32');

const optimizer = createOptimizer({
  kind: 'sgd',
  momentum: SGD.momentum,
  nesterov: true,
  weightDecay: SGD.weightDecay,
});
const loss = lossFor('shapenet');
const keyOf = new Map([...model.variables].map(([key, v]) => [v.name, key]));
const entries: StepTensorEntry[] = [];
const chunks: Float32Array[] = [];
let offset = 0;
async function record(kind: StepTensorEntry['kind'], key: string, t: tf.Tensor): Promise<void> {
  const data = Float32Array.from(await t.data());
  entries.push({ kind, key, shape: t.shape, offset, length: data.length });
  chunks.push(data);
  offset += data.length;
}
for (const [key, v] of model.variables) await record('before', key, v);
const { value, grads } = tf.variableGrads(
  () => loss(model.forward(x, { training: true }), labels),
  model.trainableVariables(),
);
const namedGrads = new Map(Object.entries(grads).map(([name, g]) => [keyOf.get(name) ?? name, g]));

for (const [key, g] of namedGrads) await record('grad', key, g);
optimizer.apply(model.variables, namedGrads, SGD.lr);
for (const [key, v] of model.variables) await record('after', key, v);

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
  loss: (await value.data())[0],
  sgd: SGD,
  entries,
};
writeFileSync(`${out}.json`, JSON.stringify(result));
tf.dispose([x, labels, value, ...Object.values(grads)]);
optimizer.dispose();
model.dispose();
// Dawn's device keeps the event loop alive.
process.exit(0);
