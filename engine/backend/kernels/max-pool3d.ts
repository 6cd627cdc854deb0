import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';
import { forEachPoolWindow, pool3dGeometry, pool3dOutputSize, type Pool3dAttrs } from './pool3d-geometry.js';

/**
 * MaxPool3D (NDHWC float32) over window offsets precomputed per output position (tfjs recomputes
 * the clipping per channel). Same comparisons as tfjs (strict >, from -Infinity; NaN never wins).
 */
export const maxPool3d: NativeKernel = {
  kernelName: 'MaxPool3D',
  create: (_addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'MaxPool3D', 'x');
    const geometry = pool3dGeometry(x.shape, args.attrs as unknown as Pool3dAttrs);
    const values = backend && geometry && float32Values(backend, x, 'MaxPool3D', 'x');
    if (!backend || !geometry || !values) return fallback(args);
    const channels = geometry.channels;
    const out = new Float32Array(pool3dOutputSize(geometry));
    forEachPoolWindow(geometry, (outOffset, window, windowSize) => {
      for (let c = 0; c < channels; c++) {
        let max = -Infinity;
        for (let k = 0; k < windowSize; k++) {
          const pixel = values[window[k] + c];
          if (pixel > max) max = pixel;
        }
        out[outOffset + c] = max;
      }
    });
    return backend.makeTensorInfo(geometry.info.outShape, 'float32', out);
  },
};
