import * as tf from '@tensorflow/tfjs';
import type { NativeConvGeometry } from '../native-addon.js';

type Conv3DInfo = ReturnType<typeof tf.backend_util.computeConv3DInfo>;

/**
 * The addon's geometry from tfjs's own conv info, so padding is exactly what the JS kernels use.
 * Undefined when tfjs computed a negative pad ('same' with stride > kernel shifts the window
 * inward); oneDNN has no such padding, so those calls stay on the JS kernel.
 */
export function nativeGeometry(info: Conv3DInfo): NativeConvGeometry | undefined {
  const pad = info.padInfo;
  if (Math.min(pad.front, pad.back, pad.top, pad.bottom, pad.left, pad.right) < 0) return undefined;
  return {
    batch: info.batchSize,
    inChannels: info.inChannels,
    outChannels: info.outChannels,
    groups: 1,
    inSize: [info.inDepth, info.inHeight, info.inWidth],
    outSize: [info.outDepth, info.outHeight, info.outWidth],
    kernel: [info.filterDepth, info.filterHeight, info.filterWidth],
    strides: [info.strideDepth, info.strideHeight, info.strideWidth],
    dilations: [info.dilationDepth, info.dilationHeight, info.dilationWidth],
    padBefore: [pad.front, pad.top, pad.left],
    padAfter: [pad.back, pad.bottom, pad.right],
  };
}
