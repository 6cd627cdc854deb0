import type * as tf from '@tensorflow/tfjs';
import { copyBox } from './box-copy.js';
import { cpuBackendOf, kernelInput, type NativeKernel } from './native-kernel.js';
import { allocLike, asTypedBackend, numericValues } from './typed-values.js';

/** PadV2 {paddings, constantValue}: fill, then copy x in as contiguous runs (tfjs maps every element's index). */
export const padV2: NativeKernel = {
  kernelName: 'PadV2',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'PadV2', 'x');
    const values = backend && numericValues(backend, x);
    if (!backend || !values) return fallback(args);
    const { paddings, constantValue } = args.attrs as unknown as tf.PadV2Attrs;
    if (paddings.length !== x.shape.length)
      throw new Error(
        `PadV2 (native): ${paddings.length} [before, after] pairs for an input of rank ${x.shape.length}`,
      );
    if (paddings.some(([before, after]) => before < 0 || after < 0)) return fallback(args);
    const outShape = paddings.map(([before, after], axis) => before + x.shape[axis] + after);
    let size = 1;
    for (const n of outShape) size *= n;
    const out = allocLike(values, size);
    if (constantValue !== 0) out.fill(constantValue);
    copyBox(
      { values, shape: x.shape, begin: x.shape.map(() => 0) },
      { values: out, shape: outShape, begin: paddings.map(([before]) => before) },
      x.shape,
      addon,
    );
    return asTypedBackend(backend).makeTensorInfo(outShape, x.dtype, out);
  },
};
