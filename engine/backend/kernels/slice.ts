import * as tf from '@tensorflow/tfjs';
import { copyBox } from './box-copy.js';
import { cpuBackendOf, kernelInput, type NativeKernel } from './native-kernel.js';
import { allocOverwritten, asTypedBackend, numericValues } from './typed-values.js';

/**
 * Slice {begin, size} as contiguous run copies (tfjs's cpu kernel copies a non-contiguous slice
 * element by element through index arrays; cropSpatial and the gradient of pad are such slices).
 * A contiguous slice goes to the JS kernel, which returns a view without copying.
 */
export const slice: NativeKernel = {
  kernelName: 'Slice',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'Slice', 'x');
    const values = backend && numericValues(backend, x);
    if (!backend || !values) return fallback(args);
    const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
    const [sliceBegin, sliceSize] = tf.slice_util.parseSliceParams(x, begin, size);
    tf.slice_util.assertParamsValid(x, sliceBegin, sliceSize);
    if (tf.slice_util.isSliceContinous(x.shape, sliceBegin, sliceSize)) return fallback(args);
    const out = allocOverwritten(values, tf.util.sizeFromShape(sliceSize));
    copyBox(
      { values, shape: x.shape, begin: sliceBegin },
      { values: out, shape: sliceSize, begin: sliceSize.map(() => 0) },
      sliceSize,
      addon,
    );
    return asTypedBackend(backend).makeTensorInfo(sliceSize, x.dtype, out);
  },
};
