import type { SgdUpdateAttrs } from '../fused-updates.js';
import { SGD_UPDATE } from '../fused-updates.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

const f = Math.fround;

/**
 * The SGD update of one weight in a single pass, rounding to float32 after each operation exactly
 * as the composed tf ops do (engine/train/optimizers/sgd.ts): d = g + wd·p; buf = m·buf + (1 − damp)·d
 * (= d on the first step); d = d + m·buf (Nesterov) or buf; p ← p − lr·d. Plain JS.
 */
export const sgdUpdate: NativeKernel = {
  kernelName: SGD_UPDATE,
  addsKernel: true,
  create: (_addon, fallback) => (args) => {
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
    const [wd, m, keep, lr] = [f(a.weightDecay), f(a.momentum), f(1 - a.dampening), f(a.lr)];
    const out = float32Output(p.length);
    const buffer = a.momentum !== 0 ? float32Output(p.length) : undefined;
    for (let i = 0; i < p.length; i++) {
      let d = a.weightDecay !== 0 ? f(g[i] + f(p[i] * wd)) : g[i];
      if (buffer) {
        const b = previous ? f(f(previous[i] * m) + f(d * keep)) : d;
        buffer[i] = b;
        d = a.nesterov ? f(d + f(b * m)) : b;
      }
      out[i] = f(p[i] - f(d * lr));
    }
    const updated = backend.makeTensorInfo(variable.shape, 'float32', out);
    return buffer ? [updated, backend.makeTensorInfo(variable.shape, 'float32', buffer)] : [updated];
  },
};
