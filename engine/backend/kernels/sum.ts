import * as tf from '@tensorflow/tfjs';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

/** x viewed as [outer, reduced, inner] when the reduced axes are one contiguous block, else undefined. */
export function contiguousReduction(
  shape: readonly number[],
  axes: readonly number[],
): { outer: number; inner: number } | undefined {
  if (axes.length === 0) return undefined;
  const sorted = [...axes].sort((p, q) => p - q);
  if (sorted.some((axis, k) => axis !== sorted[0] + k)) return undefined;
  return {
    outer: tf.util.sizeFromShape(shape.slice(0, sorted[0])),
    inner: tf.util.sizeFromShape(shape.slice(sorted[sorted.length - 1] + 1)),
  };
}

/**
 * Sum {axis, keepDims} on {x} for float32 when the reduced axes are one contiguous block (column
 * sums, row sums, a full reduction), accumulated in double like the JS kernel; other cases (int32,
 * bool, scattered axes, empty tensors) go to the JS kernel.
 */
export const sum: NativeKernel = {
  kernelName: 'Sum',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'Sum', 'x');
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    if (!backend || x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0) return fallback(args);
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const block = contiguousReduction(x.shape, axes);
    if (!block) return fallback(args);
    const values = float32Values(backend, x, 'Sum', 'x');
    if (!values) return fallback(args);
    const out = new Float32Array(block.outer * block.inner);
    addon.sumBlock(values, out, block.outer, block.inner);
    const outShape = keepDims
      ? x.shape.map((dim, k) => (axes.includes(k) ? 1 : dim))
      : x.shape.filter((_, k) => !axes.includes(k));
    return backend.makeTensorInfo(outShape, 'float32', out);
  },
};
