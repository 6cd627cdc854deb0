import * as tf from '@tensorflow/tfjs';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

/**
 * BatchMatMul {transposeA, transposeB} on {a, b} (rank ≥ 2, float32) via oneDNN's sgemm, when the
 * batch dimensions are equal or one operand has a single matrix; other broadcasts go to the JS
 * kernel. Batch norm's per-channel sums are matrix products ([1, positions] · [positions, C]), and
 * their gradients outer products, which tfjs's JS matMul ran at a few GFLOP/s. Sums come in
 * another order than the JS kernel's: results agree to float32 rounding, not bit for bit.
 */
export const batchMatMul: NativeKernel = {
  kernelName: 'BatchMatMul',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const a = kernelInput(args, 'BatchMatMul', 'a');
    const b = kernelInput(args, 'BatchMatMul', 'b');
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (
      !backend ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      a.shape.length < 2 ||
      b.shape.length < 2
    )
      return fallback(args);
    const [aRows, aCols] = a.shape.slice(-2);
    const [bRows, bCols] = b.shape.slice(-2);
    const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
    const [kB, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
    const aBatchShape = a.shape.slice(0, -2);
    const bBatchShape = b.shape.slice(0, -2);
    const outBatchShape = broadcastShape(aBatchShape, bBatchShape);
    if (k !== kB || !outBatchShape || m * n * k === 0) return fallback(args);
    const batch = tf.util.sizeFromShape(outBatchShape);
    const aBatches = tf.util.sizeFromShape(aBatchShape);
    const bBatches = tf.util.sizeFromShape(bBatchShape);
    // Each operand is one matrix reused, or one per output matrix in the same order.
    if ((aBatches !== 1 && aBatches !== batch) || (bBatches !== 1 && bBatches !== batch))
      return fallback(args);
    const aValues = float32Values(backend, a, 'BatchMatMul', 'a');
    const bValues = float32Values(backend, b, 'BatchMatMul', 'b');
    if (!aValues || !bValues) return fallback(args);
    const out = float32Output(batch * m * n);
    addon.batchMatMul(aValues, bValues, out, { batch, m, n, k, transposeA, transposeB, aBatches, bBatches });
    return backend.makeTensorInfo([...outBatchShape, m, n], 'float32', out);
  },
};

/** The broadcast batch shape, or undefined where the batch shapes do not broadcast (the JS kernel then reports it). */
function broadcastShape(a: number[], b: number[]): number[] | undefined {
  try {
    return tf.backend_util.assertAndGetBroadcastShape(a, b);
  } catch {
    return undefined;
  }
}
