import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LayerNode, NetDescription } from '../../../engine/nn/description.js';
import { buildModel, parameterEntries } from '../../../engine/nn/model.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { expectClose, randomTensor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ranp-nn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function net(nodes: LayerNode[], inputChannels: number, output = nodes.at(-1)?.name ?? ''): NetDescription {
  return {
    format: 'ranp-net',
    version: 1,
    name: 'test-net',
    task: 'brats',
    inputChannels,
    classes: 2,
    inputSize: [4, 4, 4],
    nodes,
    output,
    classifier: output,
    meta: {},
  };
}

const input = (channels: number): LayerNode => ({
  name: 'input',
  kind: 'input',
  inputs: [],
  attrs: { channels },
});
const conv = (
  name: string,
  from: string,
  inChannels: number,
  outChannels: number,
  bias = true,
): LayerNode => ({
  name,
  kind: 'conv3d',
  inputs: [from],
  attrs: {
    inChannels,
    outChannels,
    kernel: [3, 3, 3],
    stride: [1, 1, 1],
    padding: [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
    groups: 1,
    bias,
  },
});

function sampleStats(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (values[i] - mean) ** 2 / n;
  return { mean, std: Math.sqrt(variance) };
}

describe('initialization (docs/method.md step 1)', () => {
  const description = net(
    [
      input(64),
      conv('c', 'input', 64, 256),
      { name: 'bn', kind: 'batchNorm3d', inputs: ['c'], attrs: { channels: 256, eps: 1e-5 } },
    ],
    64,
  );

  it('Xavier-normal conv weights, N(0,1) conv biases, gamma N(1, 0.02), beta 0, running stats 0/1', () => {
    const model = buildModel(description, { seed: 1 });
    const weight = sampleStats(model.variables.get('c.weight')?.dataSync() ?? []);
    const expectedStd = Math.sqrt(2 / (64 * 27 + 256 * 27)); // fan_in = C_in·k³, fan_out = C_out·k³
    expect(Math.abs(weight.mean)).toBeLessThan(expectedStd * 0.01);
    expect(weight.std / expectedStd).toBeCloseTo(1, 1);
    const bias = sampleStats(model.variables.get('c.bias')?.dataSync() ?? []);
    expect(bias.std).toBeGreaterThan(0.8);
    expect(bias.std).toBeLessThan(1.2);
    const gamma = sampleStats(model.variables.get('bn.gamma')?.dataSync() ?? []);
    expect(gamma.mean).toBeCloseTo(1, 2);
    expect(gamma.std).toBeGreaterThan(0.015);
    expect(gamma.std).toBeLessThan(0.025);
    expect([...(model.variables.get('bn.beta')?.dataSync() ?? [])].every((v) => v === 0)).toBe(true);
    expect([...(model.variables.get('bn.runningVar')?.dataSync() ?? [])].every((v) => v === 1)).toBe(true);
    expect(model.variables.get('bn.runningMean')?.trainable).toBe(false);
    expect(model.trainableVariables()).toHaveLength(4);
    model.dispose();
  });

  it('is deterministic per seed and independent of the other layers', () => {
    const a = buildModel(description, { seed: 7 });
    const b = buildModel(description, { seed: 7 });
    const c = buildModel(description, { seed: 8 });
    const smaller = buildModel(net([input(64), conv('c', 'input', 64, 256)], 64), { seed: 7 });
    const values = (m: typeof a) =>
      Buffer.from((m.variables.get('c.weight')?.dataSync() as Float32Array).buffer);
    // Buffer comparison: a deep toEqual over 442k floats is needlessly slow.
    expect(values(b).equals(values(a))).toBe(true);
    expect(values(smaller).equals(values(a))).toBe(true);
    expect(values(c).equals(values(a))).toBe(false);
    [a, b, c, smaller].forEach((m) => m.dispose());
  });
});

describe('forward', () => {
  it('training updates batch-norm running statistics (momentum 0.1, unbiased variance); evaluation uses them', () => {
    const bnNet = net(
      [input(2), { name: 'bn', kind: 'batchNorm3d', inputs: ['input'], attrs: { channels: 2, eps: 1e-5 } }],
      2,
    );
    const model = buildModel(bnNet, { seed: 1 });
    model.setWeights(new Map([['bn.gamma', tf.ones([2])]]), { partial: true });
    const x = randomTensor([2, 2, 2, 2, 2], 3) as tf.Tensor5D;
    const xs = x.dataSync();
    model.forward(x, { training: true, updateRunningStats: false });
    expect(model.variables.get('bn.runningMean')?.dataSync()).toEqual(Float32Array.from([0, 0]));
    model.forward(x, { training: true });
    for (const ch of [0, 1]) {
      const v = [...xs].filter((_, i) => i % 2 === ch);
      const mean = v.reduce((s, a) => s + a, 0) / v.length;
      const unbiased = v.reduce((s, a) => s + (a - mean) ** 2, 0) / (v.length - 1);
      expect(model.variables.get('bn.runningMean')?.dataSync()[ch]).toBeCloseTo(0.1 * mean, 5);
      expect(model.variables.get('bn.runningVar')?.dataSync()[ch]).toBeCloseTo(0.9 + 0.1 * unbiased, 5);
      const evaluated = model.forward(x, { training: false }).dataSync();
      const rm = 0.1 * mean;
      const rv = 0.9 + 0.1 * unbiased;
      expect(evaluated[ch]).toBeCloseTo((xs[ch] - rm) / Math.sqrt(rv + 1e-5), 4);
    }
    model.dispose();
  });

  it('stops at net.output and releases intermediates', () => {
    const model = buildModel(buildNet('unet3d-shapenet', { width: 1 / 16, inputSize: [8, 8, 8] }), {
      seed: 1,
    });
    const x = tf.ones([1, 8, 8, 8, 1]) as tf.Tensor5D;
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    const y = model.forward(x, { training: false, observe: (layer) => seen.push(layer) });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(seen.at(-1)).toBe('final');
    expect(seen).not.toContain('softmax');
    expect(y.shape).toEqual([1, 8, 8, 8, 50]);
    expect(() => model.forward(tf.ones([1, 8, 8, 8, 3]) as tf.Tensor5D, { training: false })).toThrow(
      /1 channels, got \[1,8,8,8,3\]/,
    );
    model.dispose();
  });

  it('weightOverrides give SNIP scores: ∂L/∂m at m = 1 equals (∂L/∂w) ⊙ w', () => {
    const model = buildModel(
      net(
        [
          input(2),
          conv('c1', 'input', 2, 3),
          { name: 'r', kind: 'relu', inputs: ['c1'], attrs: {} },
          conv('c2', 'r', 3, 2, false),
        ],
        2,
      ),
      { seed: 4 },
    );
    const x = randomTensor([1, 3, 3, 3, 2], 5) as tf.Tensor5D;
    const target = randomTensor([1, 3, 3, 3, 2], 6);
    const loss = (overrides?: Map<string, tf.Tensor>) =>
      tf.losses.meanSquaredError(
        target,
        model.forward(x, { training: true, weightOverrides: overrides }),
      ) as tf.Scalar;
    const weights = ['c1.weight', 'c2.weight'].map((key) => model.variables.get(key) as tf.Variable);
    const masks = weights.map((w) => tf.ones(w.shape));
    const maskGrads = tf.grads((m1: tf.Tensor, m2: tf.Tensor) =>
      loss(
        new Map([
          ['c1.weight', weights[0].mul(m1)],
          ['c2.weight', weights[1].mul(m2)],
        ]),
      ),
    )(masks);
    const { grads } = tf.variableGrads(() => loss(), weights);
    weights.forEach((w, i) =>
      expectClose(maskGrads[i].dataSync(), tf.mul(grads[w.name], w).dataSync(), 1e-4),
    );
    // A zero mask removes the layer's contribution exactly like zero weights.
    const zeroed = model.forward(x, {
      training: false,
      weightOverrides: new Map([['c2.weight', tf.zeros(weights[1].shape)]]),
    });
    expect([...zeroed.dataSync()].every((v) => v === 0)).toBe(true);
    expect(() =>
      model.forward(x, { training: false, weightOverrides: new Map([['c9.weight', tf.zeros([1])]]) }),
    ).toThrow(/no parameter 'c9.weight'/);
    expect(() =>
      model.forward(x, { training: false, weightOverrides: new Map([['c2.weight', tf.zeros([1])]]) }),
    ).toThrow(/shape \[1\], expected \[3,3,3,3,2\]/);
    model.dispose();
  });
});

describe('weights in memory and on disk', () => {
  const description = buildNet('mobilenetv2-3d', { width: 0.125, inputSize: [2, 16, 16], classes: 3 });
  const x = randomTensor([1, 2, 16, 16, 3], 9) as tf.Tensor5D;

  it('getWeights/setWeights copy every parameter; mismatches are named', () => {
    const a = buildModel(description, { seed: 1 });
    const b = buildModel(description, { seed: 2 });
    b.setWeights(a.getWeights());
    expect(b.forward(x, { training: false }).dataSync()).toEqual(
      a.forward(x, { training: false }).dataSync(),
    );
    expect(() =>
      b.setWeights(new Map([['stem.conv.weight', tf.zeros([1, 1, 1, 1, 1])]]), { partial: true }),
    ).toThrow(/shape mismatch: stem.conv.weight \[1,1,1,1,1\] \(expected \[3,3,3,3,4\]\)/);
    expect(() => b.setWeights(new Map([['stem.conv.weight', tf.zeros([3, 3, 3, 3, 4])]]))).toThrow(
      /missing parameters: stem.bn.gamma/,
    );
    [a, b].forEach((m) => m.dispose());
  });

  it('saveWeights/loadWeights round-trip exactly through the documented file format', async () => {
    const a = buildModel(description, { seed: 1 });
    a.forward(x, { training: true }); // non-trivial running statistics
    const file = join(dir, 'mobilenet.ranpw');
    await a.saveWeights(file);
    const bytes = readFileSync(file);
    expect(bytes.toString('ascii', 0, 8)).toBe('RANPWGT1');
    const headerLength = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength));
    const entries = parameterEntries(description);
    expect(header.tensors.map((t: { name: string }) => t.name)).toEqual(entries.map((e) => e.key));
    const first = header.tensors[0];
    expect(bytes.readFloatLE(12 + headerLength + first.offset)).toBe(
      a.variables.get(first.name)?.dataSync()[0],
    );
    expect(bytes.length).toBe(
      12 + headerLength + entries.reduce((s, e) => s + 4 * e.spec.shape.reduce((p, q) => p * q, 1), 0),
    );

    const b = buildModel(description, { seed: 2 });
    await b.loadWeights(file);
    for (const [key, v] of a.variables) expect(b.variables.get(key)?.dataSync(), key).toEqual(v.dataSync());
    [a, b].forEach((m) => m.dispose());
  });

  it('loadWeights rejects other nets, truncated and foreign files with the file named', async () => {
    const model = buildModel(description, { seed: 1 });
    const file = join(dir, 'm.ranpw');
    await model.saveWeights(file);
    const wider = buildModel(
      buildNet('mobilenetv2-3d', { width: 0.25, inputSize: [2, 16, 16], classes: 3 }),
      { seed: 1 },
    );
    await expect(wider.loadWeights(file)).rejects.toThrow(
      /m\.ranpw does not fit net 'mobilenetv2-3d': shape mismatch: stem\.conv\.weight/,
    );
    const truncated = join(dir, 'truncated.ranpw');
    writeFileSync(truncated, readFileSync(file).subarray(0, readFileSync(file).length - 100));
    await expect(model.loadWeights(truncated)).rejects.toThrow(
      /truncated\.ranpw: tensor '.*': data at offset \d+ runs past the end/,
    );
    const foreign = join(dir, 'foreign.bin');
    writeFileSync(foreign, 'hello world, not weights');
    await expect(model.loadWeights(foreign)).rejects.toThrow(/foreign\.bin: not a RANP weights file/);
    [model, wider].forEach((m) => m.dispose());
  });

  it('dispose releases every variable', () => {
    const before = tf.memory().numTensors;
    const model = buildModel(description, { seed: 1 });
    expect(tf.memory().numTensors).toBe(before + parameterEntries(description).length);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
