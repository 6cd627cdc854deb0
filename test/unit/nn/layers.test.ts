import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { LayerNode, Padding3, Triple } from '../../../engine/nn/description.js';
import { expectClose, naiveConv3d, randomTensor, randomValues, runLayer } from './helpers.js';

const pad = (p: number): Padding3 => [
  [p, p],
  [p, p],
  [p, p],
];

function conv(
  inChannels: number,
  outChannels: number,
  groups: number,
  stride: Triple,
  padding: Padding3 | 'same',
  bias: boolean,
  kernel: Triple = [3, 3, 3],
): LayerNode {
  return {
    name: 'c',
    kind: 'conv3d',
    inputs: ['x'],
    attrs: { inChannels, outChannels, kernel, stride, padding, groups, bias },
  };
}

describe('conv3d', () => {
  const cases: [string, number, number, number, Triple, Padding3, boolean][] = [
    ['plain, stride 1, pad 1, bias', 2, 3, 1, [1, 1, 1], pad(1), true],
    [
      'plain, stride (1,2,2), asymmetric pad',
      2,
      3,
      1,
      [1, 2, 2],
      [
        [0, 1],
        [1, 0],
        [2, 1],
      ],
      false,
    ],
    ['grouped (2 groups of 2 → 4)', 4, 4, 2, [1, 1, 1], pad(1), false],
    ['depthwise, stride 2', 3, 3, 3, [2, 2, 2], pad(1), false],
    ['depthwise, stride (1,2,1), bias', 3, 3, 3, [1, 2, 1], pad(1), true],
  ];
  it.each(cases)('%s matches a loop reference', (_label, cin, cout, groups, stride, padding, bias) => {
    const node = conv(cin, cout, groups, stride, padding, bias);
    const x = randomTensor([2, 4, 5, 5, cin], 1);
    const w = randomTensor([3, 3, 3, cin / groups, cout], 2);
    const b = randomTensor([cout], 3);
    const { output } = runLayer(node, [x], bias ? { weight: w, bias: b } : { weight: w });
    const expected = naiveConv3d(
      { values: x.dataSync() as Float32Array, shape: x.shape },
      { values: w.dataSync() as Float32Array, shape: w.shape },
      stride,
      padding,
      groups,
      bias ? (b.dataSync() as Float32Array) : undefined,
    );
    expect(output.shape).toEqual(expected.shape);
    expectClose(output.dataSync(), expected.values);
  });

  it('depthwise equals a plain conv3d per channel', () => {
    const x = randomTensor([1, 5, 4, 6, 3], 4);
    const w = randomTensor([3, 3, 3, 1, 3], 5);
    const { output } = runLayer(conv(3, 3, 3, [2, 1, 2], pad(1), false), [x], { weight: w });
    const perChannel = tf.concat(
      [0, 1, 2].map((ch) =>
        tf.conv3d(
          tf.pad(x.slice([0, 0, 0, 0, ch], [-1, -1, -1, -1, 1]), [
            [0, 0],
            [1, 1],
            [1, 1],
            [1, 1],
            [0, 0],
          ]) as tf.Tensor5D,
          w.slice([0, 0, 0, 0, ch], [-1, -1, -1, -1, 1]) as tf.Tensor5D,
          [2, 1, 2],
          'valid',
        ),
      ),
      4,
    );
    expect(output.shape).toEqual(perChannel.shape);
    expectClose(output.dataSync(), perChannel.dataSync());
  });

  it("TF 'same' padding equals tfjs conv3d 'same' (odd size, stride 2)", () => {
    const x = randomTensor([1, 5, 7, 6, 2], 6);
    const w = randomTensor([3, 3, 3, 2, 2], 7);
    const { output } = runLayer(conv(2, 2, 1, [2, 2, 2], 'same', false), [x], { weight: w });
    const reference = tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, [2, 2, 2], 'same');
    expect(output.shape).toEqual([1, 3, 4, 3, 2]);
    expectClose(output.dataSync(), reference.dataSync());
  });
});

describe('convTranspose3d', () => {
  /** Scatter reference: y[i·s + k − pad_before] += x[i] · w[k]. */
  function naiveTranspose(
    x: tf.Tensor,
    w: tf.Tensor,
    stride: Triple,
    crop: Padding3,
  ): { values: Float32Array; shape: number[] } {
    const [n, d, h, wd, ci] = x.shape;
    const [kd, kh, kw, co] = w.shape;
    const full = [(d - 1) * stride[0] + kd, (h - 1) * stride[1] + kh, (wd - 1) * stride[2] + kw];
    const out = full.map((s, a) => s - crop[a][0] - crop[a][1]);
    const values = new Float32Array(n * out[0] * out[1] * out[2] * co);
    const xv = x.dataSync();
    const wv = w.dataSync();
    for (let b = 0; b < n; b++)
      for (let i = 0; i < d; i++)
        for (let j = 0; j < h; j++)
          for (let k = 0; k < wd; k++)
            for (let a = 0; a < kd; a++)
              for (let e = 0; e < kh; e++)
                for (let f = 0; f < kw; f++) {
                  const [p, q, r] = [
                    i * stride[0] + a - crop[0][0],
                    j * stride[1] + e - crop[1][0],
                    k * stride[2] + f - crop[2][0],
                  ];
                  if (p < 0 || q < 0 || r < 0 || p >= out[0] || q >= out[1] || r >= out[2]) continue;
                  for (let o = 0; o < co; o++)
                    for (let c = 0; c < ci; c++)
                      values[(((b * out[0] + p) * out[1] + q) * out[2] + r) * co + o] +=
                        xv[(((b * d + i) * h + j) * wd + k) * ci + c] *
                        wv[(((a * kh + e) * kw + f) * co + o) * ci + c];
                }
    return { values, shape: [n, ...out, co] };
  }

  it('stride 2, kernel 3, padding 1 matches a scatter reference', () => {
    const node: LayerNode = {
      name: 't',
      kind: 'convTranspose3d',
      inputs: ['x'],
      attrs: {
        inChannels: 2,
        outChannels: 3,
        kernel: [3, 3, 3],
        stride: [2, 2, 2],
        padding: pad(1),
        bias: false,
      },
    };
    const x = randomTensor([1, 2, 3, 2, 2], 8);
    const w = randomTensor([3, 3, 3, 3, 2], 9);
    const { output } = runLayer(node, [x], { weight: w });
    const expected = naiveTranspose(x, w, [2, 2, 2], pad(1));
    expect(output.shape).toEqual([1, 3, 5, 3, 3]); // (n−1)·2 + 3 − 2
    expectClose(output.dataSync(), expected.values);
  });

  it("'same' doubles the size with stride 2", () => {
    const node: LayerNode = {
      name: 't',
      kind: 'convTranspose3d',
      inputs: ['x'],
      attrs: {
        inChannels: 1,
        outChannels: 1,
        kernel: [2, 2, 2],
        stride: [2, 2, 2],
        padding: 'same',
        bias: true,
      },
    };
    const x = randomTensor([1, 2, 2, 3, 1], 10);
    const w = randomTensor([2, 2, 2, 1, 1], 11);
    const b = tf.tensor1d([0.5]);
    const { output } = runLayer(node, [x], { weight: w, bias: b });
    expect(output.shape).toEqual([1, 4, 4, 6, 1]);
    const expected = naiveTranspose(x, w, [2, 2, 2], pad(0));
    expectClose(
      output.dataSync(),
      expected.values.map((v) => v + 0.5),
    );
  });
});

describe('normalization', () => {
  const c = 2;
  const x = randomTensor([2, 2, 3, 2, c], 12);
  const gamma = tf.tensor1d([1.5, 0.5]);
  const beta = tf.tensor1d([0.1, -0.2]);
  const xs = x.dataSync();

  /** Mean and biased variance of channel ch over the given flat element indices. */
  function stats(indices: number[]): [number, number] {
    const mean = indices.reduce((s, i) => s + xs[i], 0) / indices.length;
    return [mean, indices.reduce((s, i) => s + (xs[i] - mean) ** 2, 0) / indices.length];
  }
  const channelIndices = (ch: number, sample?: number) =>
    Array.from(xs.keys()).filter(
      (i) => i % c === ch && (sample === undefined || Math.floor(i / (xs.length / 2)) === sample),
    );

  it('batchNorm3d (training) normalizes with batch statistics and reports PyTorch running statistics', () => {
    const node: LayerNode = {
      name: 'bn',
      kind: 'batchNorm3d',
      inputs: ['x'],
      attrs: { channels: c, eps: 1e-5, momentum: 0.1 },
    };
    const runningMean = tf.tensor1d([1, 2]);
    const runningVar = tf.tensor1d([3, 4]);
    const { output, statUpdates } = runLayer(node, [x], { gamma, beta, runningMean, runningVar }, true);
    const out = output.dataSync();
    for (let ch = 0; ch < c; ch++) {
      const idx = channelIndices(ch);
      const [mean, variance] = stats(idx);
      for (const i of idx)
        expect(out[i]).toBeCloseTo(
          ((xs[i] - mean) / Math.sqrt(variance + 1e-5)) * gamma.dataSync()[ch] + beta.dataSync()[ch],
          4,
        );
      const count = idx.length;
      expect(statUpdates.get('bn.runningMean')?.dataSync()[ch]).toBeCloseTo(0.9 * [1, 2][ch] + 0.1 * mean, 5);
      expect(statUpdates.get('bn.runningVar')?.dataSync()[ch]).toBeCloseTo(
        0.9 * [3, 4][ch] + 0.1 * variance * (count / (count - 1)),
        5,
      );
    }
  });

  it('batchNorm3d (evaluation) uses the running statistics', () => {
    const node: LayerNode = {
      name: 'bn',
      kind: 'batchNorm3d',
      inputs: ['x'],
      attrs: { channels: c, eps: 1e-3 },
    };
    const { output, statUpdates } = runLayer(node, [x], {
      gamma,
      beta,
      runningMean: tf.tensor1d([0.2, -0.1]),
      runningVar: tf.tensor1d([2, 0.5]),
    });
    const out = output.dataSync();
    expect(statUpdates.size).toBe(0);
    for (let i = 0; i < xs.length; i++) {
      const ch = i % c;
      expect(out[i]).toBeCloseTo(
        ((xs[i] - [0.2, -0.1][ch]) / Math.sqrt([2, 0.5][ch] + 1e-3)) * [1.5, 0.5][ch] + [0.1, -0.2][ch],
        4,
      );
    }
  });

  it('instanceNorm3d normalizes each sample and channel separately', () => {
    const node: LayerNode = {
      name: 'in',
      kind: 'instanceNorm3d',
      inputs: ['x'],
      attrs: { channels: c, eps: 1e-5 },
    };
    const out = runLayer(node, [x], { gamma, beta }).output.dataSync();
    for (const sample of [0, 1])
      for (let ch = 0; ch < c; ch++) {
        const idx = channelIndices(ch, sample);
        const [mean, variance] = stats(idx);
        for (const i of idx)
          expect(out[i]).toBeCloseTo(
            ((xs[i] - mean) / Math.sqrt(variance + 1e-5)) * [1.5, 0.5][ch] + [0.1, -0.2][ch],
            4,
          );
      }
  });

  it('groupNorm3d with one group normalizes each sample over all channels', () => {
    const node: LayerNode = {
      name: 'gn',
      kind: 'groupNorm3d',
      inputs: ['x'],
      attrs: { channels: c, eps: 1e-5, groups: 1 },
    };
    const out = runLayer(node, [x], { gamma, beta }).output.dataSync();
    for (const sample of [0, 1]) {
      const idx = [...channelIndices(0, sample), ...channelIndices(1, sample)];
      const [mean, variance] = stats(idx);
      for (const i of idx)
        expect(out[i]).toBeCloseTo(
          ((xs[i] - mean) / Math.sqrt(variance + 1e-5)) * [1.5, 0.5][i % c] + [0.1, -0.2][i % c],
          4,
        );
    }
  });
});

describe('pooling, upsampling and the rest', () => {
  it("maxPool3d 'same' equals tfjs's TF-style pool; padding never wins", () => {
    const node: LayerNode = {
      name: 'p',
      kind: 'maxPool3d',
      inputs: ['x'],
      attrs: { kernel: [3, 3, 3], stride: [2, 2, 2], padding: 'same' },
    };
    const x = tf.sub(randomTensor([1, 3, 5, 4, 2], 13), 5); // all negative: a zero pad would win
    const { output } = runLayer(node, [x]);
    const reference = tf.maxPool3d(x as tf.Tensor5D, 3, 2, 'same');
    expect(output.shape).toEqual([1, 2, 3, 2, 2]);
    expectClose(output.dataSync(), reference.dataSync());
  });

  it('avgPool3d with clampKernel averages the whole (smaller) input', () => {
    const node: LayerNode = {
      name: 'a',
      kind: 'avgPool3d',
      inputs: ['x'],
      attrs: { kernel: [2, 7, 7], stride: [1, 1, 1], padding: pad(0), clampKernel: true },
    };
    const x = randomTensor([1, 1, 3, 2, 2], 14);
    const { output } = runLayer(node, [x]);
    expect(output.shape).toEqual([1, 1, 1, 1, 2]);
    const xs = x.dataSync();
    for (const ch of [0, 1])
      expect(output.dataSync()[ch]).toBeCloseTo(
        [...xs].filter((_, i) => i % 2 === ch).reduce((s, v) => s + v, 0) / 6,
        5,
      );
  });

  it('upsampleNearest3d to the skip size repeats PyTorch nearest source indices', () => {
    const node: LayerNode = {
      name: 'u',
      kind: 'upsampleNearest3d',
      inputs: ['x', 'skip'],
      attrs: { mode: 'matchSecondInput' },
    };
    const x = tf.tensor(randomValues(2 * 3 * 2, 15), [1, 2, 3, 2, 1]);
    const skip = tf.zeros([1, 4, 7, 5, 3]);
    const { output } = runLayer(node, [x, skip]);
    expect(output.shape).toEqual([1, 4, 7, 5, 1]);
    const xs = x.dataSync();
    const out = output.dataSync();
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 7; j++)
        for (let k = 0; k < 5; k++) {
          const [si, sj, sk] = [Math.floor((i * 2) / 4), Math.floor((j * 3) / 7), Math.floor((k * 2) / 5)];
          expect(out[(i * 7 + j) * 5 + k]).toBe(xs[(si * 3 + sj) * 2 + sk]);
        }
  });

  it('concat, add, relu6, globalAvgPool, linear, softmax, dropout compute their definitions', () => {
    const a = tf.tensor5d([1, -2, 3, 7], [1, 1, 1, 2, 2]);
    const b = tf.tensor5d([10, 20], [1, 1, 1, 2, 1]);
    expect(
      runLayer({ name: 'cat', kind: 'concat', inputs: ['a', 'b'], attrs: {} }, [a, b]).output.arraySync(),
    ).toEqual([
      [
        [
          [
            [1, -2, 10],
            [3, 7, 20],
          ],
        ],
      ],
    ]);
    expect(
      runLayer({ name: 'add', kind: 'add', inputs: ['a', 'a'], attrs: {} }, [a, a]).output.dataSync(),
    ).toEqual(Float32Array.from([2, -4, 6, 14]));
    expect(runLayer({ name: 'r6', kind: 'relu6', inputs: ['a'], attrs: {} }, [a]).output.dataSync()).toEqual(
      Float32Array.from([1, 0, 3, 6]),
    );
    expect(
      runLayer({ name: 'g', kind: 'globalAvgPool', inputs: ['a'], attrs: {} }, [a]).output.arraySync(),
    ).toEqual([[2, 2.5]]);
    const linear: LayerNode = {
      name: 'l',
      kind: 'linear',
      inputs: ['g'],
      attrs: { inFeatures: 2, outFeatures: 1, bias: true },
    };
    expect(
      runLayer(linear, [tf.tensor2d([[2, 3]])], {
        weight: tf.tensor2d([[4], [5]]),
        bias: tf.tensor1d([1]),
      }).output.arraySync(),
    ).toEqual([[24]]);
    const soft = runLayer({ name: 's', kind: 'softmax', inputs: ['l'], attrs: {} }, [
      tf.tensor2d([[0, Math.log(3)]]),
    ]).output.dataSync();
    expectClose(soft, [0.25, 0.75]);
    const dropout: LayerNode = { name: 'd', kind: 'dropout', inputs: ['x'], attrs: { rate: 0.5 } };
    const ones = tf.ones([1, 1, 4, 4, 4]);
    expect(runLayer(dropout, [ones]).output.dataSync()).toEqual(ones.dataSync()); // evaluation: identity
    const dropped = [...runLayer(dropout, [ones], {}, true).output.dataSync()];
    expect(dropped.every((v) => v === 0 || v === 2)).toBe(true); // inverted dropout scales kept units by 1/(1−rate)
    expect(dropped.filter((v) => v === 0).length).toBeGreaterThan(10);
    expect(dropped.filter((v) => v === 2).length).toBeGreaterThan(10);
  });
});
