import type { SgdUpdateAttrs } from '../fused-updates.js';
import { SGD_UPDATE } from '../fused-updates.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

/**
 * The SGD update of one weight in a single pass of the addon (native/src/optimizers.cc), rounding
 * to float32 after each operation exactly as the composed tf ops do (engine/train/optimizers/sgd.ts):
 * d = g + wd·p; buf = m·buf + (1 − damp)·d (= d on the first step); d = d + m·buf (Nesterov) or buf;
 * p ← p − lr·d.
 */
export const sgdUpdate: NativeKernel = {
  kernelName: SGD_UPDATE,
  addsKernel: true,
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    if (!backend) return fallback(args);
    const a = args.attrs as unknown as SgdUpdateAttrs;
    const variable = kernelInput(args, SGD_UPDATE, 'variable');
    const p = float32Values(backend, variable, SGD_UPDATE, 'variable');
    const g = float32Values(backend, kernelInput(args, SGD_UPDATE, 'grad'), SGD_UPDATE, 'grad');
    const previous = args.inputs.buffer
      ? float32Values(backend, args.inputs.buffer, SGD_UPDATE, 'buffer')
      : null;
    if (!p || !g || previous === undefined) return fallback(args);
    if (g.length !== p.length || (previous && previous.length !== p.length))
      throw new Error(`${SGD_UPDATE}: variable, grad and buffer must have the same size`);
    const out = float32Output(p.length);
    const buffer = a.momentum !== 0 ? float32Output(p.length) : null;
    addon.sgdUpdate(
      p,
      g,
      previous,
      out,
      buffer,
      a.weightDecay,
      a.momentum,
      1 - a.dampening,
      a.lr,
      a.nesterov,
    );
    const updated = backend.makeTensorInfo(variable.shape, 'float32', out);
    return buffer ? [updated, backend.makeTensorInfo(variable.shape, 'float32', buffer)] : [updated];
  },
};
