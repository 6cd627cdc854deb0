import * as tf from '@tensorflow/tfjs';
import { copyBox } from './box-copy.js';
import { cpuBackendOf, type NativeKernel } from './native-kernel.js';
import { allocOverwritten, asTypedBackend, numericValues, type NumericValues } from './typed-values.js';

/**
 * Concat {axis} as contiguous run copies, one box per input (tfjs's cpu kernel reshapes every
 * input to 2D and copies element by element unless the outer size is 1).
 */
export const concat: NativeKernel = {
  kernelName: 'Concat',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const inputs = Object.values(args.inputs).filter((t): t is tf.TensorInfo => t !== undefined);
    if (!backend || inputs.length === 0) return fallback(args);
    const dtype = inputs[0].dtype;
    const { axis } = args.attrs as unknown as tf.ConcatAttrs;
    const concatAxis = tf.util.parseAxisParam(axis, inputs[0].shape)[0];
    const shapes = inputs.map((t) => t.shape);
    tf.backend_util.assertParamsConsistent(shapes, concatAxis);
    const outShape = tf.backend_util.computeOutShape(shapes, concatAxis);
    const parts: NumericValues[] = [];
    for (const t of inputs) {
      const values = t.dtype === dtype ? numericValues(backend, t) : undefined;
      // Empty outputs, mixed dtypes, strings and complex numbers: the JS kernel's cases.
      if (!values) return fallback(args);
      parts.push(values);
    }
    const size = tf.util.sizeFromShape(outShape);
    if (size === 0) return fallback(args);
    const out = allocOverwritten(parts[0], size);
    const begin = outShape.map(() => 0);
    inputs.forEach((t, i) => {
      copyBox(
        { values: parts[i], shape: t.shape, begin: t.shape.map(() => 0) },
        { values: out, shape: outShape, begin },
        t.shape,
        addon,
      );
      begin[concatAxis] += t.shape[concatAxis];
    });
    return asTypedBackend(backend).makeTensorInfo(outShape, dtype, out);
  },
};
