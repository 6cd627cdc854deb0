import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { runFusedKernel } from '../../../engine/backend/fused-kernel.js';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../../../engine/backend/fused-batch-norm.js';
import { batchNormTraining } from '../../../engine/backend/kernels/batch-norm-training.js';
import { batchNormTrainingGrad } from '../../../engine/backend/kernels/batch-norm-training-grad.js';
import type { NativeAddon } from '../../../engine/backend/native-addon.js';
import { installNativeKernels } from '../../../engine/backend/native-kernels.js';
import type { NetDescription } from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { cube, NetBuilder } from '../../../engine/nn/zoo/builder.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { syntheticSamples } from '../../../engine/prune/synthetic.js';
import { lossFor } from '../../../engine/tasks/registry.js';
import { createOptimizer } from '../../../engine/train/optimizers/registry.js';
import { batchNormReluNet, randomTensor } from '../nn/helpers.js';
import { nativeAddon, nativeSuffix, requireNativeAddon, skipNative } from './native-required.js';

const FUSED = [batchNormTraining, batchNormTrainingGrad];

/**
 * Registers the fused batch-norm kernels on the cpu backend over the real addon (the rest of the
 * step on tfjs's JS kernels); `calls` counts each kernel's runs, so a silent fall back to the
 * composed ops (planBatchNormFusion finding no kernel) fails. `unregister` removes them again.
 */
function registerFused(addon: NativeAddon | undefined) {
  if (!addon) throw new Error('addon absent');
  const calls = { forward: 0, backward: 0, withRelu: 0 };
  const noFallback: tf.KernelFunc = () => {
    throw new Error('fused batch norm fell back');
  };
  for (const kernel of FUSED) {
    const kernelFunc = kernel.create(addon, noFallback);
    const which = kernel.kernelName === BATCH_NORM_TRAINING ? 'forward' : 'backward';
    tf.registerKernel({
      kernelName: kernel.kernelName,
      backendName: 'cpu',
      kernelFunc: (args) => {
        calls[which]++;
        if (which === 'forward' && args.attrs?.relu === true) calls.withRelu++;
        return kernelFunc(args);
      },
    });
  }
  return calls;
}

function unregisterFused() {
  for (const kernel of FUSED)
    if (tf.getKernel(kernel.kernelName, 'cpu')) tf.unregisterKernel(kernel.kernelName, 'cpu');
}

/** One lean training step's loss, gradients and running statistics as plain arrays. */
function step(net: NetDescription, batch: number) {
  const model = buildModel(net, { seed: 3 });
  const x = randomTensor([batch, ...net.inputSize, net.inputChannels], 5) as tf.Tensor5D;
  // Offset the input so the batch statistics are far from 0 (the fused kernel's shifted sums).
  const shifted = x.add(3) as tf.Tensor5D;
  const weights = randomTensor(model.forward(shifted, { training: false }).shape, 7);
  const result = model.gradients(shifted, (y) => tf.sum(tf.mul(y, weights)) as tf.Scalar, { seed: 9 });
  const arrays = (m: Map<string, tf.Tensor>) =>
    new Map([...m].map(([k, t]) => [k, Array.from(t.dataSync())]));
  const out = {
    loss: result.loss.dataSync()[0],
    grads: arrays(result.grads),
    stats: arrays(result.statUpdates),
  };
  tf.dispose([result.loss, ...result.grads.values(), ...result.statUpdates.values(), x, shifted, weights]);
  model.dispose();
  return out;
}

const same = (n: number): Parameters<NetBuilder['conv']>[2] => ({
  inChannels: n,
  outChannels: n,
  kernel: cube(3),
  padding: [
    [1, 1],
    [1, 1],
    [1, 1],
  ],
});

/** Batch norms that cannot absorb a ReLU: one read by an add, one read by a ReLU and an add. */
function joinsNet(): NetDescription {
  const b = new NetBuilder();
  b.add('input', 'x', [], { channels: 4 });
  b.conv('c1', 'x', same(4));
  b.add('batchNorm3d', 'bn1', ['c1'], { channels: 4, eps: 1e-5 });
  b.add('relu', 'r1', ['bn1'], {});
  b.conv('c2', 'r1', same(4));
  b.add('batchNorm3d', 'bn2', ['c2'], { channels: 4, eps: 1e-5, momentum: 0.3 });
  b.add('add', 'sum', ['bn2', 'r1'], {});
  b.add('batchNorm3d', 'bn3', ['sum'], { channels: 4, eps: 1e-5 });
  b.add('relu', 'r3', ['bn3'], {});
  b.add('add', 'mix', ['r3', 'bn3'], {});
  b.conv('head', 'mix', { ...same(4), outChannels: 3, bias: true });
  return b.describe({
    name: 'joins',
    task: 'shapenet',
    inputChannels: 4,
    classes: 3,
    inputSize: [6, 5, 7],
    output: 'head',
    classifier: 'head',
    meta: {},
  });
}

const NETS = [
  // conv → BN → ReLU throughout: every norm absorbs its ReLU. Its deepest norms see 2 values per
  // channel, whose exact input gradient is 0 (rounding noise either way), hence backprop.test.ts's bound.
  {
    name: 'unet3d-shapenet',
    net: () => buildNet('unet3d-shapenet', { width: 0.125, inputSize: cube(8) }),
    batch: 2,
    tolerance: 5e-4,
    fusedRelus: undefined,
  },
  // bn1 absorbs r1; bn2 (read by an add) and bn3 (read by r3 and an add) keep their ReLUs apart.
  { name: 'norms before joins', net: joinsNet, batch: 2, tolerance: 1e-4, fusedRelus: 1 },
];

describe.skipIf(skipNative)(`fused native batch norm (+ ReLU) vs the composed ops${nativeSuffix}`, () => {
  requireNativeAddon();
  const addon = nativeAddon.loaded ? nativeAddon.addon : undefined;
  afterEach(unregisterFused);

  for (const { name, net: makeNet, batch, tolerance, fusedRelus: relus } of NETS)
    it(`${name}: a lean step's loss, gradients and running statistics equal the composed path's within float32 rounding`, () => {
      const net = makeNet();
      const norms = net.nodes.filter((n) => n.kind === 'batchNorm3d').length;
      const fusedRelus = relus ?? norms;
      const composed = step(net, batch);
      const calls = registerFused(addon);
      const fused = step(net, batch);
      expect(calls).toEqual({ forward: norms, backward: norms, withRelu: fusedRelus });
      expect(Math.abs(fused.loss - composed.loss) / Math.abs(composed.loss)).toBeLessThan(1e-4);
      expect([...fused.grads.keys()].sort()).toEqual([...composed.grads.keys()].sort());
      const maxAbs = (values: number[]) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const largest = maxAbs([...composed.grads.values()].map(maxAbs));
      for (const [key, expected] of composed.grads) {
        const mine = fused.grads.get(key)!;
        // As backprop.test.ts: a gradient far below the net's largest is compared on 1e-3 of it.
        const scale = Math.max(maxAbs(expected), 1e-3 * largest);
        const worst = maxAbs(mine.map((v, i) => v - expected[i]));
        expect(worst / scale, key).toBeLessThan(tolerance);
      }
      expect(fused.stats.size).toBe(2 * norms);
      for (const [key, expected] of composed.stats)
        fused.stats.get(key)!.forEach((v, i) => expect(v, key).toBeCloseTo(expected[i], 5));
    });

  it('batch norm + ReLU on one channel of three values: output, statistics and gradients as computed by hand', () => {
    registerFused(addon);
    // x = [0, 1, 5]: μ = 2, σ² = 14/3, x̂ = (x − 2)/√(14/3) = [−0.92582, −0.46291, 1.38873];
    // γ = 2, β = 0.5: y = relu(2x̂ + 0.5) = [0, 0, 3.27746].
    const x = tf.tensor5d([0, 1, 5], [1, 1, 1, 3, 1]);
    const gamma = tf.tensor1d([2]);
    const beta = tf.tensor1d([0.5]);
    const [y, mean, variance, invStd] = runFusedKernel(
      BATCH_NORM_TRAINING,
      { x, gamma, beta },
      { eps: 1e-12, relu: true },
    )!;
    expect(Array.from(y.dataSync())).toEqual([0, 0, expect.closeTo(3.27746, 4)]);
    expect(mean.dataSync()[0]).toBeCloseTo(2, 6);
    expect(variance.dataSync()[0]).toBeCloseTo(14 / 3, 5);
    expect(invStd.dataSync()[0]).toBeCloseTo(0.46291, 5);
    // dy = [1, 2, 3] by the ReLU's output → [0, 0, 3] by the norm's; with m = 3:
    // dβ = Σdy = 3, dγ = Σdy·x̂ = 4.16619,
    // dx = γσ⁻¹·(dy − Σdy/m − x̂·Σ(dy·x̂)/m) = 2 · [0.13226, −0.16533, 0.033065].
    const dy = tf.tensor5d([1, 2, 3], [1, 1, 1, 3, 1]);
    const [dx, dgamma, dbeta] = runFusedKernel(
      BATCH_NORM_TRAINING_GRAD,
      { x, dy, mean, invStd, gamma, beta },
      { relu: true },
    )!;
    expect(Array.from(dx.dataSync())).toEqual([0.26452, -0.33065, 0.06613].map((v) => expect.closeTo(v, 4)));
    expect(dgamma.dataSync()[0]).toBeCloseTo(4.16619, 4);
    expect(dbeta.dataSync()[0]).toBeCloseTo(3, 6);
    // Without the ReLU every dy counts: dβ = 6, dγ = Σ[1,2,3]·x̂ = 2.31455.
    const [, dgammaPlain, dbetaPlain] = runFusedKernel(
      BATCH_NORM_TRAINING_GRAD,
      { x, dy, mean, invStd, gamma, beta },
      { relu: false },
    )!;
    expect(dbetaPlain.dataSync()[0]).toBeCloseTo(6, 6);
    expect(dgammaPlain.dataSync()[0]).toBeCloseTo(2.31455, 4);
    tf.dispose([x, gamma, beta, y, mean, variance, invStd, dy, dx, dgamma, dbeta, dgammaPlain, dbetaPlain]);
  });

  it("a large offset volume (threaded): statistics are the composed ops' (float32 after every operation), repeat bit for bit", () => {
    registerFused(addon);
    const channels = 5;
    const shape = [2, 16, 16, 16, channels];
    const x = randomTensor(shape, 11).mul(0.01).add(1000);
    const gamma = randomTensor([channels], 2).add(1);
    const beta = randomTensor([channels], 4);
    const run = () => runFusedKernel(BATCH_NORM_TRAINING, { x, gamma, beta }, { eps: 1e-5, relu: true })!;
    const first = run();
    const second = run();
    first.forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(Array.from(second[k].dataSync())));
    const values = x.dataSync();
    const rows = values.length / channels;
    const f = Math.fround;
    for (let c = 0; c < channels; c++) {
      // batchNorm3d.ts on the native kernels: channelSum (float32 values summed in double, rounded
      // once), then float32 division; the centred value and its square rounded like their volumes.
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += values[r * channels + c];
      const mean = f(f(sum) / rows);
      let squares = 0;
      for (let r = 0; r < rows; r++) squares += f(f(values[r * channels + c] - mean) ** 2);
      expect(first[1].dataSync()[c]).toBe(mean);
      expect(first[2].dataSync()[c]).toBe(f(f(squares) / rows));
      // Against the exact variance: the mean's rounding (≤ ½ ulp(1000) = 3.1e-5 off, σ ≈ 0.0058)
      // adds up to (3.1e-5 / σ)² ≈ 3e-5 of it.
      let exactMean = 0;
      for (let r = 0; r < rows; r++) exactMean += values[r * channels + c] / rows;
      let exact = 0;
      for (let r = 0; r < rows; r++) exact += (values[r * channels + c] - exactMean) ** 2 / rows;
      expect(Math.abs(first[2].dataSync()[c] / exact - 1)).toBeLessThan(3e-5);
    }
    tf.dispose([x, gamma, beta, ...first, ...second]);
  });

  // 13 channels (not a whole vector), 5589 rows (not a whole 16-row tile), over the threading threshold.
  for (const relu of [true, false])
    it(`thin channels (threaded, relu ${relu}): y and dx are the composed ops' float32 values, bit for bit`, () => {
      if (!addon) throw new Error('addon absent');
      const channels = 13;
      const rows = 5589;
      const n = rows * channels;
      const f = Math.fround;
      const x = Float32Array.from({ length: n }, (_, i) => f(Math.sin(i * 0.731) * 3 + (i % channels) * 0.1));
      const dy = Float32Array.from({ length: n }, (_, i) => f(Math.cos(i * 1.37) * 0.01));
      x[1234] = NaN; // a NaN row value: NaN through the ReLU and the mask, only in its own channel
      const gamma = Float32Array.from({ length: channels }, (_, c) => f(1 + 0.05 * c));
      const beta = Float32Array.from({ length: channels }, (_, c) => f(0.1 * c - 0.5));
      const out = (k: number) => new Float32Array(k);
      const [y, mean, variance, invStd] = [out(n), out(channels), out(channels), out(channels)];
      addon.batchNormForward(x, gamma, beta, y, mean, variance, invStd, 1e-5, relu);
      const [dx, dgamma, dbeta] = [out(n), out(channels), out(channels)];
      addon.batchNormBackward(x, dy, mean, invStd, gamma, beta, dx, dgamma, dbeta, relu);
      const differing = { y: 0, dx: 0, stats: 0 };
      const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
      for (let c = 0; c < channels; c++) {
        // Statistics as batchNorm3d.ts's ops on the native kernels (sums in double, rounded once).
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += x[r * channels + c];
        const m = f(f(sum) / rows);
        let squares = 0;
        for (let r = 0; r < rows; r++) squares += f(f(x[r * channels + c] - m) ** 2);
        const inv = f(1 / Math.sqrt(f(f(f(squares) / rows) + f(1e-5))));
        const scale = f(inv * gamma[c]);
        if (!same(mean[c], m) || !same(invStd[c], inv)) differing.stats++;
        const g: number[] = [];
        let sumG = 0;
        let sumGx = 0;
        for (let r = 0; r < rows; r++) {
          const i = r * channels + c;
          const v = f(f(f(x[i] - m) * scale) + beta[c]);
          const want = relu ? (v > 0 ? v : Number.isNaN(v) ? v : 0) : v;
          if (!same(y[i], want)) differing.y++;
          const step = v > 0 ? 1 : Number.isNaN(v) ? v : 0;
          g[r] = relu ? f(dy[i] * step) : dy[i];
          sumG += g[r];
          sumGx += f(g[r] * f(x[i] - m));
        }
        const db = f(sumG);
        const dg = f(f(sumGx) * inv);
        if (!same(dbeta[c], db) || !same(dgamma[c], dg)) differing.stats++;
        const a = f(gamma[c] * inv);
        const b = f(f(f(a * inv) * dg) / -rows);
        const k = f(f(a * db) / -rows);
        for (let r = 0; r < rows; r++) {
          const i = r * channels + c;
          const want = f(f(f(a * g[r]) + f(b * f(x[i] - m))) + k);
          if (!same(dx[i], want)) differing.dx++;
        }
      }
      expect(differing).toEqual({ y: 0, dx: 0, stats: 0 });
      // The NaN reached its channel's outputs (not a vacuous comparison of NaNs everywhere).
      expect(Number.isNaN(y[1234]) && Number.isNaN(y[1235]) === false).toBe(true);
    });

  it('names the argument that does not fit', () => {
    if (!addon) throw new Error('addon absent');
    const f = (n: number) => new Float32Array(n);
    expect(() => addon.batchNormForward(f(7), f(2), f(2), f(7), f(2), f(2), f(2), 1e-5, true)).toThrow(
      /'x' holds 7 values, not a positive multiple of the 2 channels/,
    );
    expect(() =>
      addon.batchNormBackward(f(6), f(6), f(2), f(3), f(2), f(2), f(6), f(2), f(2), false),
    ).toThrow(/'invStd' holds 3 values, expected 2/);
  });
});

/**
 * The losses of `steps` SGD steps (the demo's setup: 16³ U-Net at width 0.25, lr 0.02, Nesterov)
 * on every native kernel, with the fused batch norms or, with them unregistered, the composed ops.
 * New synthetic batches each step, so the runs diverge if one step's rounding differs.
 */
function trainLosses(addon: NativeAddon, fused: boolean, steps: number): number[] {
  const native = installNativeKernels(addon);
  const net = buildNet('unet3d-shapenet', { width: 0.25, inputSize: cube(16) });
  const model = buildModel(net, { seed: 1 });
  const optimizer = createOptimizer({ kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
  try {
    if (!fused) for (const kernel of FUSED) tf.unregisterKernel(kernel.kernelName, 'cpu');
    // What planBatchNormFusion looks for: present, every norm of the U-Net runs fused.
    expect(tf.getKernel(BATCH_NORM_TRAINING, 'cpu') !== undefined).toBe(fused);
    const loss = lossFor(net.task);
    const batch = 2;
    return Array.from({ length: steps }, (_, step) => {
      const samples = syntheticSamples(net, net.inputSize, batch, step);
      const x = tf.tensor5d(Float32Array.from(samples.flatMap((s) => Array.from(s.input))), [
        batch,
        ...net.inputSize,
        net.inputChannels,
      ]);
      const labels = tf.tensor4d(
        Int32Array.from(samples.flatMap((s) => Array.from(s.label))),
        [batch, ...net.inputSize],
        'int32',
      );
      const result = model.gradients(x, (logits) => loss(logits, labels), { seed: step });
      const value = result.loss.dataSync()[0];
      optimizer.apply(model.variables, result.grads, 0.02);
      tf.dispose([x, labels, result.loss, ...result.grads.values(), ...result.statUpdates.values()]);
      return value;
    });
  } finally {
    optimizer.dispose();
    model.dispose();
    native.dispose();
  }
}

describe.skipIf(skipNative)(`fused vs composed batch norm over training steps${nativeSuffix}`, () => {
  requireNativeAddon();

  it('6 SGD steps of a 16³ U-Net on the native kernels: the same losses (the float32 rounding of each operation matched)', () => {
    const addon = nativeAddon.loaded ? nativeAddon.addon : undefined;
    if (!addon) throw new Error('addon absent');
    const fused = trainLosses(addon, true, 6);
    expect(tf.getKernel(BATCH_NORM_TRAINING, 'cpu')).toBeUndefined();
    const composed = trainLosses(addon, false, 6);
    // The losses move (a real training run), and every step agrees: with the one-pass double
    // statistics used before, step 3 differed by 1.3e-6 of the loss, step 4 by 6.8e-5.
    expect(Math.abs(composed[5] - composed[0])).toBeGreaterThan(1e-2);
    fused.forEach((value, step) =>
      expect(Math.abs(value - composed[step]) / composed[step], `step ${step + 1}`).toBeLessThan(1e-7),
    );
  });
});

/** The composed path is what other backends run; it must stay correct when the fused kernels are absent. */
describe('batch-norm fusion absent', () => {
  it('a step without the fused kernels registered runs batchNorm3d.ts as written', () => {
    const net = batchNormReluNet();
    expect(tf.getKernel(BATCH_NORM_TRAINING, 'cpu')).toBeUndefined();
    const model = buildModel(net, { seed: 1 });
    const x = tf.tensor5d([0, 1, 5], [1, 1, 1, 3, 1]);
    const result = model.gradients(x, (y) => tf.sum(y) as tf.Scalar, { seed: 0 });
    expect(result.grads.get('bn.beta')!.dataSync()[0]).toBeCloseTo(1, 5);
    tf.dispose([result.loss, ...result.grads.values(), ...result.statUpdates.values(), x]);
    model.dispose();
  });
});
