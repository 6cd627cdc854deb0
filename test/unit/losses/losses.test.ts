import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy } from '../../../engine/train/losses/cross-entropy.js';
import { crossEntropyDice, softDiceLoss } from '../../../engine/train/losses/cross-entropy-dice.js';
import { lossFor } from '../../../engine/tasks/registry.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Three voxels, three classes: rows of logits, labels with one ignored voxel.
const rows = [
  [2, 0, -1],
  [0.5, 1.5, 0],
  [1, 1, 3],
];
const labels = [1, 255, 2];

function logSoftmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

const logits5d = () => tf.tensor5d(rows.flat(), [1, 1, 1, 3, 3]);
const labels4d = () => tf.tensor4d(labels, [1, 1, 1, 3], 'int32');

describe('cross-entropy with ignore label 255', () => {
  it('averages −log p(label) over non-ignored voxels only (hand computation)', () => {
    const expected = -(logSoftmaxRow(rows[0])[1] + logSoftmaxRow(rows[2])[2]) / 2;
    expect(crossEntropy(logits5d(), labels4d()).arraySync()).toBeCloseTo(expected, 5);
  });

  it('works on classification logits (N, C)', () => {
    const loss = crossEntropy(tf.tensor2d([rows[0], rows[1]]), tf.tensor1d([0, 2], 'int32'));
    const expected = -(logSoftmaxRow(rows[0])[0] + logSoftmaxRow(rows[1])[2]) / 2;
    expect(loss.arraySync()).toBeCloseTo(expected, 5);
  });

  it('is 0 when every label is ignored, and its gradient is 0', () => {
    const x = logits5d();
    const all = tf.tensor4d([255, 255, 255], [1, 1, 1, 3], 'int32');
    expect(crossEntropy(x, all).arraySync()).toBeCloseTo(0, 10);
    const g = tf.grad((l: tf.Tensor) => crossEntropy(l, all))(x);
    expect(Math.max(...g.abs().dataSync())).toBe(0);
  });

  it('has the gradient (softmax − one-hot) / valid count on counted voxels and 0 on ignored ones (hand computation)', () => {
    const g = tf
      .grad((l: tf.Tensor) => crossEntropy(l, labels4d()))(logits5d())
      .arraySync() as number[][][][][];
    const got = g[0][0][0];
    rows.forEach((row, r) => {
      const p = logSoftmaxRow(row).map(Math.exp);
      const expected = labels[r] === 255 ? [0, 0, 0] : p.map((v, c) => (v - (c === labels[r] ? 1 : 0)) / 2);
      expected.forEach((v, c) => expect(got[r][c]).toBeCloseTo(v, 6));
    });
  });

  it('scales its gradient by the incoming dy (a loss weight)', () => {
    const x = logits5d();
    const plain = tf.grad((l: tf.Tensor) => crossEntropy(l, labels4d()))(x);
    const weighted = tf.grad((l: tf.Tensor) => crossEntropy(l, labels4d()).mul(0.25))(x);
    const diff = tf.max(tf.abs(tf.sub(weighted, plain.mul(0.25)))).dataSync()[0];
    expect(diff).toBeLessThan(1e-7);
  });

  it('rejects mismatched shapes and out-of-range labels with specific errors', () => {
    expect(() => crossEntropy(logits5d(), tf.tensor1d([1, 2, 0], 'int32'))).toThrow(/do not match logits/);
    expect(() => crossEntropy(logits5d(), tf.tensor4d([1, 7, 2], [1, 1, 1, 3], 'int32'))).toThrow(
      /label 7 at index 1/,
    );
    expect(() => crossEntropy(logits5d(), tf.tensor4d([1, 0, 2], [1, 1, 1, 3], 'float32'))).toThrow(/int32/);
  });
});

describe('BraTS loss: CE + 0.25 · Σ_{c≥1} soft Dice', () => {
  function softmaxRow(row: number[]): number[] {
    return logSoftmaxRow(row).map(Math.exp);
  }

  it('matches a hand computation of the Dice terms over non-ignored voxels', () => {
    const used = [0, 2];
    let dice = 0;
    for (let c = 1; c < 3; c++) {
      let inter = 0;
      let sumP = 0;
      let sumG = 0;
      for (const i of used) {
        const p = softmaxRow(rows[i])[c];
        const g = labels[i] === c ? 1 : 0;
        inter += p * g;
        sumP += p;
        sumG += g;
      }
      dice += 1 - (2 * inter + 1) / (sumP + sumG + 1);
    }
    expect(softDiceLoss(logits5d(), labels4d()).arraySync()).toBeCloseTo(dice, 5);
    const ce = -(logSoftmaxRow(rows[0])[1] + logSoftmaxRow(rows[2])[2]) / 2;
    expect(crossEntropyDice(logits5d(), labels4d()).arraySync()).toBeCloseTo(ce + 0.25 * dice, 5);
  });

  /** The Dice loss written as composed tf ops, differentiated by tfjs: the reference for the closed form. */
  function composedDice(z: tf.Tensor, y: tf.Tensor): tf.Scalar {
    const classes = z.shape[z.rank - 1];
    const flatLabels = y.reshape([-1]);
    const valid = flatLabels.notEqual(255).cast('float32').expandDims(1);
    const p = tf.softmax(z.reshape([-1, classes])).mul(valid);
    const g = tf
      .oneHot(
        tf.where(flatLabels.notEqual(255), flatLabels, tf.zerosLike(flatLabels)) as tf.Tensor1D,
        classes,
      )
      .toFloat()
      .mul(valid);
    const fg = (t: tf.Tensor) => t.slice([0, 1], [-1, classes - 1]);
    const dice = fg(p.mul(g))
      .sum(0)
      .mul(2)
      .add(1)
      .div(fg(p).sum(0).add(fg(g).sum(0)).add(1));
    return tf.scalar(classes - 1).sub(dice.sum()) as tf.Scalar;
  }

  it('has the gradient of the composed ops (tfjs autodiff), ignored voxels getting none', () => {
    const shape: [number, number, number, number, number] = [2, 3, 4, 5, 5];
    const voxels = 2 * 3 * 4 * 5;
    const z = tf.tensor5d(
      Array.from({ length: voxels * 5 }, (_, i) => Math.sin(i * 1.7) * 3),
      shape,
    );
    const y = tf.tensor4d(
      Array.from({ length: voxels }, (_, i) => (i % 7 === 3 ? 255 : (i * 3) % 5)),
      [2, 3, 4, 5],
      'int32',
    );
    expect(softDiceLoss(z, y).arraySync()).toBeCloseTo(composedDice(z, y).arraySync(), 5);
    const closed = tf.grad((l: tf.Tensor) => softDiceLoss(l, y).mul(0.25))(z);
    const reference = tf.grad((l: tf.Tensor) => composedDice(l, y).mul(0.25))(z);
    expect(tf.max(tf.abs(closed.sub(reference))).dataSync()[0]).toBeLessThan(1e-6);
    const ignored = closed.reshape([-1, 5]).gather([3, 10, 17]).abs().max().dataSync()[0];
    expect(ignored).toBe(0);
    // A second check: the closed-form gradient against a central difference of the loss.
    const h = 1e-2;
    const at = 37;
    const bumped = (d: number) => {
      const values = z.dataSync().slice();
      values[at] += d;
      return softDiceLoss(tf.tensor5d(values, shape), y).arraySync() * 0.25;
    };
    expect(closed.dataSync()[at]).toBeCloseTo((bumped(h) - bumped(-h)) / (2 * h), 4);
  });

  it('lossFor picks CE for ShapeNet/UCF101 and CE+Dice for BraTS', () => {
    const ce = crossEntropy(logits5d(), labels4d()).arraySync();
    expect(lossFor('shapenet')(logits5d(), labels4d()).arraySync()).toBeCloseTo(ce, 6);
    expect(lossFor('ucf101')(logits5d(), labels4d()).arraySync()).toBeCloseTo(ce, 6);
    expect(lossFor('brats')(logits5d(), labels4d()).arraySync()).toBeGreaterThan(ce + 0.01);
  });

  it('does not leak tensors', () => {
    const x = logits5d();
    const y = labels4d();
    const before = tf.memory().numTensors;
    crossEntropyDice(x, y).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
