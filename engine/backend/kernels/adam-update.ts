import type { AdamUpdateAttrs } from '../fused-updates.js';
import { ADAM_UPDATE } from '../fused-updates.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

const f = Math.fround;

/**
 * The Adam update of one weight in a single pass, rounding to float32 after each operation exactly
 * as the composed tf ops do (engine/train/optimizers/adam.ts): g ← g + wd·p; m ← β1·m + (1 − β1)·g;
 * v ← β2·v + (1 − β2)·g²; p ← p − stepSize · m / (√v / secondCorrection + eps). Plain JS.
 */
export const adamUpdate: NativeKernel = {
  kernelName: ADAM_UPDATE,
  addsKernel: true,
  create: (_addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    if (!backend) return fallback(args);
    const a = args.attrs as unknown as AdamUpdateAttrs;
    const variable = kernelInput(args, ADAM_UPDATE, 'variable');
    const p = float32Values(backend, variable, ADAM_UPDATE, 'variable');
    const grad = float32Values(backend, kernelInput(args, ADAM_UPDATE, 'grad'), ADAM_UPDATE, 'grad');
    const m0 = args.inputs.m ? float32Values(backend, args.inputs.m, ADAM_UPDATE, 'm') : null;
    const v0 = args.inputs.v ? float32Values(backend, args.inputs.v, ADAM_UPDATE, 'v') : null;
    if (!p || !grad || m0 === undefined || v0 === undefined) return fallback(args);
    if ([grad, m0, v0].some((t) => t && t.length !== p.length))
      throw new Error(`${ADAM_UPDATE}: variable, grad, m and v must have the same size`);
    const [wd, b1, b2, keep1, keep2] = [
      f(a.weightDecay),
      f(a.beta1),
      f(a.beta2),
      f(1 - a.beta1),
      f(1 - a.beta2),
    ];
    const [eps, stepSize, correction] = [f(a.eps), f(a.stepSize), f(a.secondCorrection)];
    const out = float32Output(p.length);
    const m = float32Output(p.length);
    const v = float32Output(p.length);
    for (let i = 0; i < p.length; i++) {
      const g = a.weightDecay !== 0 ? f(grad[i] + f(p[i] * wd)) : grad[i];
      m[i] = f(f((m0 ? m0[i] : 0) * b1) + f(g * keep1));
      v[i] = f(f((v0 ? v0[i] : 0) * b2) + f(f(g * g) * keep2));
      const denominator = f(f(f(Math.sqrt(v[i])) / correction) + eps);
      out[i] = f(p[i] - f(f(m[i] / denominator) * stepSize));
    }
    return [out, m, v].map((values) => backend.makeTensorInfo(variable.shape, 'float32', values));
  },
};
