import { UPSAMPLE_NEAREST_3D_GRAD, type UpsampleNearest3dGradAttrs } from '../upsample-nearest-grad.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

const NAME = UPSAMPLE_NEAREST_3D_GRAD;

/** Nearest upsampling's gradient as one native pass of block sums (engine/backend/upsample-nearest-grad.ts). */
export const upsampleNearest3dGrad: NativeKernel = {
  kernelName: NAME,
  addsKernel: true,
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const dy = kernelInput(args, NAME, 'dy');
    const values = backend && float32Values(backend, dy, NAME, 'dy');
    if (!backend || !values) return fallback(args);
    const { factors } = args.attrs as unknown as UpsampleNearest3dGradAttrs;
    const [n, d2, h2, w2, c] = dy.shape;
    const sizes = [d2, h2, w2];
    if (
      dy.shape.length !== 5 ||
      factors.length !== 3 ||
      !factors.every((k, axis) => Number.isInteger(k) && k > 0 && sizes[axis] % k === 0)
    )
      throw new Error(
        `${NAME} (native): dy of shape [${dy.shape.join(',')}] (N,D,H,W,C) must divide into blocks of ` +
          `[${factors.join(',')}] (positive integers dividing D, H and W)`,
      );
    const [kd, kh, kw] = factors;
    const outShape = [n, d2 / kd, h2 / kh, w2 / kw, c];
    const dx = float32Output(values.length / (kd * kh * kw));
    if (dx.length > 0) addon.blockSums(values, dx, n, d2 / kd, h2 / kh, w2 / kw, c, kd, kh, kw);
    // An array, as runFusedKernel expects of every fused kernel.
    return [backend.makeTensorInfo(outShape, 'float32', dx)];
  },
};
