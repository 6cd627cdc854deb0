import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { add } from '../../../engine/backend/kernels/add.js';
import { exp } from '../../../engine/backend/kernels/exp.js';
import { binaryBroadcast } from '../../../engine/backend/kernels/binary-broadcast.js';
import { maximum } from '../../../engine/backend/kernels/maximum.js';
import { multiply } from '../../../engine/backend/kernels/multiply.js';
import type { NativeKernel } from '../../../engine/backend/kernels/native-kernel.js';
import { neg } from '../../../engine/backend/kernels/neg.js';
import { float32Output } from '../../../engine/backend/kernels/output-buffer.js';
import { realDiv } from '../../../engine/backend/kernels/real-div.js';
import { relu } from '../../../engine/backend/kernels/relu.js';
import { rsqrt } from '../../../engine/backend/kernels/rsqrt.js';
import { sqrt } from '../../../engine/backend/kernels/sqrt.js';
import { square } from '../../../engine/backend/kernels/square.js';
import { squaredDifference } from '../../../engine/backend/kernels/squared-difference.js';
import { step } from '../../../engine/backend/kernels/step.js';
import { sub } from '../../../engine/backend/kernels/sub.js';
import { contiguousReduction, sum } from '../../../engine/backend/kernels/sum.js';
import type { NativeAddon } from '../../../engine/backend/native-addon.js';
import { withJsKernels, withKernels, type Outcome } from './js-kernel-harness.js';
import { nativeAddon, nativeSuffix, requireNativeAddon, skipNative } from './native-required.js';

const loaded = nativeAddon;
const suffix = nativeSuffix;

const BINARY: { kernel: NativeKernel; op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor }[] = [
  { kernel: add, op: tf.add },
  { kernel: sub, op: tf.sub },
  { kernel: multiply, op: tf.mul },
  { kernel: realDiv, op: tf.div },
  { kernel: maximum, op: tf.maximum },
  { kernel: squaredDifference, op: tf.squaredDifference },
];
const UNARY: { kernel: NativeKernel; op: (x: tf.Tensor) => tf.Tensor }[] = [
  { kernel: relu, op: tf.relu },
  { kernel: step, op: (x) => tf.step(x, 0.3) },
  { kernel: neg, op: tf.neg },
  { kernel: square, op: tf.square },
  { kernel: sqrt, op: tf.sqrt },
  { kernel: rsqrt, op: tf.rsqrt },
  { kernel: exp, op: tf.exp },
];
const ELEMENTWISE_KERNELS = [...BINARY.map((b) => b.kernel), ...UNARY.map((u) => u.kernel), sum];

/** `compute` on the cpu backend with our kernels over tfjs's (restored afterwards), counting fallbacks. */
function withNative(addon: NativeAddon, compute: () => tf.Tensor | tf.Tensor[]): Outcome {
  return withKernels(ELEMENTWISE_KERNELS, compute, addon);
}

/** Deterministic values in [-2, 2) with sign changes and non-integers (int32: integers in [-1000, 1000)). */
function pattern(shape: number[], seed = 0, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  const size = shape.reduce((a, n) => a * n, 1);
  const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  let state = (seed * 2654435761 + 12345) >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const unit = state / 2 ** 32;
    values[i] = dtype === 'int32' ? Math.floor(unit * 2000) - 1000 : unit * 4 - 2;
  }
  return tf.tensor(values, shape, dtype);
}

/** Per-element agreement: bit-identical (Object.is), or within `relative` of the reference. */
function expectClose(
  ours: ArrayLike<number>,
  reference: ArrayLike<number>,
  relative: number,
  what: string,
): void {
  expect(ours.length, what).toBe(reference.length);
  let bad = -1;
  for (let i = 0; i < ours.length && bad < 0; i++) {
    const v = ours[i];
    const r = reference[i];
    const close =
      relative === 0 || !Number.isFinite(r)
        ? Object.is(v, r)
        : Math.abs(v - r) <= relative * Math.max(Math.abs(r), 1e-30);
    if (!close) bad = i;
  }
  expect(bad, bad < 0 ? '' : `${what} [${bad}]: ${ours[bad]} vs reference ${reference[bad]}`).toBe(-1);
}

describe('binaryBroadcast: operand runs for the native loop (value index = ⌊i / run⌋ mod size)', () => {
  it.each([
    { a: [3, 4], b: [3, 4], out: [3, 4], aRun: 1, bRun: 1 },
    { a: [3, 4], b: [], out: [3, 4], aRun: 1, bRun: 1 },
    { a: [4096, 64], b: [1, 64], out: [4096, 64], aRun: 1, bRun: 1 },
    { a: [64], b: [4096, 64], out: [4096, 64], aRun: 1, bRun: 1 },
    { a: [4096, 50], b: [4096, 1], out: [4096, 50], aRun: 1, bRun: 50 },
    { a: [1, 4, 1], b: [3, 4, 5], out: [3, 4, 5], aRun: 5, bRun: 1 },
    { a: [5, 7], b: [1, 1, 7], out: [1, 5, 7], aRun: 1, bRun: 1 },
  ])('$a with $b', ({ a, b, out, aRun, bRun }) => {
    expect(binaryBroadcast(a, b)).toEqual({ outShape: out, aRun, bRun });
  });

  it.each([
    { a: [6, 1], b: [1, 5], why: 'outer product: neither operand is full-size' },
    { a: [2, 3, 4], b: [2, 1, 4], why: 'operand not one contiguous block' },
    { a: [0, 3], b: [3], why: 'empty output' },
  ])('$a with $b → JS kernel ($why)', ({ a, b }) => {
    expect(binaryBroadcast(a, b)).toBeUndefined();
  });

  it('shapes that do not broadcast raise tfjs’s error', () => {
    expect(() => binaryBroadcast([3, 4], [5])).toThrow(/broadcast/i);
  });
});

describe('float32Output', () => {
  it('large outputs own an ArrayBuffer of exactly their size; small ones are zeroed', () => {
    const large = float32Output(100_003);
    expect(large.length).toBe(100_003);
    expect(large.byteOffset).toBe(0);
    expect(large.buffer.byteLength).toBe(100_003 * 4);
    const small = float32Output(5);
    expect(Array.from(small)).toEqual([0, 0, 0, 0, 0]);
    expect(small.buffer.byteLength).toBe(20);
  });
});

describe('contiguousReduction', () => {
  it('leading, trailing and middle blocks in any order; scattered or no axes → undefined', () => {
    expect(contiguousReduction([4096, 64], [0])).toEqual({ outer: 1, inner: 64 });
    expect(contiguousReduction([4096, 64], [1])).toEqual({ outer: 4096, inner: 1 });
    expect(contiguousReduction([2, 3, 4, 5], [2, 1])).toEqual({ outer: 2, inner: 5 });
    expect(contiguousReduction([2, 3, 4], [0, 1, 2])).toEqual({ outer: 1, inner: 1 });
    expect(contiguousReduction([2, 3, 4], [0, 2])).toBeUndefined();
    expect(contiguousReduction([2, 3, 4], [])).toBeUndefined();
  });
});

describe.skipIf(skipNative)(`native element-wise binary kernels and Sum${suffix}`, () => {
  requireNativeAddon();
  let addon: NativeAddon;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    if (!loaded.loaded) throw new Error('unreachable');
    addon = loaded.addon;
  });

  /** Runs `compute` with tfjs's JS kernels and with ours; returns both. */
  function bothWays(compute: () => tf.Tensor | tf.Tensor[]) {
    const reference = withJsKernels(compute);
    const ours = withNative(addon, compute);
    expect(ours.shapes).toEqual(reference.shapes);
    return { reference, ours };
  }

  // Shapes cover every native pattern, either operand order and odd sizes (not multiples of the
  // vector width).
  const NATIVE_SHAPES: { name: string; a: number[]; b: number[] }[] = [
    { name: 'same shape, odd size', a: [3, 5, 7], b: [3, 5, 7] },
    { name: 'scalar right', a: [2, 3, 3, 5, 7], b: [] },
    { name: 'scalar left', a: [], b: [37] },
    { name: 'trailing [1,C]', a: [33, 17], b: [1, 17] },
    { name: 'trailing [C] on the left', a: [7], b: [5, 7] },
    { name: 'trailing rank 5 per-channel', a: [1, 4, 5, 3, 7], b: [1, 1, 1, 1, 7] },
    { name: 'per-row [M,1] right', a: [13, 11], b: [13, 1] },
    { name: 'per-row [M,1] left', a: [13, 1], b: [13, 11] },
    { name: 'middle block', a: [3, 4, 5], b: [4, 1] },
    { name: 'rank grows', a: [5, 7], b: [1, 1, 7] },
  ];
  // Past the 2^20-element threshold the loops run on OpenMP threads; the loop structure does not
  // depend on the operation, so one order-sensitive operation covers it.
  const THREADED_SHAPES: { name: string; a: number[]; b: number[] }[] = [
    { name: 'same shape', a: [1031, 1021], b: [1031, 1021] },
    { name: 'scalar left', a: [], b: [1050001] },
    { name: 'trailing', a: [17203, 61], b: [1, 61] },
    { name: 'per-row, small left', a: [17203, 1], b: [17203, 61] },
  ];

  for (const { kernel, op } of BINARY) {
    // Float32 +, −, ×, ÷, max are correctly rounded both ways: bit-identical. (a−b)² rounds the
    // difference to float32 natively but not in JS: within float32 rounding.
    const relative = kernel.kernelName === 'SquaredDifference' ? 3e-7 : 0;
    it.each(NATIVE_SHAPES)(`${kernel.kernelName}: $name equals the JS kernel, no fallback`, ({ a, b }) => {
      const { reference, ours } = bothWays(() => op(pattern(a, 1), pattern(b, 2)));
      expect(ours.fallbacks).toBe(0);
      expectClose(ours.values[0], reference.values[0], relative, kernel.kernelName);
    });
  }

  it.each(THREADED_SHAPES)('Sub, threaded: $name equals the JS kernel, no fallback', ({ a, b }) => {
    const { reference, ours } = bothWays(() => tf.sub(pattern(a, 1), pattern(b, 2)));
    expect(ours.fallbacks).toBe(0);
    expectClose(ours.values[0], reference.values[0], 0, 'Sub');
  });

  // Math.exp (JS) and glibc exp may differ in the last bit of the double before rounding to float32.
  for (const { kernel, op } of UNARY) {
    const relative = kernel.kernelName === 'Exp' ? 1.2e-7 : 0;
    it(`${kernel.kernelName}: odd size, special values and a threaded size equal the JS kernel`, () => {
      const special = tf.tensor1d([NaN, Infinity, -Infinity, 0, -0, -1.5, 1e-30, 88.5, -104]);
      // Past 2^20 elements the loop runs on OpenMP threads; the same for every op, so two cover it.
      const threaded = kernel.kernelName === 'Relu' || kernel.kernelName === 'Exp';
      const inputs = [pattern([3, 5, 7], 3), special, ...(threaded ? [pattern([1031, 1021], 4)] : [])];
      for (const x of inputs) {
        const { reference, ours } = bothWays(() => op(x));
        expect(ours.fallbacks).toBe(0);
        expectClose(ours.values[0], reference.values[0], relative, kernel.kernelName);
        x.dispose();
      }
    });
  }

  it('unary hand-computed: relu, step with alpha, rsqrt', () => {
    const x = tf.tensor1d([-2, -0, 0, 0.25, 4, NaN]);
    const outcome = withNative(addon, () => [tf.relu(x), tf.step(x, 0.3), tf.rsqrt(x.abs())]);
    expect(outcome.fallbacks).toBe(0);
    expect(Array.from(outcome.values[0])).toEqual([0, 0, 0, 0.25, 4, NaN]);
    expect(Array.from(outcome.values[1])).toEqual([
      Math.fround(0.3),
      Math.fround(0.3),
      Math.fround(0.3),
      1,
      1,
      NaN,
    ]);
    expect(Array.from(outcome.values[2])).toEqual([
      Math.fround(Math.SQRT1_2),
      Infinity,
      Infinity,
      2,
      0.5,
      NaN,
    ]);
    x.dispose();
  });

  it('unary fallback: int32 relu, neg and square go to the JS kernel with its result', () => {
    for (const op of [tf.relu, tf.neg, tf.square]) {
      const { reference, ours } = bothWays(() => op(pattern([4, 5], 1, 'int32')));
      expect(ours.fallbacks).toBe(1);
      expectClose(ours.values[0], reference.values[0], 0, 'int32');
    }
  });

  it('hand-computed broadcasts in plain JS loops: trailing add, per-row subtract (small first), middle-block divide', () => {
    const x = pattern([6, 5], 3);
    const channel = pattern([5], 4);
    const row = pattern([6, 1], 5);
    const mid = pattern([2, 1], 6);
    const xs = x.dataSync();
    const cs = channel.dataSync();
    const rs = row.dataSync();
    const ms = mid.dataSync();
    const outcome = withNative(addon, () => [
      tf.add(x, channel),
      tf.sub(row, x),
      tf.div(x.reshape([3, 2, 5]), mid),
    ]);
    expect(outcome.fallbacks).toBe(0);
    const expected = [
      Array.from(xs, (v, i) => Math.fround(v + cs[i % 5])),
      Array.from(xs, (v, i) => Math.fround(rs[Math.floor(i / 5)] - v)),
      Array.from(xs, (v, i) => Math.fround(v / ms[Math.floor(i / 5) % 2])),
    ];
    expected.forEach((values, k) => expectClose(outcome.values[k], values, 0, `output ${k}`));
    tf.dispose([x, channel, row, mid]);
  });

  it('special values: NaN, ±Infinity, division by zero, Maximum with NaN on either side', () => {
    const a = tf.tensor1d([NaN, 1, -1, 0, Infinity, -Infinity, 2, NaN, 0]);
    const b = tf.tensor1d([1, NaN, 0, 0, Infinity, 3, -Infinity, NaN, -0]);
    for (const { kernel, op } of BINARY) {
      const { reference, ours } = bothWays(() => op(a, b));
      expect(ours.fallbacks, kernel.kernelName).toBe(0);
      expectClose(ours.values[0], reference.values[0], 0, kernel.kernelName);
    }
    const max = withNative(addon, () => tf.maximum(a, b)).values[0];
    expect(Array.from(max.slice(0, 2))).toEqual([NaN, NaN]);
    tf.dispose([a, b]);
  });

  it.each([
    { name: 'int32 same shape', a: [4, 5], b: [4, 5], dtype: 'int32' as const },
    { name: 'int32 scalar', a: [4, 5], b: [], dtype: 'int32' as const },
    { name: 'outer product [M,1] × [1,N]', a: [6, 1], b: [1, 5], dtype: 'float32' as const },
    {
      name: 'scattered broadcast [2,3,4] with [2,1,4]',
      a: [2, 3, 4],
      b: [2, 1, 4],
      dtype: 'float32' as const,
    },
    { name: 'empty', a: [0, 3], b: [3], dtype: 'float32' as const },
  ])('fallback: $name goes to the JS kernel with its result', ({ a, b, dtype }) => {
    for (const { kernel, op } of BINARY) {
      if (dtype === 'int32' && kernel.kernelName === 'RealDiv') continue; // tf.div of int32 is FloorDiv
      const { reference, ours } = bothWays(() => op(pattern(a, 1, dtype), pattern(b, 2, dtype)));
      expect(ours.fallbacks, kernel.kernelName).toBe(1);
      expectClose(ours.values[0], reference.values[0], 0, kernel.kernelName);
    }
  });

  it.each([
    { name: 'column sums [33,17] axis 0', shape: [33, 17], axis: [0] },
    { name: 'row sums [33,17] axis -1', shape: [33, 17], axis: [-1] },
    { name: 'full reduction', shape: [3, 5, 7], axis: undefined },
    { name: 'middle block, axes out of order', shape: [2, 3, 4, 5], axis: [2, 1] },
    {
      name: 'leading block of a rank-5 tensor (batch-norm moments)',
      shape: [1, 4, 5, 3, 7],
      axis: [0, 1, 2, 3],
    },
    { name: 'column sums, threaded', shape: [262147, 5], axis: [0] },
    { name: 'row sums, threaded', shape: [4099, 257], axis: [1] },
  ])('Sum: $name, keepDims false and true, matches the JS kernel', ({ shape, axis }) => {
    for (const keepDims of [false, true]) {
      const { reference, ours } = bothWays(() => tf.sum(pattern(shape, 7), axis, keepDims));
      expect(ours.fallbacks).toBe(0);
      // Both accumulate in double; only the order differs (lanes and per-thread partials).
      expectClose(ours.values[0], reference.values[0], 1e-6, `keepDims ${keepDims}`);
    }
  });

  it('Sum hand-computed: [4096,64] column sums equal plain double loops; 2^20 × 0.1 has no float32 drift', () => {
    const x = pattern([4096, 64], 8);
    const xs = x.dataSync();
    const columns = Array.from({ length: 64 }, (_, c) => {
      let total = 0;
      for (let r = 0; r < 4096; r++) total += xs[r * 64 + c];
      return Math.fround(total);
    });
    const n = 1 << 20;
    const tenth = Math.fround(0.1);
    const outcome = withNative(addon, () => [tf.sum(x, 0), tf.sum(tf.fill([n], tenth))]);
    expect(outcome.fallbacks).toBe(0);
    expect(outcome.shapes).toEqual([[64], []]);
    expectClose(outcome.values[0], columns, 1e-6, 'column sums');
    // A float32 running sum ends ~1% off here; double accumulation is exact to float32 rounding.
    expect(outcome.values[1][0]).toBe(Math.fround(n * tenth));
    x.dispose();
  });

  it('Sum fallback: scattered axes, int32 and bool go to the JS kernel with its result', () => {
    const cases = [
      () => tf.sum(pattern([3, 4, 5], 9), [0, 2]),
      () => tf.sum(pattern([3, 4], 9, 'int32'), 0),
      () => tf.sum(tf.tensor2d([1, 0, 1, 1], [2, 2], 'bool'), 1),
    ];
    for (const compute of cases) {
      const { reference, ours } = bothWays(compute);
      expect(ours.fallbacks).toBe(1);
      expectClose(ours.values[0], reference.values[0], 0, 'sum');
    }
  });

  it('gradients of a broadcasting composite (per-channel mul/add, per-row scale, sums) equal the JS backend’s within 1e-6', () => {
    const x = pattern([2, 3, 4, 5], 10);
    const gamma = pattern([5], 11);
    const beta = pattern([1, 1, 1, 5], 12);
    const rowScale = pattern([24, 1], 13);
    const target = pattern([24, 5], 14);
    const loss = (xv: tf.Tensor, g: tf.Tensor, b: tf.Tensor, s: tf.Tensor) => {
      const normalized = xv.mul(g).add(b).reshape([24, 5]);
      const scaled = normalized.mul(s).div(tf.scalar(3)).sub(target);
      return tf.squaredDifference(scaled, tf.maximum(normalized, 0)).sum().add(scaled.sum(0).square().sum());
    };
    const compute = () => tf.grads(loss)([x, gamma, beta, rowScale]);
    const { reference, ours } = bothWays(compute);
    expect(ours.fallbacks).toBe(0);
    ours.values.forEach((values, k) => expectClose(values, reference.values[k], 1e-6, `gradient ${k}`));
    tf.dispose([x, gamma, beta, rowScale, target]);
  });

  it('addon rejects operands that do not tile the output, unknown operations and mismatched sums', () => {
    const out = new Float32Array(12);
    expect(() =>
      addon.elementwiseBinary('Add', new Float32Array(12), new Float32Array(5), out, 1, 1),
    ).toThrow(/operand 'b' \(5 values, run 1\) does not tile the output of 12 values/);
    expect(() => addon.elementwiseBinary('Add', new Float32Array(3), new Float32Array(4), out, 4, 1)).toThrow(
      /one operand must hold all 12 output values/,
    );
    expect(() =>
      addon.elementwiseBinary('Pow' as 'Add', new Float32Array(12), new Float32Array(12), out, 1, 1),
    ).toThrow(/unknown operation 'Pow'/);
    expect(() => addon.sumBlock(new Float32Array(12), new Float32Array(5), 1, 5)).toThrow(/do not match/);
  });
});
