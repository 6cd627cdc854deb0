import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchMatMul } from '../../../engine/backend/kernels/batch-mat-mul.js';
import { seededRandom } from '../../../engine/data/random.js';
import { nativeAddon, nativeSuffix, requireNativeAddon, skipNative } from './native-required.js';

await tf.setBackend('cpu');
const loaded = nativeAddon;
const suffix = nativeSuffix;

/** Runs `compute` with the native BatchMatMul over the cpu backend; counts calls handed to tfjs's kernel. */
function withNative(compute: () => tf.Tensor): { values: Float32Array; shape: number[]; fallbacks: number } {
  if (!loaded.loaded) throw new Error('addon absent');
  const original = tf.getKernel('BatchMatMul', 'cpu')!;
  let fallbacks = 0;
  const counted: tf.KernelFunc = (args) => {
    fallbacks++;
    return original.kernelFunc(args);
  };
  tf.unregisterKernel('BatchMatMul', 'cpu');
  tf.registerKernel({ ...original, kernelFunc: batchMatMul.create(loaded.addon, counted) });
  try {
    const result = compute();
    const out = { values: result.dataSync() as Float32Array, shape: result.shape, fallbacks };
    result.dispose();
    return out;
  } finally {
    tf.unregisterKernel('BatchMatMul', 'cpu');
    tf.registerKernel(original);
  }
}

/** Reference: every product written out as triple loops in double, from the operands' values. */
function reference(
  a: tf.Tensor,
  b: tf.Tensor,
  ta: boolean,
  tb: boolean,
): { values: Float64Array; shape: number[] } {
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = ta ? [ac, ar] : [ar, ac];
  const n = tb ? br : bc;
  const aBatches = a.size / (ar * ac);
  const bBatches = b.size / (br * bc);
  const batch = Math.max(aBatches, bBatches);
  const av = a.dataSync();
  const bv = b.dataSync();
  const out = new Float64Array(batch * m * n);
  for (let i = 0; i < batch; i++) {
    const ao = (i % aBatches) * m * k;
    const bo = (i % bBatches) * k * n;
    for (let r = 0; r < m; r++)
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let j = 0; j < k; j++)
          s += av[ao + (ta ? j * m + r : r * k + j)] * bv[bo + (tb ? c * k + j : j * n + c)];
        out[i * m * n + r * n + c] = s;
      }
  }
  const batchShape = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  return { values: out, shape: [...batchShape, m, n] };
}

const random = seededRandom(11);
const tensor = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => random() * 2 - 1),
    shape,
  );

const CASES: { a: number[]; b: number[]; ta: boolean; tb: boolean; why: string }[] = [
  { a: [1, 4097], b: [4097, 5], ta: false, tb: false, why: "batch norm's channel sum (ones · x)" },
  { a: [1, 4097], b: [1, 5], ta: true, tb: false, why: 'its gradient: an outer product' },
  { a: [3, 7, 9], b: [3, 9, 4], ta: false, tb: false, why: 'equal batches' },
  { a: [2, 9, 7], b: [2, 4, 9], ta: true, tb: true, why: 'both transposed' },
  { a: [2, 3, 7, 9], b: [9, 4], ta: false, tb: false, why: 'b one matrix over a rank-4 batch' },
  { a: [5, 9], b: [4, 5, 6], ta: true, tb: false, why: 'a one matrix over a batch' },
  {
    a: [200, 300],
    b: [300, 160],
    ta: false,
    tb: false,
    why: 'above the serial size (9.6M multiply-adds): sgemm',
  },
];

describe(`native BatchMatMul (oneDNN sgemm) vs products in double${suffix}`, () => {
  requireNativeAddon();
  it.skipIf(skipNative).each(CASES)(
    '$why: a $a, b $b, transposeA $ta, transposeB $tb',
    ({ a, b, ta, tb }) => {
      const [x, y] = [tensor(a), tensor(b)];
      const expected = reference(x, y, ta, tb);
      const native = withNative(() => tf.matMul(x, y, ta, tb));
      const js = tf.matMul(x, y, ta, tb);
      expect(native.fallbacks).toBe(0);
      expect(native.shape).toEqual(js.shape);
      expect(native.shape).toEqual(expected.shape);
      const k = ta ? a[a.length - 2] : a[a.length - 1];
      // float32 products summed over k terms of magnitude ≤ 1: error ≤ k·2⁻²⁴ per term, far below 1e-5·k.
      let maxError = 0;
      native.values.forEach((v, i) => (maxError = Math.max(maxError, Math.abs(v - expected.values[i]))));
      expect(maxError).toBeLessThan(1e-6 * k);
      const jsValues = js.dataSync();
      native.values.forEach((v, i) => expect(Math.abs(v - jsValues[i])).toBeLessThan(1e-6 * k));
      tf.dispose([x, y, js]);
    },
  );

  it.skipIf(skipNative)(
    'hands cross broadcasts ([2,1] × [1,3] batches) and int32 to the JS kernel, with its results',
    () => {
      const [x, y] = [tensor([2, 1, 3, 4]), tensor([1, 3, 4, 2])];
      const native = withNative(() => tf.matMul(x, y));
      const js = tf.matMul(x, y);
      expect(native.fallbacks).toBe(1);
      expect(Array.from(native.values)).toEqual(Array.from(js.dataSync()));
      const ints = withNative(() =>
        tf.matMul(tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor2d([[3], [4]], [2, 1], 'int32')),
      );
      expect(ints.fallbacks).toBe(1);
      expect(Array.from(ints.values)).toEqual([11]);
      tf.dispose([x, y, js]);
    },
  );

  it.skipIf(skipNative)('gradients through matMul equal the JS kernel within float32 rounding', () => {
    const [x, y] = [tensor([3, 6, 5]), tensor([3, 5, 4])];
    const f = (p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q).square().sum();
    const js = tf.grads(f)([x, y]);
    const native = [0, 1].map((i) => withNative(() => tf.grads(f)([x, y])[i]));
    native.forEach((n, i) => {
      const reference = js[i].dataSync();
      n.values.forEach((v, j) =>
        expect(Math.abs(v - reference[j])).toBeLessThan(1e-5 * (1 + Math.abs(reference[j]))),
      );
    });
    tf.dispose([x, y, ...js]);
  });
});
