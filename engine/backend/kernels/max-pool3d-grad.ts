import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';
import { float32Output } from './output-buffer.js';
import {
  assertPool3dGradShape,
  pool3dGeometry,
  poolWindowArgs,
  type Pool3dAttrs,
} from './pool3d-geometry.js';

/**
 * MaxPool3DGrad {dy, input, output} (NDHWC float32) as one native pass (addon maxPool3dBackward,
 * OpenMP) writing every element of dx: each output position's argmax is recomputed as tfjs does (>=, so the
 * last maximum in depth-height-width order wins; NaN never wins) and its dy is added there. Sums
 * run in float64 in output order, which is the order and precision of tfjs's gather loop, then
 * round once: bit-identical. tfjs's argmax code is only self-consistent for filterHeight =
 * filterWidth; other filters go to the JS kernel.
 */
export const maxPool3dGrad: NativeKernel = {
  kernelName: 'MaxPool3DGrad',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const dy = kernelInput(args, 'MaxPool3DGrad', 'dy');
    const input = kernelInput(args, 'MaxPool3DGrad', 'input');
    const geometry = pool3dGeometry(input.shape, args.attrs as unknown as Pool3dAttrs);
    if (!backend || !geometry || geometry.info.filterHeight !== geometry.info.filterWidth)
      return fallback(args);
    assertPool3dGradShape('MaxPool3DGrad', dy, geometry);
    const inputValues = float32Values(backend, input, 'MaxPool3DGrad', 'input');
    const dyValues = float32Values(backend, dy, 'MaxPool3DGrad', 'dy');
    if (!inputValues || !dyValues) return fallback(args);
    if (inputValues.length === 0 || dyValues.length === 0)
      return backend.makeTensorInfo(input.shape, 'float32', new Float32Array(inputValues.length));
    // The addon writes every element of dx.
    const dx = float32Output(inputValues.length);
    const { sizes, starts, ends } = poolWindowArgs(geometry);
    addon.maxPool3dBackward(inputValues, dyValues, dx, sizes, starts, ends);
    return backend.makeTensorInfo(input.shape, 'float32', dx);
  },
};
