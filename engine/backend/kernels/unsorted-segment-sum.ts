import * as tf from '@tensorflow/tfjs';
import { cpuBackendOf, float32Values, kernelInput, type NativeKernel } from './native-kernel.js';

/**
 * UnsortedSegmentSum {numSegments} on {x, segmentIds} as one O(N) scatter-add pass. tfjs's cpu
 * kernel makes numSegments full passes (mask, cast, multiply, sum per segment); it is the gradient
 * of tf.gather (nearest upsampling), where that quadratic cost dominated a 3D-UNet step once conv3d
 * was native. Plain JS: it needs no addon function, but is installed with the native kernels.
 */
export const unsortedSegmentSum: NativeKernel = {
  kernelName: 'UnsortedSegmentSum',
  create: (_addon, fallback) => (args) => {
    const backend = cpuBackendOf(args);
    const x = kernelInput(args, 'UnsortedSegmentSum', 'x');
    const segmentIds = kernelInput(args, 'UnsortedSegmentSum', 'segmentIds');
    const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
    if (
      !backend ||
      segmentIds.dtype !== 'int32' ||
      segmentIds.shape.length !== 1 ||
      x.shape[0] !== segmentIds.shape[0]
    )
      return fallback(args);
    const values = float32Values(backend, x, 'UnsortedSegmentSum', 'x');
    const ids = backend.data.get(segmentIds.dataId).values;
    if (!values || !(ids instanceof Int32Array) || ids.length !== segmentIds.shape[0]) return fallback(args);
    const inner = tf.util.sizeFromShape(x.shape.slice(1));
    const out = new Float32Array(numSegments * inner);
    for (let row = 0; row < ids.length; row++) {
      const segment = ids[row];
      // Out-of-range ids are dropped, as in TensorFlow.
      if (segment < 0 || segment >= numSegments) continue;
      const from = row * inner;
      const to = segment * inner;
      for (let j = 0; j < inner; j++) out[to + j] += values[from + j];
    }
    return backend.makeTensorInfo([numSegments, ...x.shape.slice(1)], 'float32', out);
  },
};
