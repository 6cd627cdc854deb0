import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';
import {
  assertPool3dGradShape,
  forEachPoolWindow,
  pool3dGeometry,
  type Pool3dAttrs,
} from './pool3d-geometry.js';

/**
 * AvgPool3DGrad {dy, input} (NDHWC float32) as one scatter pass, summed in float64 in output order
 * like tfjs's gather loop, then scaled by 1 / (full filter volume) — tfjs's multiplier, even where
 * the forward pass divided by a smaller count at a padded border.
 */
export const avgPool3dGrad: NativeKernel = {
  kernelName: 'AvgPool3DGrad',
  create: (_addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const dy = kernelInput(args, 'AvgPool3DGrad', 'dy');
    const input = kernelInput(args, 'AvgPool3DGrad', 'input');
    const geometry = pool3dGeometry(input.shape, args.attrs as unknown as Pool3dAttrs);
    if (!backend || !geometry) return fallback(args);
    assertPool3dGradShape('AvgPool3DGrad', dy, geometry);
    const dyValues = float32Values(backend, dy, 'AvgPool3DGrad', 'dy');
    if (!dyValues) return fallback(args);
    const channels = geometry.channels;
    const sums = new Float64Array(input.shape.reduce((size, n) => size * n, 1));
    forEachPoolWindow(geometry, (outOffset, window, windowSize) => {
      for (let k = 0; k < windowSize; k++) {
        const base = window[k];
        for (let c = 0; c < channels; c++) sums[base + c] += dyValues[outOffset + c];
      }
    });
    const { filterDepth, filterHeight, filterWidth } = geometry.info;
    const multiplier = 1 / (filterDepth * filterHeight * filterWidth);
    const dx = new Float32Array(sums.length);
    for (let i = 0; i < sums.length; i++) dx[i] = sums[i] * multiplier;
    return backend.makeTensorInfo(input.shape, 'float32', dx);
  },
};
