import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';
import { forEachPoolWindow, pool3dGeometry, pool3dOutputSize, type Pool3dAttrs } from './pool3d-geometry.js';

/**
 * AvgPool3D (NDHWC float32): per window a float64 sum in tfjs's order divided by the number of
 * input positions it covers (padding excluded), as tfjs's pool3d.
 */
export const avgPool3d: NativeKernel = {
  kernelName: 'AvgPool3D',
  create: (_addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'AvgPool3D', 'x');
    const geometry = pool3dGeometry(x.shape, args.attrs as unknown as Pool3dAttrs);
    const values = backend && geometry && float32Values(backend, x, 'AvgPool3D', 'x');
    if (!backend || !geometry || !values) return fallback(args);
    const channels = geometry.channels;
    const out = new Float32Array(pool3dOutputSize(geometry));
    forEachPoolWindow(geometry, (outOffset, window, windowSize) => {
      const count = Math.max(windowSize, 1);
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < windowSize; k++) sum += values[window[k] + c];
        out[outOffset + c] = sum / count;
      }
    });
    return backend.makeTensorInfo(geometry.info.outShape, 'float32', out);
  },
};
