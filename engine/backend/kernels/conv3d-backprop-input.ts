import * as tf from '@tensorflow/tfjs';
import { gradientGeometry } from './conv-geometry.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';
import { float32Output } from './output-buffer.js';

/** Conv3DBackpropInputV2 {strides, pad, inputShape} on {dy, filter}, run by oneDNN. */
export const conv3dBackpropInput: NativeKernel = {
  kernelName: 'Conv3DBackpropInputV2',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const dy = kernelInput(args, 'Conv3DBackpropInputV2', 'dy');
    const filter = kernelInput(args, 'Conv3DBackpropInputV2', 'filter');
    const attrs = args.attrs as unknown as tf.Conv3DBackpropInputV2Attrs;
    if (!backend) return fallback(args);
    const dyValues = float32Values(backend, dy, 'Conv3DBackpropInputV2', 'dy');
    const filterValues = float32Values(backend, filter, 'Conv3DBackpropInputV2', 'filter');
    if (!dyValues || !filterValues) return fallback(args);
    const geometry = gradientGeometry(
      'Conv3DBackpropInputV2',
      attrs.inputShape,
      filter.shape,
      attrs,
      dy.shape,
    );
    if (!geometry) return fallback(args);
    // oneDNN writes every element, so the buffer needs no zero fill.
    const dx = float32Output(tf.util.sizeFromShape(attrs.inputShape));
    addon.conv3dBackwardInput(dyValues, filterValues, dx, geometry);
    return backend.makeTensorInfo(attrs.inputShape, 'float32', dx);
  },
};
