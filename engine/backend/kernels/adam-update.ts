import type { AdamUpdateAttrs } from '../fused-updates.js';
import { ADAM_UPDATE } from '../fused-updates.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

/**
 * The Adam update of one weight in a single pass, rounding to float32 after each operation exactly
 * as the composed tf ops do (engine/train/optimizers/adam.ts): g ← g + wd·p; m ← β1·m + (1 − β1)·g;
 * v ← β2·v + (1 − β2)·g²; p ← p − stepSize · m / (√v / secondCorrection + eps), in one pass of
 * the addon (native/src/optimizers.cc).
 */
export const adamUpdate: NativeKernel = {
  kernelName: ADAM_UPDATE,
  addsKernel: true,
  create: (addon, fallback) => (args) => {
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
    const out = float32Output(p.length);
    const m = float32Output(p.length);
    const v = float32Output(p.length);
    addon.adamUpdate(
      p,
      grad,
      m0,
      v0,
      out,
      m,
      v,
      a.weightDecay,
      a.beta1,
      a.beta2,
      1 - a.beta1,
      1 - a.beta2,
      a.eps,
      a.stepSize,
      a.secondCorrection,
    );
    return [out, m, v].map((values) => backend.makeTensorInfo(variable.shape, 'float32', values));
  },
};
