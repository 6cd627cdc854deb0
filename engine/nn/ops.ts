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

/** A per-channel parameter shaped [1,1,1,1,C] for broadcasting over NDHWC (WebGPU mis-broadcasts rank 1 over rank 5). */
export function perChannel(param: tf.Tensor, channels: number): tf.Tensor5D {
  return param.reshape([1, 1, 1, 1, channels]);
}

export function as5D(x: tf.Tensor, layer: string): tf.Tensor5D {
  if (x.rank !== 5)
    throw new Error(`layer '${layer}': expects a rank-5 NDHWC tensor, got shape [${x.shape.join(',')}]`);
  return x as tf.Tensor5D;
}
