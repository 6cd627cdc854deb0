import type { NativeAddon } from '../native-addon.js';
import { float32Output } from './output-buffer.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

type NativeLoss = (
  addon: NativeAddon,
  logits: Float32Array,
  labels: Int32Array,
  gradient: Float32Array,
  classes: number,
  attrs: Record<string, number>,
) => number;

/**
 * A fused loss kernel (engine/backend/fused-losses.ts) over the addon: {logits [rows, classes],
 * labels [rows] int32} → [value, gradient]. Anything but float32 logits with int32 labels on the
 * cpu backend goes to `fallback`, which throws: the losses only ever pass those.
 */
export function fusedLossKernel(kernelName: string, run: NativeLoss): NativeKernel {
  return {
    kernelName,
    addsKernel: true,
    create: (addon, fallback) => (args) => {
      const backend = cpuBackendOf(args);
      const logits = kernelInput(args, kernelName, 'logits');
      const labels = kernelInput(args, kernelName, 'labels');
      if (!backend || logits.shape.length !== 2 || labels.dtype !== 'int32') return fallback(args);
      const values = float32Values(backend, logits, kernelName, 'logits');
      const labelValues = backend.data.get(labels.dataId).values;
      if (!values || !(labelValues instanceof Int32Array)) return fallback(args);
      const gradient = float32Output(values.length);
      const value = run(
        addon,
        values,
        labelValues,
        gradient,
        logits.shape[1],
        args.attrs as Record<string, number>,
      );
      return [
        backend.makeTensorInfo([], 'float32', Float32Array.of(value)),
        backend.makeTensorInfo(logits.shape, 'float32', gradient),
      ];
    },
  };
}
