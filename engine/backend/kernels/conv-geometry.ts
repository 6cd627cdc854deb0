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

/**
 * Geometry for a gradient kernel: the forward conv of `inputShape` with `filterShape` must produce
 * a tensor of dy's shape (else the caller's graph is wrong: say so); undefined means "use the JS kernel".
 */
export function gradientGeometry(
  kernelName: string,
  inputShape: number[],
  filterShape: number[],
  attrs: { strides: [number, number, number] | number; pad: 'valid' | 'same' },
  dyShape: number[],
): NativeConvGeometry | undefined {
  const info = tf.backend_util.computeConv3DInfo(
    inputShape as [number, number, number, number, number],
    filterShape as [number, number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
  );
  const geometry = nativeGeometry(info);
  if (geometry && !tf.util.arraysEqual(info.outShape, dyShape))
    throw new Error(
      `${kernelName} (native): dy has shape [${dyShape.join(',')}], the conv gives [${info.outShape.join(',')}]`,
    );
  return geometry;
}
