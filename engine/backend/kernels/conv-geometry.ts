import * as tf from '@tensorflow/tfjs';
import type { NativeConvGeometry } from '../native-addon.js';

type Conv3DInfo = ReturnType<typeof tf.backend_util.computeConv3DInfo>;

/** The addon's geometry from tfjs's own conv info, so padding is exactly what the JS kernels use. */
export function nativeGeometry(info: Conv3DInfo): NativeConvGeometry {
  const pad = info.padInfo;
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
