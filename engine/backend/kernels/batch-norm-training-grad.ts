import { BATCH_NORM_TRAINING_GRAD, type BatchNormTrainingGradAttrs } from '../fused-batch-norm.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

const NAME = BATCH_NORM_TRAINING_GRAD;
const INPUTS = ['x', 'dy', 'mean', 'invStd', 'gamma', 'beta'] as const;

/** Training batch norm (+ ReLU) backward in two native passes (engine/backend/fused-batch-norm.ts). */
export const batchNormTrainingGrad: NativeKernel = {
  kernelName: NAME,
  addsKernel: true,
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    if (!backend) return fallback(args);
    const values = INPUTS.map((name) => float32Values(backend, kernelInput(args, NAME, name), NAME, name));
    const [x, dy, mean, invStd, gamma, beta] = values;
    if (!x || !dy || !mean || !invStd || !gamma || !beta) return fallback(args);
    const { relu } = args.attrs as unknown as BatchNormTrainingGradAttrs;
    const dx = float32Output(x.length);
    const dgamma = new Float32Array(gamma.length);
    const dbeta = new Float32Array(gamma.length);
    addon.batchNormBackward(x, dy, mean, invStd, gamma, beta, dx, dgamma, dbeta, relu);
    return [
      backend.makeTensorInfo(kernelInput(args, NAME, 'x').shape, 'float32', dx),
      backend.makeTensorInfo([gamma.length], 'float32', dgamma),
      backend.makeTensorInfo([gamma.length], 'float32', dbeta),
    ];
  },
};
