import * as tf from '@tensorflow/tfjs';

/** The pooling attributes tfjs's MaxPool3D/AvgPool3D and their gradients share. */
export interface Pool3dAttrs {
  filterSize: number | [number, number, number];
  strides: number | [number, number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NDHWC' | 'NCDHW';
}

/**
 * NDHWC pooling windows, clipped to the input as tfjs's pool3d clips them (padding is never
 * read). Per spatial axis and output index: first and one-past-last input index.
 */
export interface Pool3dGeometry {
  info: tf.backend_util.Conv3DInfo;
  batch: number;
  channels: number;
  inSize: [number, number, number];
  outSize: [number, number, number];
  windowStart: [Int32Array, Int32Array, Int32Array];
  windowEnd: [Int32Array, Int32Array, Int32Array];
}

function axisWindows(outSize: number, inSize: number, stride: number, filter: number, padBefore: number) {
  const start = new Int32Array(outSize);
  const end = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const corner = o * stride - padBefore;
    start[o] = Math.max(corner, 0);
    end[o] = Math.min(inSize, corner + filter);
  }
  return { start, end };
}

/** Geometry of a pool over `inputShape`, or undefined for what the JS kernel handles (NCDHW, rank ≠ 5). */
export function pool3dGeometry(
  inputShape: readonly number[],
  attrs: Pool3dAttrs,
): Pool3dGeometry | undefined {
  if (inputShape.length !== 5 || (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NDHWC'))
    return undefined;
  const info = tf.backend_util.computePool3DInfo(
    inputShape as [number, number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const d = axisWindows(
    info.outDepth,
    info.inDepth,
    info.strideDepth,
    info.effectiveFilterDepth,
    info.padInfo.front,
  );
  const h = axisWindows(
    info.outHeight,
    info.inHeight,
    info.strideHeight,
    info.effectiveFilterHeight,
    info.padInfo.top,
  );
  const w = axisWindows(
    info.outWidth,
    info.inWidth,
    info.strideWidth,
    info.effectiveFilterWidth,
    info.padInfo.left,
  );
  return {
    info,
    batch: info.batchSize,
    channels: info.inChannels,
    inSize: [info.inDepth, info.inHeight, info.inWidth],
    outSize: [info.outDepth, info.outHeight, info.outWidth],
    windowStart: [d.start, h.start, w.start],
    windowEnd: [d.end, h.end, w.end],
  };
}

/**
 * Calls `visit` for every output position in row-major order (batch, depth, height, width) with
 * its element offset in the output, and the input element offsets (of channel 0) of its window in
 * tfjs's scan order (depth, height, width ascending), `windowSize` of them in `window`.
 */
export function forEachPoolWindow(
  geometry: Pool3dGeometry,
  visit: (outOffset: number, window: Int32Array, windowSize: number) => void,
): void {
  const { batch, channels, inSize, outSize, windowStart, windowEnd } = geometry;
  const [inD, inH, inW] = inSize;
  const [outD, outH, outW] = outSize;
  const window = new Int32Array(
    geometry.info.filterDepth * geometry.info.filterHeight * geometry.info.filterWidth,
  );
  let outOffset = 0;
  for (let b = 0; b < batch; b++) {
    const batchBase = b * inD;
    for (let od = 0; od < outD; od++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          let windowSize = 0;
          for (let xd = windowStart[0][od]; xd < windowEnd[0][od]; xd++) {
            const depthBase = (batchBase + xd) * inH;
            for (let xh = windowStart[1][oh]; xh < windowEnd[1][oh]; xh++) {
              const rowBase = (depthBase + xh) * inW;
              for (let xw = windowStart[2][ow]; xw < windowEnd[2][ow]; xw++)
                window[windowSize++] = (rowBase + xw) * channels;
            }
          }
          visit(outOffset, window, windowSize);
          outOffset += channels;
        }
      }
    }
  }
}

/**
 * The geometry as the addon's pooling functions take it (native/src/pooling.h): sizes = [batch,
 * channels, inD, inH, inW, outD, outH, outW]; starts and ends of depth, height then width windows.
 */
export function poolWindowArgs(geometry: Pool3dGeometry): {
  sizes: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
} {
  const { batch, channels, inSize, outSize, windowStart, windowEnd } = geometry;
  const concatenated = (axes: Int32Array[]) => Int32Array.from(axes.flatMap((a) => Array.from(a)));
  return {
    sizes: Int32Array.from([batch, channels, ...inSize, ...outSize]),
    starts: concatenated(windowStart),
    ends: concatenated(windowEnd),
  };
}

/** Element count of the pool's output. */
export function pool3dOutputSize(geometry: Pool3dGeometry): number {
  return geometry.info.outShape.reduce((size, n) => size * n, 1);
}

/** Throws unless the incoming gradient has the pool's output shape. */
export function assertPool3dGradShape(
  kernelName: string,
  dy: { shape: number[] },
  geometry: Pool3dGeometry,
): void {
  const expected = geometry.info.outShape;
  if (dy.shape.length !== expected.length || dy.shape.some((n, i) => n !== expected[i]))
    throw new Error(
      `${kernelName} (native): dy has shape [${dy.shape.join(',')}], expected the pool output [${expected.join(',')}]`,
    );
}
