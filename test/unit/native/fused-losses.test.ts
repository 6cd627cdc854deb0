import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { softDice } from '../../../engine/backend/kernels/soft-dice.js';
import { softmaxCrossEntropy } from '../../../engine/backend/kernels/softmax-cross-entropy.js';
import { crossEntropy } from '../../../engine/train/losses/cross-entropy.js';
import { softDiceLoss } from '../../../engine/train/losses/cross-entropy-dice.js';
import type { NativeAddon } from '../../../engine/backend/native-addon.js';
import { withJsKernels } from './js-kernel-harness.js';
import { nativeAddon, nativeSuffix, requireNativeAddon, skipNative } from './native-required.js';

const FUSED = [softmaxCrossEntropy, softDice];

/**
 * `compute` with the fused loss kernels registered on the cpu backend over the real addon (removed
 * afterwards); `calls` counts how often they ran, so a silent fall back to the composed ops fails.
 */
function withFusedLosses(addon: NativeAddon | undefined, compute: () => tf.Tensor | tf.Tensor[]) {
  if (!addon) throw new Error('addon absent');
  let calls = 0;
  const noFallback: tf.KernelFunc = () => {
    throw new Error('fused loss fell back');
  };
  for (const kernel of FUSED) {
    const kernelFunc = kernel.create(addon, noFallback);
    tf.registerKernel({
      kernelName: kernel.kernelName,
      backendName: 'cpu',
      kernelFunc: (args) => (calls++, kernelFunc(args)),
    });
  }
  try {
    const out = withJsKernels(compute);
    return { ...out, calls };
  } finally {
    for (const kernel of FUSED) tf.unregisterKernel(kernel.kernelName, 'cpu');
  }
}

/** Deterministic logits in [-3, 3) and labels in [0, classes) with every fifth voxel ignored (255). */
function batch(shape: number[], classes: number): { logits: tf.Tensor; labels: tf.Tensor } {
  const voxels = shape.reduce((a, n) => a * n, 1);
  const logits = Float32Array.from({ length: voxels * classes }, (_, i) => ((i * 7919) % 6007) / 1001 - 3);
  const labels = Int32Array.from({ length: voxels }, (_, i) => (i % 5 === 4 ? 255 : (i * 31) % classes));
  return { logits: tf.tensor(logits, [...shape, classes]), labels: tf.tensor(labels, shape, 'int32') };
}

/** The loss and its gradient by the logits, as a training step takes them. */
function valueAndGradient(
  loss: (l: tf.Tensor, y: tf.Tensor) => tf.Scalar,
  logits: tf.Tensor,
  labels: tf.Tensor,
) {
  const { value, grad } = tf.valueAndGrad((l: tf.Tensor) => loss(l, labels))(logits);
  return [value, grad];
}

const LOSSES = [
  { name: 'cross-entropy', loss: crossEntropy, classes: 50 },
  { name: 'soft Dice', loss: softDiceLoss, classes: 4 },
];

describe.skipIf(skipNative)(`fused native losses vs the composed tf ops${nativeSuffix}`, () => {
  requireNativeAddon();
  const addon = nativeAddon.loaded ? nativeAddon.addon : undefined;
  for (const { name, loss, classes } of LOSSES) {
    it(`${name}: value and gradient of a [2, 6, 7, 5, ${classes}] batch equal the composed ops within float32 rounding`, () => {
      const { logits, labels } = batch([2, 6, 7, 5], classes);
      const composed = withJsKernels(() => valueAndGradient(loss, logits, labels));
      const fused = withFusedLosses(addon, () => valueAndGradient(loss, logits, labels));
      expect(fused.calls).toBe(1);
      expect(fused.values[0][0]).toBeCloseTo(composed.values[0][0], 5);
      const g = fused.values[1];
      const scale = Math.max(...composed.values[1].map(Math.abs));
      const worst = Math.max(...g.map((v, i) => Math.abs(v - composed.values[1][i])));
      expect(worst / scale).toBeLessThan(1e-5);
      // The fused gradient is the loss's: a central difference on one counted logit agrees.
      const index = 3 * classes + 1;
      const shifted = (h: number) => {
        const values = logits.dataSync().slice();
        values[index] += h;
        return withFusedLosses(addon, () => loss(tf.tensor(values, logits.shape), labels)).values[0][0];
      };
      expect(g[index]).toBeCloseTo((shifted(1e-2) - shifted(-1e-2)) / 2e-2, 4);
      tf.dispose([logits, labels]);
    });
  }

  it('cross-entropy by hand: two voxels, three classes, one ignored', () => {
    const logits = tf.tensor2d([
      [1, 2, 3],
      [5, 0, 0],
    ]);
    const labels = tf.tensor1d([2, 255], 'int32');
    const [value, gradient] = withFusedLosses(addon, () =>
      valueAndGradient(crossEntropy, logits, labels),
    ).values;
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(value[0]).toBeCloseTo(-Math.log(Math.exp(3) / z), 6);
    expect(gradient.slice(0, 3)).toEqual(
      [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z - 1].map((v) => expect.closeTo(v, 6)),
    );
    expect(gradient.slice(3)).toEqual([0, 0, 0]);
  });

  it('cross-entropy over logits spanning 100 (exps below float32 range) equals the softmax in double', () => {
    // Rows of 50 logits from −95 to +3 shifted per row: exp(x − max) runs from 1 down past
    // float32's smallest normal, over the whole range the kernel's float32 exp covers.
    const rows = 70_000; // over the kernel's parallel threshold (2^16 logits)
    const classes = 50;
    const values = Float32Array.from(
      { length: rows * classes },
      (_, i) => -95 + 2 * (i % classes) + (i % 7) * 0.37,
    );
    const labelValues = Int32Array.from({ length: rows }, (_, r) => (r % 9 === 0 ? 255 : (r * 13) % classes));
    const logits = tf.tensor2d(values, [rows, classes]);
    const labels = tf.tensor1d(labelValues, 'int32');
    const [value, gradient] = withFusedLosses(addon, () =>
      valueAndGradient(crossEntropy, logits, labels),
    ).values;
    const counted = labelValues.filter((y) => y !== 255).length;
    let expected = 0;
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      const row = Array.from(values.subarray(r * classes, (r + 1) * classes));
      const max = Math.max(...row);
      // x − max rounded to float32 as the kernel (and tf.sub) computes it; the rest in double.
      const shifted = row.map((v) => Math.fround(v - max));
      const z = shifted.reduce((s, v) => s + Math.exp(v), 0);
      const y = labelValues[r];
      if (y !== 255) expected -= (shifted[y] - Math.log(z)) / counted;
      for (let j = 0; j < classes; j++) {
        const want = y === 255 ? 0 : (Math.exp(shifted[j]) / z - (j === y ? 1 : 0)) / counted;
        // float32 rounding of a few operations; at the label, p − 1 cancels down to ulp(1/counted),
        // and below float32's normal range only the absolute error of a denormal is left.
        const allowed = 4e-7 * Math.abs(want) + (j === y ? 2e-12 : 2e-38);
        worst = Math.max(worst, Math.abs(gradient[r * classes + j] - want) / allowed);
      }
    }
    expect(value[0]).toBeCloseTo(expected, 5);
    expect(worst).toBeLessThan(1);
    tf.dispose([logits, labels]);
  });

  // Spread 40: most rows hold an exp below 2⁻²³ and take the serial sum; spread 6: every exp is at
  // least e⁻¹² > 2⁻²³, so rows take the lane sum (native/src/softmax-rows.h), which must equal it.
  for (const spread of [40, 6])
    it(`cross-entropy rounds as float32 ops on Math.exp do, bit for bit, logits ±${spread} (training repeats)`, () => {
      // g = fround(fround(e / total) · w) (− w at the label), e = fround(exp(fround(x − max))), total =
      // fround(Σ e in order): the kernel's exp must give Math.exp's float32 value, or training drifts
      // (a float32 exp within 1 ulp moved a 16³ demo's epoch-4 loss by 1.8e-3).
      const rows = 4000;
      const classes = 50;
      const values = Float32Array.from({ length: rows * classes }, (_, i) =>
        Math.fround(Math.sin(i * 12.9898) * spread),
      );
      const labelValues = Int32Array.from({ length: rows }, (_, r) => (r * 7) % classes);
      const logits = tf.tensor2d(values, [rows, classes]);
      const labels = tf.tensor1d(labelValues, 'int32');
      const [, gradient] = withFusedLosses(addon, () =>
        valueAndGradient(crossEntropy, logits, labels),
      ).values;
      const w = Math.fround(1 / rows);
      let differing = 0;
      let tinyRows = 0;
      for (let r = 0; r < rows; r++) {
        const row = values.subarray(r * classes, (r + 1) * classes);
        const max = Math.max(...row);
        const e = Array.from(row, (v) => Math.fround(Math.exp(Math.fround(v - max))));
        if (e.some((v) => v < 2 ** -23)) tinyRows++;
        const total = Math.fround(e.reduce((s, v) => s + v, 0));
        for (let j = 0; j < classes; j++) {
          const scaled = Math.fround(Math.fround(e[j] / total) * w);
          const want = j === labelValues[r] ? Math.fround(scaled - w) : scaled;
          if (gradient[r * classes + j] !== want) differing++;
        }
      }
      // Each spread exercises the sum it is meant to.
      expect(spread === 40 ? tinyRows > rows / 2 : tinyRows === 0).toBe(true);
      expect(differing).toBe(0);
      tf.dispose([logits, labels]);
    });

  it('soft Dice by hand: equal logits give p = 1/2, one voxel of each class', () => {
    const logits = tf.tensor2d([
      [0, 0],
      [0, 0],
    ]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const [value] = withFusedLosses(addon, () => valueAndGradient(softDiceLoss, logits, labels)).values;
    // Class 1: S = 1, G = 1, I = 1/2 → 1 − (2·½ + 1) / (1 + 1 + 1) = 1/3.
    expect(value[0]).toBeCloseTo(1 / 3, 6);
  });

  it('names the label that is out of range, as the composed path does', () => {
    const logits = tf.zeros([3, 4]);
    const labels = tf.tensor1d([0, 7, 1], 'int32');
    expect(() => withFusedLosses(addon, () => crossEntropy(logits, labels))).toThrow(
      /label 7 at index 1 is outside \[0, 4\)/,
    );
  });
});
