import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNativeKernels } from '../../../engine/backend/native-kernels.js';
import type { Disposable } from '../../../engine/util/disposable.js';
import { nativeAddon, nativeSuffix, requireNativeAddon, skipNative } from './native-required.js';

const addon = nativeAddon;
const suffix = nativeSuffix;

/** Gradient of nearest 2× upsampling along axis 1 (what the U-Net decoder differentiates). */
function gatherGradient(): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 5);
    const indices = tf.tensor1d([0, 0, 1, 1, 2, 2, 3, 3, 4, 4], 'int32');
    const r = tf.randomNormal([3, 10, 4], 0, 1, 'float32', 6);
    return tf
      .grad((a: tf.Tensor) => tf.gather(a, indices, 1).mul(r).sum())(x)
      .dataSync() as Float32Array;
  });
}

describe.skipIf(skipNative)(
  `O(N) UnsortedSegmentSum kernel (installed with the native kernels)${suffix}`,
  () => {
    requireNativeAddon();
    let reference: Float32Array;
    let installed: Disposable;
    beforeAll(async () => {
      await tf.setBackend('cpu');
      reference = gatherGradient();
      if (!addon.loaded) throw new Error('unreachable');
      installed = installNativeKernels(addon.addon);
    });
    afterAll(() => installed?.dispose());

    it('hand-computed: rows summed into their segments; out-of-range ids dropped; empty segments zero', () => {
      const x = tf.tensor2d([1, 2, 10, 20, 100, 200, 7, 7], [4, 2]);
      const y = tf.unsortedSegmentSum(x, tf.tensor1d([2, 0, 2, 5], 'int32'), 4);
      expect(Array.from(y.dataSync())).toEqual([10, 20, 0, 0, 101, 202, 0, 0]);
    });

    it('the gradient of tf.gather equals the tfjs kernel result within float32 rounding', () => {
      const ours = gatherGradient();
      expect(ours.length).toBe(reference.length);
      ours.forEach((v, i) => expect(v).toBeCloseTo(reference[i], 5));
    });
  },
);
