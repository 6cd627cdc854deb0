import { BATCH_NORM_TRAINING, type BatchNormTrainingAttrs } from '../fused-batch-norm.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

const NAME = BATCH_NORM_TRAINING;

/** Training batch norm (+ ReLU) forward in two native passes (engine/backend/fused-batch-norm.ts). */
export const batchNormTraining: NativeKernel = {
  kernelName: NAME,
  addsKernel: true,
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    if (!backend) return fallback(args);
    const x = kernelInput(args, NAME, 'x');
    const xs = float32Values(backend, x, NAME, 'x');
    const gamma = float32Values(backend, kernelInput(args, NAME, 'gamma'), NAME, 'gamma');
    const beta = float32Values(backend, kernelInput(args, NAME, 'beta'), NAME, 'beta');
    if (!xs || !gamma || !beta) return fallback(args);
    const { eps, relu } = args.attrs as unknown as BatchNormTrainingAttrs;
    const channels = gamma.length;
    const y = float32Output(xs.length);
    const [mean, variance, invStd] = [0, 1, 2].map(() => new Float32Array(channels));
    addon.batchNormForward(xs, gamma, beta, y, mean, variance, invStd, eps, relu);
    return [
      backend.makeTensorInfo(x.shape, 'float32', y),
      ...[mean, variance, invStd].map((values) => backend.makeTensorInfo([channels], 'float32', values)),
    ];
  },
};
