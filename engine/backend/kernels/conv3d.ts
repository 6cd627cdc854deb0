import * as tf from '@tensorflow/tfjs';
import { nativeGeometry } from './conv-geometry.js';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';
import { float32Output } from './output-buffer.js';

/** Conv3D {strides, pad, dataFormat, dilations} on {x, filter}, run by oneDNN. */
export const conv3d: NativeKernel = {
  kernelName: 'Conv3D',
  create: (addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'Conv3D', 'x');
    const filter = kernelInput(args, 'Conv3D', 'filter');
    const attrs = args.attrs as unknown as tf.Conv3DAttrs;
    if (!backend || (attrs.dataFormat && attrs.dataFormat !== 'NDHWC')) return fallback(args);
    const xValues = float32Values(backend, x, 'Conv3D', 'x');
    const filterValues = float32Values(backend, filter, 'Conv3D', 'filter');
    if (!xValues || !filterValues) return fallback(args);
    const info = tf.backend_util.computeConv3DInfo(
      x.shape as [number, number, number, number, number],
      filter.shape as [number, number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
    );
    const geometry = nativeGeometry(info);
    if (!geometry) return fallback(args);
    // oneDNN writes every element, so the buffer needs no zero fill.
    const y = float32Output(tf.util.sizeFromShape(info.outShape));
    addon.conv3dForward(xValues, filterValues, y, geometry);
    return backend.makeTensorInfo(info.outShape, 'float32', y);
  },
};
