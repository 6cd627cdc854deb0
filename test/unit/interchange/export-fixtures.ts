import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { NetDescription, Triple } from '../../../engine/nn/description.js';
import { buildModel, type NetModel } from '../../../engine/nn/model.js';
import type { WeightEntry } from '../../../engine/nn/weights.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import {
  createPruner,
  materialize,
  pruneWith,
  scoreWeights,
  searchMaxSparsity,
} from '../../../engine/prune/index.js';
import { syntheticSamples } from '../../../engine/prune/synthetic.js';
import { NDHWC_TO_NCDHW } from '../../../engine/interchange/index.js';

/** The four zoo nets at sizes small enough for 2 cores; odd sizes exercise padding and the U-Net's resize to the skip. */
export const EXPORT_CASES: { net: string; input: Triple; width: number }[] = [
  { net: 'unet3d-shapenet', input: [12, 10, 9], width: 0.125 },
  { net: 'unet3d-brats', input: [8, 8, 8], width: 0.125 },
  { net: 'mobilenetv2-3d', input: [4, 18, 18], width: 0.25 },
  { net: 'i3d', input: [8, 32, 32], width: 0.125 },
];

/**
 * A model whose every parameter is random (seeded), running statistics included, so batch norm's
 * inference form is exercised with non-trivial mean and variance.
 */
export function randomizedModel(net: NetDescription, seed: number): NetModel {
  const model = buildModel(net, { seed });
  tf.tidy(() => {
    let k = 0;
    for (const [key, variable] of model.variables) {
      const s = seed * 1000 + k++;
      const value = key.endsWith('.runningVar')
        ? tf.randomUniform(variable.shape, 0.5, 1.5, 'float32', s)
        : key.endsWith('.gamma')
          ? tf.randomUniform(variable.shape, 0.8, 1.2, 'float32', s)
          : key.endsWith('.runningMean') || key.endsWith('.beta') || key.endsWith('.bias')
            ? tf.randomNormal(variable.shape, 0, 0.1, 'float32', s)
            : variable.mul(tf.randomUniform(variable.shape, 0.5, 1.5, 'float32', s));
      variable.assign(value);
    }
  });
  return model;
}

export async function weightsOf(model: NetModel): Promise<Map<string, WeightEntry>> {
  const weights = new Map<string, WeightEntry>();
  for (const [key, v] of model.variables)
    weights.set(key, { shape: v.shape, values: (await v.data()) as Float32Array });
  return weights;
}

/** A seeded NDHWC batch and the engine's inference output for it, both also channels-first. */
export async function engineReference(
  model: NetModel,
  input: Triple,
  batch: number,
  seed: number,
): Promise<{ ncdhw: Float32Array; inputShape: number[]; expected: Float32Array; outputShape: number[] }> {
  const x = tf.randomNormal([batch, ...input, model.net.inputChannels], 0, 1, 'float32', seed) as tf.Tensor5D;
  const y = model.forward(x, { training: false });
  const channelsFirst = (t: tf.Tensor) => (t.rank === 5 ? tf.transpose(t, [...NDHWC_TO_NCDHW]) : t);
  const xFirst = channelsFirst(x);
  const yFirst = channelsFirst(y);
  const result = {
    ncdhw: (await xFirst.data()) as Float32Array,
    inputShape: xFirst.shape,
    expected: (await yFirst.data()) as Float32Array,
    outputShape: yFirst.shape,
  };
  tf.dispose([x, y, xFirst, yFirst]);
  return result;
}

/** A U-Net pruned by RANP-f (scores on synthetic samples) at 40 % of its neurons, or less where that empties a layer. */
export async function ranpPrunedNet(input: Triple): Promise<NetDescription> {
  const net = buildNet('unet3d-shapenet', { inputSize: input, width: 0.25 });
  const model = buildModel(net, { seed: 0 });
  const scores = await scoreWeights(model, syntheticSamples(net, input, 2, 3), { source: 'synthetic' });
  model.dispose();
  const pruner = createPruner(net, scores, { method: 'ranp-f', inputSize: input });
  const result = pruneWith(pruner, { sparsity: Math.min(0.4, searchMaxSparsity(pruner)) });
  return materialize(net, result).net;
}

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

export function maxAbs(a: Float32Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** A reference batch: engineReference's result. */
export type EngineReference = Awaited<ReturnType<typeof engineReference>>;

/**
 * Runs an exported model.onnx in onnxruntime-node (CPU) on the reference batch; checks its input and
 * output names and shape; returns the largest |onnx − engine| difference.
 */
export async function onnxDifference(file: string, net: NetDescription, reference: EngineReference) {
  const session = await ort.InferenceSession.create(readFileSync(file), { executionProviders: ['cpu'] });
  try {
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual([net.output]);
    const result = await session.run({
      input: new ort.Tensor('float32', reference.ncdhw, reference.inputShape),
    });
    const y = result[net.output];
    expect(y.dims).toEqual(reference.outputShape);
    return maxAbsDifference(y.data as Float32Array, reference.expected);
  } finally {
    await session.release();
  }
}

// Debian's python3-torch lives in the system Python. The tests install nothing: without torch they
// are skipped, and their titles say so.
export const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
export const torchVersion = probe.status === 0 ? probe.stdout.trim() : null;
export const TORCH_SKIP_REASON = `SKIPPED: ${PYTHON} cannot import torch (install Debian's python3-torch: apt-get install python3-torch)`;
const TORCH_CHECK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pytorch-check.py');

/**
 * Loads a PyTorch export folder with torch (pytorch-check.py), runs it on the reference batch in
 * eval mode and then one SGD step; returns the largest |torch − engine| difference and the step's
 * report. `scratch` is a folder for the batch and output files.
 */
export function torchCheck(folder: string, reference: EngineReference, scratch: string, label: string) {
  const inputFile = path.join(scratch, `${label}.in`);
  const outputFile = path.join(scratch, `${label}.out`);
  writeFileSync(
    inputFile,
    Buffer.from(reference.ncdhw.buffer, reference.ncdhw.byteOffset, reference.ncdhw.byteLength),
  );
  const run = spawnSync(
    PYTHON,
    [TORCH_CHECK, folder, inputFile, reference.inputShape.join(','), outputFile],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const step = JSON.parse(run.stdout) as {
    shape: number[];
    finite: boolean;
    changed: number;
    parameters: number;
  };
  expect(step.shape).toEqual(reference.outputShape);
  const bytes = readFileSync(outputFile);
  const output = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return { difference: maxAbsDifference(output, reference.expected), step };
}
