import type { NativeUnaryOp } from '../native-addon.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

/**
 * A float32 unary kernel {x} run by the addon (OpenMP over all cores for large tensors);
 * `parameter` reads the op's scalar attribute (Step's alpha). Other dtypes go to the JS kernel.
 */
export function elementwiseUnaryKernel(
  kernelName: NativeUnaryOp,
  parameter: (attrs: Record<string, unknown>) => number = () => 0,
): NativeKernel {
  return {
    kernelName,
    create: (addon, fallback) => (args) => {
      const backend = cpuBackendOf(args);
      const x = kernelInput(args, kernelName, 'x');
      if (!backend || x.dtype !== 'float32') return fallback(args);
      const values = float32Values(backend, x, kernelName, 'x');
      if (!values) return fallback(args);
      const out = float32Output(values.length);
      addon.elementwiseUnary(kernelName, values, out, parameter(args.attrs ?? {}));
      return backend.makeTensorInfo(x.shape, 'float32', out);
    },
  };
}
