import * as tf from '@tensorflow/tfjs';
import { gradientGeometry } from './conv-geometry.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

/** Conv3DBackpropFilterV2 {strides, pad, filterShape} on {x, dy}, run by oneDNN (summed over the batch). */
export const conv3dBackpropFilter: NativeKernel = {
  kernelName: 'Conv3DBackpropFilterV2',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'Conv3DBackpropFilterV2', 'x');
    const dy = kernelInput(args, 'Conv3DBackpropFilterV2', 'dy');
    const attrs = args.attrs as unknown as tf.Conv3DBackpropFilterV2Attrs;
    if (!backend) return fallback(args);
    const xValues = float32Values(backend, x, 'Conv3DBackpropFilterV2', 'x');
    const dyValues = float32Values(backend, dy, 'Conv3DBackpropFilterV2', 'dy');
    if (!xValues || !dyValues) return fallback(args);
    const geometry = gradientGeometry('Conv3DBackpropFilterV2', x.shape, attrs.filterShape, attrs, dy.shape);
    if (!geometry) return fallback(args);
    const dFilter = new Float32Array(tf.util.sizeFromShape(attrs.filterShape));
    addon.conv3dBackwardFilter(xValues, dyValues, dFilter, geometry);
    return backend.makeTensorInfo(attrs.filterShape, 'float32', dFilter);
  },
};
