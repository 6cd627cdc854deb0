import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { flattenTargets } from '../../../engine/train/losses/flatten.js';

// flattenTargets reads a label tensor once per (classes, ignore label): a second read of labels
// already on the GPU would need a synchronous readback that WebGPU in Node cannot do.
describe('flattenTargets label check', () => {
  it('a label tensor checked for 4 classes is checked again for 3 and for another ignore label', () => {
    const labels = tf.tensor1d([0, 3, 255], 'int32');
    const logits4 = tf.zeros([3, 4]);
    const logits3 = tf.zeros([3, 3]);
    const first = tf.tidy(() => flattenTargets('test', logits4, labels).labels.arraySync());
    // Ignored entries become 0, others are kept: [0, 3, 0].
    expect(first).toEqual([0, 3, 0]);
    expect(() => tf.tidy(() => flattenTargets('test', logits4, labels).labels)).not.toThrow();
    expect(() => tf.tidy(() => flattenTargets('test', logits3, labels).labels)).toThrow(
      'test: label 3 at index 1 is outside [0, 3) and not the ignore label 255',
    );
    expect(() => tf.tidy(() => flattenTargets('test', logits4, labels, 3).labels)).toThrow(
      'test: label 255 at index 2 is outside [0, 4) and not the ignore label 3',
    );
    tf.dispose([labels, logits4, logits3]);
  });
});
