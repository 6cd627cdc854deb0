import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { argmaxLabels, slidingWindowLogits, windowStarts } from '../../../engine/train/inference.js';

await tf.setBackend('cpu');

describe('sliding-window inference', () => {
  it('window starts cover the axis, last window flush with the end', () => {
    expect(windowStarts(10, 4, 0.5)).toEqual([0, 2, 4, 6]);
    expect(windowStarts(9, 4, 0.5)).toEqual([0, 2, 4, 5]);
    expect(windowStarts(3, 4, 0.5)).toEqual([0]);
    expect(() => windowStarts(9, 4, 1)).toThrow(/overlap/);
  });

  it('a pointwise net gives the same logits windowed as on the whole volume', async () => {
    const shape: [number, number, number, number] = [5, 6, 7, 2];
    const input = Float32Array.from({ length: 5 * 6 * 7 * 2 }, (_, i) => Math.sin(i));
    const kernel = tf.tensor5d([0.5, -1, 2, 0.25, 1, 1], [1, 1, 1, 2, 3]);
    const predict = (x: tf.Tensor5D) => tf.conv3d(x, kernel, 1, 'same');
    const whole = tf.tidy(() => predict(tf.tensor5d(input, [1, 5, 6, 7, 2])).dataSync());
    const windowed = await slidingWindowLogits(predict, input, shape, 3, { patch: [4, 4, 4], overlap: 0.5 });
    expect(windowed.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(windowed[i]).toBeCloseTo(whole[i], 5);
    kernel.dispose();
  });

  it('averages overlapping windows: a net that outputs a window-position-dependent constant', async () => {
    // Each window outputs 1 at every voxel if its first input voxel is < 0.5, else 3; on a 1×1×6 axis with
    // patch 4 and overlap 0.5 the windows start at 0 and 2 → voxels 2,3 covered twice.
    const input = Float32Array.from([0, 0, 1, 1, 1, 1]);
    const predict = (x: tf.Tensor5D) => {
      const first = x.dataSync()[0];
      return tf.fill([1, 1, 1, 4, 1], first < 0.5 ? 1 : 3);
    };
    const out = await slidingWindowLogits(predict, input, [1, 1, 6, 1], 1, {
      patch: [1, 1, 4],
      overlap: 0.5,
    });
    expect(Array.from(out)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('pads axes shorter than the patch and crops the result', async () => {
    const input = Float32Array.from([1, 2, 3]);
    const predict = (x: tf.Tensor5D) => x.mul(2);
    expect(
      Array.from(
        await slidingWindowLogits(predict, input, [1, 1, 3, 1], 1, { patch: [2, 2, 4], overlap: 0.25 }),
      ),
    ).toEqual([2, 4, 6]);
  });

  it('argmax can be restricted to allowed classes', () => {
    const logits = Float32Array.from([0, 5, 1, 3, 0, 2]);
    expect(Array.from(argmaxLabels(logits, 3))).toEqual([1, 0]);
    expect(Array.from(argmaxLabels(logits, 3, [0, 2]))).toEqual([2, 0]);
  });
});
