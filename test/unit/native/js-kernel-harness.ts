import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { loadNativeAddon, type NativeAddon } from '../../../engine/backend/native-addon.js';
import type { NativeKernel } from '../../../engine/backend/kernels/native-kernel.js';

/**
 * Stand-in for the C++ addon where it is not built (a fake: the plain-JS kernels under test never
 * call it), so these tests run whether or not the addon is built. Touching any of its functions
 * fails the test. Where it is built, the kernels get the real one: the data-movement kernels copy
 * float32 runs with it (kernels/box-copy.ts), and are then compared with tfjs's JS kernels too.
 */
const addonNeverCalled = new Proxy(
  {},
  {
    get: (_target, name) => {
      throw new Error(`plain-JS kernel touched the addon's ${String(name)}`);
    },
  },
) as NativeAddon;

const loaded = loadNativeAddon();
const defaultAddon = loaded.loaded ? loaded.addon : addonNeverCalled;

export interface Outcome {
  /** Every output's values (nested arrays flattened), as plain numbers. */
  values: number[][];
  shapes: number[][];
  /** How often the installed kernels handed a call to tfjs's JS kernel. */
  fallbacks: number;
}

function snapshot(result: tf.Tensor | tf.Tensor[]): Pick<Outcome, 'values' | 'shapes'> {
  const tensors = Array.isArray(result) ? result : [result];
  const out = {
    values: tensors.map((t) => Array.from(t.dataSync() as ArrayLike<number>)),
    shapes: tensors.map((t) => t.shape),
  };
  tf.dispose(tensors);
  return out;
}

/**
 * Runs `compute` on the cpu backend with `kernels` registered over tfjs's, then restores tfjs's.
 * `addon` defaults to the real addon where it loads, else the stand-in.
 */
export function withKernels(
  kernels: readonly NativeKernel[],
  compute: () => tf.Tensor | tf.Tensor[],
  addon: NativeAddon = defaultAddon,
): Outcome {
  let fallbacks = 0;
  const originals = kernels.map((kernel) => {
    const original = tf.getKernel(kernel.kernelName, 'cpu');
    if (!original) throw new Error(`tfjs cpu has no kernel ${kernel.kernelName}`);
    return original;
  });
  kernels.forEach((kernel, i) => {
    const jsKernel = originals[i].kernelFunc;
    const counted: tf.KernelFunc = (args) => {
      fallbacks++;
      return jsKernel(args);
    };
    tf.unregisterKernel(kernel.kernelName, 'cpu');
    tf.registerKernel({ ...originals[i], kernelFunc: kernel.create(addon, counted) });
  });
  try {
    return { ...snapshot(tf.tidy(compute)), fallbacks };
  } finally {
    for (const original of originals) {
      tf.unregisterKernel(original.kernelName, 'cpu');
      tf.registerKernel(original);
    }
  }
}

/** `compute` with tfjs's own JS kernels. */
export function withJsKernels(compute: () => tf.Tensor | tf.Tensor[]): Pick<Outcome, 'values' | 'shapes'> {
  return snapshot(tf.tidy(compute));
}

/**
 * Asserts `compute` gives bit-identical results (NaN and -0 included: Object.is per element) with
 * `kernels` installed and with tfjs's JS kernels, and returns how often ours fell back.
 */
export function expectSameAsJs(
  kernels: readonly NativeKernel[],
  compute: () => tf.Tensor | tf.Tensor[],
): number {
  const reference = withJsKernels(compute);
  const ours = withKernels(kernels, compute);
  expect(ours.shapes).toEqual(reference.shapes);
  ours.values.forEach((values, output) => {
    const expected = reference.values[output];
    expect(values.length).toBe(expected.length);
    const firstDifference = values.findIndex((v, i) => !Object.is(v, expected[i]));
    expect(
      firstDifference,
      firstDifference < 0
        ? ''
        : `output ${output}[${firstDifference}]: ${values[firstDifference]} vs JS ${expected[firstDifference]}`,
    ).toBe(-1);
  });
  return ours.fallbacks;
}

/** Deterministic values with sign changes, non-integers, and (optionally) repeats for ties. */
export function pattern(
  shape: number[],
  options: { distinct?: number; dtype?: 'float32' | 'int32' } = {},
): tf.Tensor {
  const size = shape.reduce((a, n) => a * n, 1);
  const { distinct, dtype = 'float32' } = options;
  const values = Array.from({ length: size }, (_, i) => {
    const hashed = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
    const unit = hashed - Math.floor(hashed);
    if (distinct !== undefined) return Math.floor(unit * distinct);
    return dtype === 'int32' ? Math.floor(unit * 2000) - 1000 : unit * 4 - 2;
  });
  return tf.tensor(values, shape, dtype);
}
