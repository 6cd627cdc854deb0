import * as tf from '@tensorflow/tfjs';
import type { NativeBinaryOp } from '../native-addon.js';
import { binaryBroadcast } from './binary-broadcast.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

/**
 * A float32 binary kernel {a, b} run by the addon for same-shape, scalar, trailing-axes and per-row
 * broadcasts (OpenMP over all cores). Other dtypes (int32, complex) and broadcasts go to the JS kernel.
 */
export function elementwiseBinaryKernel(kernelName: NativeBinaryOp): NativeKernel {
  return {
    kernelName,
    create: (addon, fallback) => (args) => {
      const backend = cpuBackendOf(args);
      const a = kernelInput(args, kernelName, 'a');
      const b = kernelInput(args, kernelName, 'b');
      if (!backend || a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
      const layout = binaryBroadcast(a.shape, b.shape);
      if (!layout) return fallback(args);
      const aValues = float32Values(backend, a, kernelName, 'a');
      const bValues = float32Values(backend, b, kernelName, 'b');
      if (!aValues || !bValues) return fallback(args);
      const out = float32Output(tf.util.sizeFromShape(layout.outShape));
      addon.elementwiseBinary(kernelName, aValues, bValues, out, layout.aRun, layout.bRun);
      return backend.makeTensorInfo(layout.outShape, 'float32', out);
    },
  };
}
