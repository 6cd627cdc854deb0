import * as tf from '@tensorflow/tfjs';
import type { Triple } from '../nn/description.js';

export interface SlidingWindowOptions {
  /** Window (D, H, W): the size the net was trained at. */
  patch: Triple;
  /** Fraction of a window shared with its neighbour, in [0, 1). */
  overlap: number;
}

/**
 * Window starts along one axis: stride = floor(patch · (1 − overlap)), the last window flush with
 * the end so every voxel is covered; a single window at 0 when the axis fits in one patch.
 */
export function windowStarts(size: number, patch: number, overlap: number): number[] {
  if (!(overlap >= 0 && overlap < 1))
    throw new Error(`sliding window: overlap must be in [0, 1), got ${overlap}`);
  if (size <= patch) return [0];
  const stride = Math.max(1, Math.floor(patch * (1 - overlap)));
  const starts: number[] = [];
  for (let s = 0; s + patch < size; s += stride) starts.push(s);
  starts.push(size - patch);
  return starts;
}

/**
 * Segmentation logits of a whole (D, H, W, C) volume from a net trained on smaller patches: the net
 * runs on overlapping windows and every voxel gets the mean of the logits of the windows covering
 * it. Axes shorter than the patch are zero-padded to the patch (the U-Net needs its training size)
 * and the padding is cut off again. Returns (D, H, W, K) logits.
 */
export async function slidingWindowLogits(
  predict: (patch: tf.Tensor5D) => tf.Tensor,
  input: Float32Array,
  shape: readonly [number, number, number, number],
  classes: number,
  options: SlidingWindowOptions,
): Promise<Float32Array> {
  const [d, h, w, c] = shape;
  if (input.length !== d * h * w * c)
    throw new Error(
      `sliding window: input has ${input.length} values, shape ${shape.join('x')} needs ${d * h * w * c}`,
    );
  const size: Triple = [d, h, w];
  const patch = options.patch;
  const starts = size.map((n, axis) => windowStarts(n, patch[axis], options.overlap));
  const window = patch.map((p, axis) => Math.min(p, size[axis])) as Triple;
  const sum = new Float32Array(d * h * w * classes);
  const count = new Uint16Array(d * h * w);
  const patchInput = new Float32Array(patch[0] * patch[1] * patch[2] * c);

  for (const z0 of starts[0])
    for (const y0 of starts[1])
      for (const x0 of starts[2]) {
        patchInput.fill(0);
        for (let z = 0; z < window[0]; z++)
          for (let y = 0; y < window[1]; y++) {
            const from = (((z0 + z) * h + y0 + y) * w + x0) * c;
            patchInput.set(input.subarray(from, from + window[2] * c), (z * patch[1] + y) * patch[2] * c);
          }
        const out = tf.tidy(() => predict(tf.tensor5d(patchInput, [1, ...patch, c])));
        const expected = [1, ...patch, classes].join('x');
        if (out.shape.join('x') !== expected) {
          out.dispose();
          throw new Error(
            `sliding window: the net returned [${out.shape.join('x')}] for a patch, expected [${expected}]`,
          );
        }
        const logits = await readLogits(out);
        for (let z = 0; z < window[0]; z++)
          for (let y = 0; y < window[1]; y++)
            for (let x = 0; x < window[2]; x++) {
              const voxel = ((z0 + z) * h + y0 + y) * w + x0 + x;
              const from = ((z * patch[1] + y) * patch[2] + x) * classes;
              count[voxel]++;
              for (let k = 0; k < classes; k++) sum[voxel * classes + k] += logits[from + k];
            }
      }
  for (let v = 0; v < count.length; v++) for (let k = 0; k < classes; k++) sum[v * classes + k] /= count[v];
  return sum;
}

/**
 * A logits tensor's values as float32, read asynchronously (a GPU backend in Node has no synchronous
 * readback); disposes the tensor. Integer logits (a one-hot stand-in net) are converted.
 */
export async function readLogits(t: tf.Tensor): Promise<Float32Array> {
  try {
    const values = await t.data();
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  } finally {
    t.dispose();
  }
}

/**
 * Argmax over the last axis of (…, K) logits; `allowed`, when given, restricts the choice to those
 * classes (ShapeNet: a shape's own category's parts).
 */
export function argmaxLabels(logits: Float32Array, classes: number, allowed?: readonly number[]): Int32Array {
  const candidates = allowed ?? Array.from({ length: classes }, (_, k) => k);
  const out = new Int32Array(logits.length / classes);
  for (let v = 0; v < out.length; v++) {
    let best = candidates[0];
    for (const k of candidates) if (logits[v * classes + k] > logits[v * classes + best]) best = k;
    out[v] = best;
  }
  return out;
}
