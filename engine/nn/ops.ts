import * as tf from '@tensorflow/tfjs';
import type { Padding3 } from './description.js';
import { isZeroPadding } from './padding.js';

/**
 * Pads the spatial axes of an NDHWC tensor. Done at rank ≤ 4 (H/W on [N·D,H,W,C], then D on
 * [N,D,H·W·C]) because rank-5 pad/slice is ~100× slower in tfjs (platform notes).
 */
export function padSpatial(x: tf.Tensor5D, padding: Padding3, value = 0): tf.Tensor5D {
  if (isZeroPadding(padding)) return x;
  const [n, d, h, w, c] = x.shape;
  const [[db, da], [hb, ha], [wb, wa]] = padding;
  const hw = tf.pad(
    x.reshape([n * d, h, w, c]),
    [
      [0, 0],
      [hb, ha],
      [wb, wa],
      [0, 0],
    ],
    value,
  );
  const h2 = h + hb + ha;
  const w2 = w + wb + wa;
  const dPadded = tf.pad(
    hw.reshape([n, d, h2 * w2 * c]),
    [
      [0, 0],
      [db, da],
      [0, 0],
    ],
    value,
  );
  return dPadded.reshape([n, d + db + da, h2, w2, c]);
}

/** Crops the spatial axes of an NDHWC tensor by [before, after] per axis (inverse of padSpatial). */
export function cropSpatial(x: tf.Tensor5D, crop: Padding3): tf.Tensor5D {
  if (isZeroPadding(crop)) return x;
  const [n, d, h, w, c] = x.shape;
  const [[db, da], [hb, ha], [wb, wa]] = crop;
  const d2 = d - db - da;
  const h2 = h - hb - ha;
  const w2 = w - wb - wa;
  const depthCropped = x.reshape([n, d, h * w * c]).slice([0, db, 0], [n, d2, h * w * c]);
  const hwCropped = depthCropped.reshape([n * d2, h, w, c]).slice([0, hb, wb, 0], [n * d2, h2, w2, c]);
  return hwCropped.reshape([n, d2, h2, w2, c]);
}

/** Sum over all positions of an NDHWC tensor per channel → [C], as a matMul with a row of ones (~20× faster than tf.sum over the leading axes on the cpu backend). */
export function channelSum(x: tf.Tensor): tf.Tensor1D {
  const channels = x.shape[x.rank - 1];
  const rows = x.size / channels;
  return tf.matMul(tf.ones([1, rows]), x.reshape([rows, channels])).reshape([channels]);
}

/**
 * x · scale + shift with per-channel [C] scale/shift (either may be null) over the last axis of x,
 * broadcast on a rank-2 [positions, C] view: WebGPU mis-broadcasts rank 1 over rank 5, and the
 * cpu backend broadcasts rank 5 more slowly.
 */
export function perChannelAffine<T extends tf.Tensor>(
  x: T,
  scale: tf.Tensor | null,
  shift: tf.Tensor | null,
): T {
  const channels = x.shape[x.rank - 1];
  let y: tf.Tensor = x.reshape([x.size / channels, channels]);
  if (scale) y = tf.mul(y, scale.reshape([1, channels]));
  if (shift) y = tf.add(y, shift.reshape([1, channels]));
  return y.reshape(x.shape) as T;
}

export function as5D(x: tf.Tensor, layer: string): tf.Tensor5D {
  if (x.rank !== 5)
    throw new Error(`layer '${layer}': expects a rank-5 NDHWC tensor, got shape [${x.shape.join(',')}]`);
  return x as tf.Tensor5D;
}

/**
 * ∂loss/∂filter of conv3d(x, filter) given dy = ∂loss/∂output. tfjs exports no op for it; the
 * kernel (native on the cpu backend) is what tfjs's own conv3d gradient runs.
 */
export function conv3dFilterGradient(
  x: tf.Tensor5D,
  dy: tf.Tensor5D,
  filterShape: number[],
  strides: number | [number, number, number],
  pad: 'same' | 'valid',
): tf.Tensor5D {
  return tf
    .engine()
    .runKernel('Conv3DBackpropFilterV2', { x, dy }, { strides, pad, filterShape }) as tf.Tensor5D;
}
