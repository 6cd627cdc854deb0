import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';
import { pool3dGeometry, pool3dOutputSize, poolWindowArgs, type Pool3dAttrs } from './pool3d-geometry.js';

/**
 * MaxPool3D (NDHWC float32) as one native pass (addon maxPool3dForward, OpenMP over output depth
 * rows) over the clipped windows of pool3dGeometry. Same comparisons as tfjs (strict >, from
 * -Infinity; NaN never wins).
 */
export const maxPool3d: NativeKernel = {
  kernelName: 'MaxPool3D',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'MaxPool3D', 'x');
    const geometry = pool3dGeometry(x.shape, args.attrs as unknown as Pool3dAttrs);
    const values = backend && geometry && float32Values(backend, x, 'MaxPool3D', 'x');
    if (!backend || !geometry || !values) return fallback(args);
    const out = float32Output(pool3dOutputSize(geometry));
    if (out.length > 0) {
      const { sizes, starts, ends } = poolWindowArgs(geometry);
      addon.maxPool3dForward(values, out, sizes, starts, ends);
    }
    return backend.makeTensorInfo(geometry.info.outShape, 'float32', out);
  },
};
